import DisclosureControl
import Foundation
import GatewayServer
import GatewayTestSupport
import Testing
import VariantStore

/// A curious member with a valid certificate and approval attacks the visiting analysis
/// environment through the real gateway: recovering masked cells, differencing jobs, guessing
/// other members' jobs, and sending bodies meant to crash or stall it. Each finding's fix is
/// proved by a test here that failed before it; each attempt that fails as it should stays as
/// proof.
///
/// ``AttackCohort``: 60 people, P01-P30 breast (the cases), P31-P60 lung, tumour and normal
/// each. Chromosome 1: 1000 A>G in P01-P10 and P31-P40; 1100 C>T in P11 alone; 1200 G>A in
/// P11-P20; 1300 T>C in P21-P30 and P41-P50. Normal depth: 35 for P01-P54, 50 for P55-P59, 70
/// for P60 (one person in the 60-80 bin).
@Suite("Visiting analyses: attacks through the gateway")
struct VisitingAttackTests {
    static let disclosure = VisitingJobsTests.disclosure
    static func text(_ response: TestTLSClient.Response) -> String { VisitingJobsTests.text(response) }

    /// Submits `body` (202 expected), waits for it and releases it; returns the release response.
    static func run(_ client: TestTLSClient, _ body: [String: Any]) async throws -> TestTLSClient.Response {
        let id = try await VisitingJobsTests.submit(client, body)
        let status = try await VisitingJobsTests.finished(client, id)
        #expect(status["state"] as? String == "succeeded", "\(status)")
        return try await PolicyAPITests.send(client, "GET", "/api/visiting/jobs/\(id)/result")
    }

    static func output(_ response: TestTLSClient.Response) throws -> [String: Any] {
        try #require(try VisitingJobsTests.json(response)["result"] as? [String: Any], "\(text(response))")
    }

    static func findings(_ item: [String: Any]) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: item["airlock"] ?? [], options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    // MARK: Findings

    @Test("finding: a masked pair's airlock record no longer says which cell was small and which zero (it told whether the single carrier of a variant carries another, uncharged)")
    func maskedPairsAreIndistinguishable() async throws {
        let data = try AttackCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data, disclosure: Self.disclosure) { gateway in
            let researcher = try await gateway.client("researcher-jp")
            // P11 alone carries 1100; P11 carries 1200 but not 1300.
            let released = try await Self.run(researcher, ["analysis": "co-occurrence",
                                                           "parameters": ["variants": ["1:1100:C:T", "1:1200:G:A", "1:1300:T:C"]]])
            #expect(released.status == 200, "\(Self.text(released))")
            let pairs = try #require(try Self.output(released)["pairs"] as? [[String: Any]])
            let withCarried = try #require(pairs.first { $0["first"] as? String == "1:1100:C:T" && $0["second"] as? String == "1:1200:G:A" })
            let withNot = try #require(pairs.first { $0["first"] as? String == "1:1100:C:T" && $0["second"] as? String == "1:1300:T:C" })
            #expect(withCarried["counts"] == nil && withNot["counts"] == nil, "both masked")
            let carried = try Self.findings(withCarried).replacingOccurrences(of: "1:1200:G:A", with: "Y")
            let not = try Self.findings(withNot).replacingOccurrences(of: "1:1300:T:C", with: "Y")
            #expect(carried == not, "the records must not tell the two apart:\n\(carried)\n\(not)")
            #expect(carried.contains("disclosive-table") && !carried.contains("class-disclosure"), "\(carried)")
        }
    }

    @Test("finding: hidden histogram bins are named in one finding; naming the small one apart from its complementary neighbour gave both back (a hidden pair adding up to k + 1 is 1 and k)")
    func hiddenBinsAreIndistinguishable() async throws {
        let data = try AttackCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data, disclosure: Self.disclosure) { gateway in
            let researcher = try await gateway.client("researcher-jp")
            let released = try await Self.run(researcher, ["analysis": "qc-distributions", "parameters": [String: Any]()])
            #expect(released.status == 200, "\(Self.text(released))")
            let distributions = try #require(try Self.output(released)["distributions"] as? [[String: Any]])
            let depth = try #require(distributions.first { $0["tissue"] as? String == "normal" && $0["metric"] as? String == "mean_depth" })
            let bins = try #require(depth["bins"] as? [[String: Any]])
            let hidden = bins.filter { $0["people"] is String }.compactMap { $0["bin"] as? String }
            #expect(hidden.count >= 2 && hidden.contains("60-80"), "\(bins)")
            let records = try #require(depth["airlock"] as? [[String: Any]])
            let naming = records.filter { !Set(($0["cells"] as? [String]) ?? []).isDisjoint(with: hidden) }
            #expect(naming.count == 1 && Set(naming.first?["cells"] as? [String] ?? []) == Set(hidden), "one finding names every hidden bin: \(records)")
            #expect(!(try Self.findings(depth)).contains("complementary"), "\(records)")
        }
    }

    @Test("finding: a burden unit overlapping one of the member's earlier units without being the same region and rule is refused (400 naming the unit); the same unit again, or a disjoint one, is not")
    func nestedUnitsAcrossJobs() async throws {
        let data = try AttackCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data, disclosure: Self.disclosure, privacy: .init()) { gateway in
            let researcher = try await gateway.client("researcher-jp")
            func burden(_ end: Int, frequency: Double = 0.5) -> [String: Any] {
                ["analysis": "burden", "parameters": ["units": [["name": "G", "referenceName": "1", "start": 1, "end": end]],
                                                      "cases": ["NCIT:C4872"], "maximumFrequency": frequency]]
            }
            let first = try await Self.run(researcher, burden(1050))
            #expect(first.status == 200, "\(Self.text(first))")
            let units = try #require(try Self.output(first)["units"] as? [[String: Any]])
            #expect(units.first?["table"] as? [[Int]] == [[10, 20], [10, 20]], "\(units)")
            // The attack: [1, 1150] adds 1100, whose one carrier is P11, a case: 11 case carriers
            // against 10 would say that one case carries a rare variant in 1051-1150. A lower
            // frequency bound on the same region differences the same way.
            for body in [burden(1150), burden(1050, frequency: 0.2)] {
                let refused = try await PolicyAPITests.send(researcher, "POST", "/api/visiting/jobs", json: body)
                #expect(refused.status == 400 && PolicyAPITests.errorCode(refused) == "bad_request", "\(Self.text(refused))")
                #expect(Self.text(refused).contains("burden parameter units[0]") && Self.text(refused).contains("overlaps"), "\(Self.text(refused))")
            }
            #expect(try await PolicyAPITests.send(researcher, "POST", "/api/visiting/jobs", json: burden(1050)).status == 202, "the same unit again")
            var disjoint = burden(1050)
            disjoint["parameters"] = ["units": [["name": "H", "referenceName": "1", "start": 1051, "end": 1150]], "cases": ["NCIT:C4872"], "maximumFrequency": 0.5]
            let other = try await PolicyAPITests.send(researcher, "POST", "/api/visiting/jobs", json: disjoint)
            #expect(other.status == 202, "a unit beside, not over, the first: \(Self.text(other))")
            // Co-occurrence units, the same way.
            func pairs(_ end: Int) -> [String: Any] {
                ["analysis": "co-occurrence", "parameters": ["units": [["name": "A", "referenceName": "1", "start": 1, "end": end],
                                                                      ["name": "B", "referenceName": "1", "start": 1250, "end": 1350]]]]
            }
            #expect(try await PolicyAPITests.send(researcher, "POST", "/api/visiting/jobs", json: pairs(1050)).status == 202)
            let nested = try await PolicyAPITests.send(researcher, "POST", "/api/visiting/jobs", json: pairs(1150))
            #expect(nested.status == 400 && Self.text(nested).contains("co-occurrence parameter units[0]"), "\(Self.text(nested))")
        }
    }

    // MARK: Attempts that fail as they should

    @Test("differencing across a withdrawal is refused for every analysis, not only association", arguments: [
        #"{"analysis":"burden","parameters":{"units":[{"name":"G","referenceName":"1","start":1,"end":1050}],"cases":["NCIT:C4872"],"maximumFrequency":0.5}}"#,
        #"{"analysis":"co-occurrence","parameters":{"variants":["1:1000:A:G","1:1300:T:C"]}}"#,
        #"{"analysis":"strata-frequencies","parameters":{"region":{"referenceName":"1","start":1,"end":5000}}}"#,
        #"{"analysis":"qc-distributions","parameters":{}}"#,
        #"{"analysis":"allelic-association","parameters":{"region":{"referenceName":"1","start":1,"end":5000},"cases":["NCIT:C4872"],"controls":["NCIT:C4878"]}}"#,
    ])
    func differencingAcrossWithdrawal(body: String) async throws {
        let data = try AttackCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data, disclosure: Self.disclosure, privacy: .init()) { gateway in
            let parsed = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
            let researcher = try await gateway.client("researcher-jp")
            #expect(try await Self.run(researcher, parsed).status == 200)
            let secretariat = try await gateway.client("secretariat")
            // P45: lung, carries 1300 (a control, a tumour and a normal sample).
            #expect(try await PolicyAPITests.send(secretariat, "POST", "/api/admin/withdrawals", json: ["participant_id": "P45"]).status == 201)
            let again = try await Self.run(researcher, parsed)
            #expect(again.status == 403 && PolicyAPITests.errorCode(again) == "differencing_refused", "\(Self.text(again))")
        }
    }

    @Test("cases A against cases A+B, and default controls against named ones, are differenced by the ledger and refused")
    func overlappingGroups() async throws {
        let data = try AttackCohort.makeDataFolder(extraColorectal: 1)
        var generous = GatewayConfiguration.Privacy()
        generous.approvalBudget = 100
        generous.memberBudget = 100
        try await TestGateway.with(dataDirectory: data, disclosure: Self.disclosure, privacy: generous) { gateway in
            let researcher = try await gateway.client("researcher-jp")
            let region: [String: Any] = ["referenceName": "1", "start": 1, "end": 5000]
            // Default controls: lung and the one colorectal person; named controls: lung only.
            #expect(try await Self.run(researcher, ["analysis": "allelic-association", "parameters": ["region": region, "cases": ["NCIT:C4872"]]]).status == 200)
            let named = try await Self.run(researcher, ["analysis": "allelic-association",
                                                        "parameters": ["region": region, "cases": ["NCIT:C4872"], "controls": ["NCIT:C4878"]]])
            #expect(named.status == 403 && PolicyAPITests.errorCode(named) == "differencing_refused", "\(Self.text(named))")
            let qc = try await Self.run(researcher, ["analysis": "qc-distributions", "parameters": ["cancerTypes": ["NCIT:C4872"]]])
            #expect(qc.status == 200, "\(Self.text(qc))")
            let wider = try await Self.run(researcher, ["analysis": "qc-distributions", "parameters": ["cancerTypes": ["NCIT:C4872", "NCIT:C2955"]]])
            #expect(wider.status == 403 && PolicyAPITests.errorCode(wider) == "differencing_refused", "\(Self.text(wider))")
        }
    }

    @Test("ids: another member, case variants, path tricks, near-ids and the list never reach a job; DELETE neither")
    func identifiers() async throws {
        let data = try AttackCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data, disclosure: Self.disclosure) { gateway in
            let owner = try await gateway.client("researcher-jp")
            let id = try await VisitingJobsTests.submit(owner, VisitingJobsTests.association)
            _ = try await VisitingJobsTests.finished(owner, id)
            let other = try await gateway.client("researcher-de")
            for path in ["/api/visiting/jobs/\(id)/result", "/api/visiting/jobs/\(id.uppercased())/result", "/api/visiting/jobs/\(id.dropLast())",
                         "/api/visiting/jobs/\(id)0", "/api/visiting/jobs/%2e%2e/jobs/\(id)", "/api/visiting/jobs/\(id)%00",
                         "/api/visiting/jobs/\(id)/result/..", "/api/visiting/jobs/\(id.prefix(31))g"] {
                let response = try await PolicyAPITests.send(other, "GET", path)
                #expect([400, 404].contains(response.status), "\(path): \(Self.text(response))")
                #expect(!Self.text(response).contains("\"table\""), "\(path)")
            }
            #expect(try await PolicyAPITests.send(other, "DELETE", "/api/visiting/jobs/\(id)").status == 404)
            #expect(try await PolicyAPITests.send(owner, "GET", "/api/visiting/jobs/\(id)/result").status == 200, "untouched")
        }
    }

    @Test("bad numbers and bodies are refused with 400 naming what was wrong, and the gateway answers the next request", arguments: [
        (#"{"analysis":"allelic-association","parameters":{"region":{"referenceName":"1","start":1.5,"end":5000},"cases":["NCIT:C4872"]}}"#, "region.start"),
        (#"{"analysis":"allelic-association","parameters":{"region":{"referenceName":"1","start":1e3,"end":5000},"cases":["NCIT:C4872"]}}"#, "region.start"),
        (#"{"analysis":"allelic-association","parameters":{"region":{"referenceName":"1","start":1,"end":9223372036854775808},"cases":["NCIT:C4872"]}}"#, "region.end"),
        (#"{"analysis":"allelic-association","parameters":{"region":{"referenceName":"1","start":1,"end":9223372036854775807},"cases":["NCIT:C4872"]}}"#, "parameter region covers"),
        (#"{"analysis":"burden","parameters":{"units":[{"name":"G","referenceName":"1","start":1,"end":1000}],"cases":["NCIT:C4872"],"maximumFrequency":1e999}}"#, "1e999 is out of range"),
        (#"{"analysis":"burden","parameters":{"units":[{"name":"G","referenceName":"1","start":1,"end":1000}],"cases":["NCIT:C4872"],"maximumFrequency":-0.0}}"#, "maximumFrequency"),
        (#"{"analysis":"burden","parameters":{"units":[{"name":"G","referenceName":"1","start":1,"end":1000}],"cases":["NCIT:C4872"],"passOnly":1}}"#, "passOnly"),
        (#"{"analysis":"co-occurrence","parameters":{"variants":["1:9223372036854775808:A:G","1:1000:A:G"]}}"#, "variants[0]"),
        (#"{"analysis":"co-occurrence","parameters":{"variants":["1:-1:A:G","1:1000:A:G"]}}"#, "variants[0]"),
        (#"{"analysis":"qc-distributions","parameters":{"cancerTypes":[]}}"#, "cancerTypes"),
    ])
    func badNumbers(body: String, expected: String) async throws {
        let data = try AttackCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data, disclosure: Self.disclosure) { gateway in
            let researcher = try await gateway.client("researcher-jp")
            let response = try await offThread {
                try researcher.request("POST", "/api/visiting/jobs", headers: [("Content-Type", "application/json")], body: Array(body.utf8))
            }
            #expect(response.status == 400, "\(Self.text(response))")
            #expect(Self.text(response).contains(expected), "\(Self.text(response))")
            #expect(try await PolicyAPITests.send(researcher, "GET", "/api/visiting/jobs").status == 200, "still answering")
        }
    }

    @Test("huge and deep bodies, 201 units and 200 units of 10 Mb are refused; the gateway answers the next request")
    func hugeBodies() async throws {
        let data = try AttackCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data, disclosure: Self.disclosure) { gateway in
            let researcher = try await gateway.client("researcher-jp")
            let deep = #"{"analysis":"qc-distributions","parameters":{"cancerTypes":"# + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}}"
            func units(_ count: Int, length: Int) -> String {
                let list = (0..<count).map { #"{"name":"U\#($0)","referenceName":"1","start":\#($0 * length + 1),"end":\#(($0 + 1) * length)}"# }
                return #"{"analysis":"burden","parameters":{"cases":["NCIT:C4872"],"units":["# + list.joined(separator: ",") + "]}}"
            }
            let huge = #"{"analysis":"qc-distributions","parameters":{},"x":""# + String(repeating: "a", count: 8_000_000) + #""}"#
            for (body, statuses) in [(deep, [400]), (units(201, length: 10), [400]), (units(200, length: 10_000_000), [400])] {
                let response = try await offThread {
                    try researcher.request("POST", "/api/visiting/jobs", headers: [("Content-Type", "application/json")], body: Array(body.utf8))
                }
                #expect(statuses.contains(response.status), "\(response.status) \(Self.text(response).prefix(300))")
            }
            // Past the upload limit the gateway answers 413 and closes: the rest of the body may not be read.
            let oversized = try await gateway.client("researcher-jp")
            if let response = try? await offThread({
                try oversized.request("POST", "/api/visiting/jobs", headers: [("Content-Type", "application/json")], body: Array(huge.utf8))
            }) {
                #expect(response.status == 413, "\(response.status) \(Self.text(response).prefix(300))")
            }
            let fresh = try await gateway.client("researcher-jp")
            let list = try await PolicyAPITests.send(fresh, "GET", "/api/visiting/jobs")
            let jobs = try VisitingJobsTests.json(list)["jobs"] as? [Any]
            #expect(list.status == 200 && jobs?.isEmpty == true, "nothing queued, still answering")
        }
    }

    @Test("nothing in a result or an error names a sample, a participant or an id of the cohort")
    func noIdentifiers() async throws {
        let data = try AttackCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data, disclosure: Self.disclosure) { gateway in
            let researcher = try await gateway.client("researcher-jp")
            for body: [String: Any] in [
                ["analysis": "co-occurrence", "parameters": ["variants": ["1:1100:C:T", "1:1000:A:G", "1:1200:G:A"]]],
                ["analysis": "strata-frequencies", "parameters": ["region": ["referenceName": "1", "start": 1, "end": 5000]]],
                ["analysis": "burden", "parameters": ["units": [["name": "G", "referenceName": "1", "start": 1090, "end": 1110]], "cases": ["NCIT:C4872"]]],
            ] {
                let released = try await Self.run(researcher, body)
                #expect(released.status == 200, "\(Self.text(released))")
                #expect(!Self.text(released).contains("P1") && !Self.text(released).contains("-N\"") && !Self.text(released).contains("-T\""), "\(Self.text(released))")
            }
        }
    }
}

/// The cohort of ``VisitingAttackTests``.
enum AttackCohort {
    static func makeDataFolder(extraColorectal: Int = 0) throws -> String {
        let folder = DevPKI.temporaryFolder("attack-cohort")
        var sheet = "sample_id\tparticipant_id\tdataset_id\ttissue\tcancer_type_id\tcancer_type_label\toverseas_consent\tmapping_rate\tduplicate_rate\tmean_insert_size\tmean_depth\tnt_check\n"
        var samples: [(name: String, person: Int)] = []
        for person in 1...(60 + extraColorectal) {
            let participant = String(format: "P%02d", person)
            let type = person <= 30 ? ("NCIT:C4872", "Breast Carcinoma") : person <= 60 ? ("NCIT:C4878", "Lung Carcinoma") : ("NCIT:C2955", "Colorectal Carcinoma")
            for tissue in ["tumour", "normal"] {
                let sample = participant + (tissue == "tumour" ? "-T" : "-N")
                samples.append((sample, person))
                let depth = tissue == "tumour" ? "130.0" : person == 60 ? "70.0" : (55...59).contains(person) ? "50.0" : "35.0"
                sheet += [sample, participant, "demo-wgs", tissue, type.0, type.1, "no", "99.9", "10.0", "450", depth, "pass"].joined(separator: "\t") + "\n"
            }
        }
        func genotypes(_ carriers: (Int) -> Bool) -> String { samples.map { carriers($0.person) ? "0/1" : "0/0" }.joined(separator: "\t") }
        var vcf = """
            ##fileformat=VCFv4.2
            ##contig=<ID=1,length=248956422>
            ##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">
            #CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t\(samples.map(\.name).joined(separator: "\t"))

            """
        vcf += "1\t1000\t.\tA\tG\t.\tPASS\t.\tGT\t" + genotypes { (1...10).contains($0) || (31...40).contains($0) } + "\n"
        vcf += "1\t1100\t.\tC\tT\t.\tPASS\t.\tGT\t" + genotypes { $0 == 11 } + "\n"
        vcf += "1\t1200\t.\tG\tA\t.\tPASS\t.\tGT\t" + genotypes { (11...20).contains($0) } + "\n"
        vcf += "1\t1300\t.\tT\tC\t.\tPASS\t.\tGT\t" + genotypes { (21...30).contains($0) || (41...50).contains($0) } + "\n"
        try sheet.write(toFile: folder + "/samples.tsv", atomically: true, encoding: .utf8)
        try vcf.write(toFile: folder + "/cohort.vcf", atomically: true, encoding: .utf8)
        let store = try VariantDatabase(folder: folder + "/data")
        _ = try store.ingest(file: folder + "/cohort.vcf", dataset: "demo-wgs", sampleSheet: folder + "/samples.tsv")
        return folder + "/data"
    }
}
