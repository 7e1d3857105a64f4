import DisclosureControl
import Foundation
import GatewayTestSupport
import Testing

/// `/api/aggregate/allele-frequency` and `/api/aggregate/cohort-summary` on ``BeaconCohort``.
@Suite("Aggregate API")
struct AggregateAPITests {
    /// A count cell: its value, or nil when it reads "<k".
    static func count(_ value: Any?) -> Int? { value as? Int }

    @Test("allele frequencies by cancer type and tissue; a stratum of 3 carriers is hidden and cannot be recovered by subtraction")
    func alleleFrequency() async throws {
        let data = try BeaconCohort.makeDataFolder()
        // The fixture's 58 samples give an allele number of 116: frequencies from 50 alleles up.
        try await TestGateway.with(dataDirectory: data, disclosure: DisclosurePolicy(minimumAlleleNumberForFrequency: 50)) { gateway in
            let response = try await gateway.get("/api/aggregate/allele-frequency?referenceName=1&start=999&alternateBases=G", as: "researcher-jp")
            #expect(response.status == 200)
            let body = try response.json()
            let variant = try #require((body["variants"] as? [[String: Any]])?.first)
            let total = try #require(variant["total"] as? [String: Any])
            #expect(Self.count(total["alleleCount"]) == 41)
            #expect(Self.count(total["alleleNumber"]) == 116)
            #expect(abs((total["alleleFrequency"] as? Double ?? 0) - 41.0 / 116.0) < 1e-9)
            let strata = try #require(variant["strata"] as? [[String: Any]])
            func stratum(_ type: String, _ tissue: String) -> [String: Any]? {
                strata.first { ($0["cancerType"] as? [String: Any])?["id"] as? String == type && $0["tissue"] as? String == tissue }
            }
            let colorectalTumour = try #require(stratum("NCIT:C2955", "tumour"))
            #expect(colorectalTumour["alleleCount"] as? String == "<5", "3 carriers must read <5")
            #expect(colorectalTumour["alleleFrequency"] == nil)
            // Complementary suppression: the shown strata must not pin the hidden one.
            let shownCounts = strata.compactMap { Self.count($0["alleleCount"]) }
            let hiddenStrata = strata.filter { $0["alleleCount"] as? String == "<5" }
            #expect(hiddenStrata.count >= 2, "hiding one stratum alone would leave it as total minus the rest")
            #expect(41 - shownCounts.reduce(0, +) >= 5, "what the hidden strata hold together is itself at least k")
            #expect(Self.count(stratum("NCIT:C4872", "tumour")?["alleleCount"]) == 10)
            #expect(!String(decoding: response.body, as: UTF8.self).contains("\"3\""))
        }
    }

    @Test("a variant carried by fewer than k samples is not listed at all")
    func rareVariantNotListed() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data) { gateway in
            let response = try await gateway.get("/api/aggregate/allele-frequency?referenceName=1&start=0&end=5000", as: "researcher-jp")
            let variants = try #require(try response.json()["variants"] as? [[String: Any]])
            #expect(variants.compactMap { $0["start"] as? Int } == [999, 2999])
        }
    }

    @Test("cohort summary: samples per cancer type and tissue, and the QC table per tissue")
    func cohortSummary() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data) { gateway in
            let response = try await gateway.get("/api/aggregate/cohort-summary", as: "researcher-jp")
            #expect(response.status == 200)
            let body = try response.json()
            #expect(Self.count(body["cohortSamples"]) == 58, "C20 (identity mismatch) never counts")
            #expect(Self.count(body["cohortParticipants"]) == 29)
            let strata = try #require(body["strata"] as? [[String: Any]])
            #expect(strata.count == 6)
            #expect(strata.compactMap { Self.count($0["samples"]) }.sorted() == [9, 9, 10, 10, 10, 10])
            let qc = try #require(body["qualityControl"] as? [[String: Any]])
            let tumour = try #require(qc.first { $0["tissue"] as? String == "tumour" })
            let depth = try #require(tumour["meanDepth"] as? [String: Any])
            #expect(depth["low"] as? Double == 130.0, "the 5th smallest, not C30's 100 alone")
            #expect(depth["high"] as? Double == 130.0)
            #expect(depth["median"] as? Double == 130.0)
            #expect(depth["min"] == nil && depth["max"] == nil, "no single sample's value")
            #expect(abs((depth["mean"] as? Double ?? 0) - 129.0) < 0.05, "(28 x 130 + 100) / 29, rounded to 0.1")
            let qcPass = try await gateway.get("/api/aggregate/cohort-summary?filters=genomegate:qc-pass", as: "researcher-jp")
            #expect(Self.count(try qcPass.json()["cohortSamples"]) == 57, "C30's tumour is below the depth target")
        }
    }

    @Test("with a small stratum, tissue totals and QC statistics are hidden so it cannot be recovered")
    func smallStratumHidesMarginals() async throws {
        let data = try BeaconCohort.makeDataFolder(glioblastomaCases: 2)
        try await TestGateway.with(dataDirectory: data) { gateway in
            let body = try await gateway.get("/api/aggregate/cohort-summary", as: "researcher-jp").json()
            let strata = try #require(body["strata"] as? [[String: Any]])
            let glioblastoma = strata.filter { ($0["cancerType"] as? [String: Any])?["id"] as? String == "NCIT:C3058" }
            #expect(glioblastoma.count == 2)
            #expect(glioblastoma.allSatisfy { $0["samples"] as? String == "<5" })
            let qc = try #require(body["qualityControl"] as? [[String: Any]])
            #expect(qc.allSatisfy { $0["samples"] as? String == "<5" && $0["meanDepth"] == nil }, "\(qc)")
            #expect(Self.count(body["cohortSamples"]) == 62)
        }
    }

    @Test("QC thresholds come from the configuration")
    func configuredQC() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data, configure: { $0.qcThresholds.minimumDepthTumour = 90 }) { gateway in
            let qcPass = try await gateway.get("/api/aggregate/cohort-summary?filters=genomegate:qc-pass", as: "researcher-jp")
            #expect(Self.count(try qcPass.json()["cohortSamples"]) == 58, "C30's tumour (100x) passes a 90x target")
        }
    }
}
