import Foundation
import GatewayServer
import GatewayTestSupport
import Testing

/// Cell-key perturbation through the real gateway: released counts move by at most
/// `noise_maximum`, and the same question, however it is asked, gets the same answer, so
/// repeating or rephrasing it cannot average the noise away.
@Suite("Privacy: perturbed counts")
struct PrivacyNoiseTests {
    static var noiseOnly: GatewayConfiguration.Privacy {
        var privacy = GatewayConfiguration.Privacy.off
        privacy.noiseMaximum = 2
        return privacy
    }

    static func count(_ response: TestTLSClient.Response) throws -> Int? { try PolicyAPITests.count(response) }

    @Test("an averaging attack gets one value: the same question repeated, as GET and POST, as a point and as a range")
    func averagingGetsOneValue() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data, privacy: Self.noiseOnly) { gateway in
            let researcher = try await gateway.client("researcher-jp")
            var seen: Set<Int> = []
            for _ in 0..<20 {
                seen.insert(try #require(try Self.count(try await PolicyAPITests.send(researcher, "GET", PolicyAPITests.everyone))))
            }
            // The same variant as a range query [2999, 3000) and as a POST body.
            let range = "/api/biosamples?referenceName=1&start=2999&end=3000&alternateBases=A&requestedGranularity=count"
            seen.insert(try #require(try Self.count(try await PolicyAPITests.send(researcher, "GET", range))))
            let body: [String: Any] = ["query": ["requestParameters": ["referenceName": "1", "start": [2999], "alternateBases": "A"], "requestedGranularity": "count"], "meta": ["apiVersion": "v2.0"]]
            let posted = try await PolicyAPITests.send(researcher, "POST", "/api/biosamples", json: body)
            #expect(posted.status == 200, "\(String(decoding: posted.body, as: UTF8.self))")
            seen.insert(try #require(try Self.count(posted)))
            #expect(seen.count == 1, "one value for every phrasing: \(seen)")
            let value = try #require(seen.first)
            #expect(abs(value - 58) <= 2, "58 samples, moved by at most 2: \(value)")
        }
    }

    static let cohorts = ["", "&filters=NCIT:C4872", "&filters=NCIT:C2955", "&filters=NCIT:C4872,NCIT:C2955", "&filters=NCIT:C18009",
                          "&filters=NCIT:C14165", "&filters=genomegate:qc-pass"]

    static func counts(_ data: String, privacy: GatewayConfiguration.Privacy) async throws -> [Int?] {
        try await TestGateway.with(dataDirectory: data, privacy: privacy) { gateway in
            let researcher = try await gateway.client("researcher-jp")
            var counts: [Int?] = []
            for filters in cohorts {
                let response = try await PolicyAPITests.send(researcher, "GET", PolicyAPITests.everyone + filters)
                counts.append(response.status == 200 ? try Self.count(response) : nil)
            }
            return counts
        }
    }

    @Test("over different cohorts every count moves by at most 2, some do move, and none goes below k")
    func noiseIsBoundedAndSpread() async throws {
        let data = try BeaconCohort.makeDataFolder()
        let exact = try await Self.counts(data, privacy: .off)
        let noisy = try await Self.counts(data, privacy: Self.noiseOnly)
        let pairs = zip(exact, noisy).compactMap { pair -> (Int, Int)? in
            guard let exact = pair.0, let noisy = pair.1 else { return nil }
            return (exact, noisy)
        }
        #expect(pairs.count >= 5, "enough cohorts answered: \(exact) \(noisy)")
        for (exact, noisy) in pairs {
            #expect(abs(exact - noisy) <= 2, "\(exact) released as \(noisy)")
            #expect(noisy >= 5)
        }
        #expect(pairs.contains { $0.0 != $0.1 }, "with 7 cohorts, some count is perturbed: \(pairs)")
    }
}

extension PrivacyNoiseTests {
    @Test("a perturbed Beacon count says so (countPrecision imprecise, info.privacy) and stays valid against the Beacon v2 schema")
    func perturbedCountIsDescribedAndValid() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data, privacy: .init()) { gateway in
            let researcher = try await gateway.client("researcher-jp")
            let response = try await PolicyAPITests.send(researcher, "GET", PolicyAPITests.everyone)
            #expect(response.status == 200)
            let body = try response.json()
            let summary = try #require(body["responseSummary"] as? [String: Any])
            #expect(summary["countPrecision"] as? String == "imprecise")
            #expect(((body["info"] as? [String: Any])?["privacy"] as? [String: Any])?["countPerturbation"] != nil)
            try await BeaconAPITests.validate(response.body, "beaconCountResponse.json")
            // A count of variants is exact, and says so.
            let variants = try await PolicyAPITests.send(researcher, "GET", "/api/g_variants?referenceName=1&start=2999&alternateBases=A&requestedGranularity=count")
            #expect(((try variants.json())["responseSummary"] as? [String: Any])?["countPrecision"] as? String == "exact")
            try await BeaconAPITests.validate(variants.body, "beaconCountResponse.json")
        }
    }
}
