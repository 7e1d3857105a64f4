import Foundation
import GatewayServer
import GatewayTestSupport
import Testing
import VariantStore

/// The disclosure ledger through the real gateway (README "Privacy"): budgets end in 429
/// `privacy_budget_exhausted`; the same question is answered again identically and for
/// free; every way of asking about a cohort a few people apart from one already answered
/// (filters, datasets, a withdrawal) is refused with 403 `differencing_refused`.
@Suite("Privacy: the disclosure ledger through the gateway")
struct PrivacyLedgerGatewayTests {
    /// 1:3000 G>A (everyone) and 1:1000 A>G (41 of 58 samples), totals only.
    static let common = "/api/aggregate/allele-frequency?referenceName=1&start=2999&alternateBases=A&strata=false"
    static let other = "/api/aggregate/allele-frequency?referenceName=1&start=999&alternateBases=G&strata=false"
    static let stratified = "/api/aggregate/allele-frequency?referenceName=1&start=999&alternateBases=G"

    static func code(_ response: TestTLSClient.Response) -> String? { PolicyAPITests.errorCode(response) }
    static func text(_ response: TestTLSClient.Response) -> String { String(decoding: response.body, as: UTF8.self) }

    /// `privacy` of /api/whoami: the approval's spent budget.
    static func spent(_ client: TestTLSClient, approval: String = "A-2026-001") async throws -> Double {
        let whoami = try await PolicyAPITests.send(client, "GET", "/api/whoami")
        let privacy = try #require((try whoami.json())["privacy"] as? [String: Any])
        let approvals = try #require(privacy["approvals"] as? [[String: Any]])
        let entry = try #require(approvals.first { $0["approval"] as? String == approval })
        return try #require(entry["spent"] as? Double)
    }

    @Test("a budget runs out with 429 naming what remains; the same question stays free and identical; a raise lets more through")
    func budgetExhaustion() async throws {
        let data = try BeaconCohort.makeDataFolder()
        var privacy = GatewayConfiguration.Privacy()
        privacy.approvalBudget = 0.1
        try await TestGateway.with(dataDirectory: data, privacy: privacy) { gateway in
            let researcher = try await gateway.client("researcher-jp")
            let first = try await PolicyAPITests.send(researcher, "GET", Self.common)
            #expect(first.status == 200, "\(Self.text(first))")
            #expect(try await Self.spent(researcher) > 0, "an answer costs budget")
            #expect(try await PolicyAPITests.send(researcher, "GET", Self.other).status == 200)
            // Answers are given while budget remains; strata of ten people take it over.
            #expect(try await PolicyAPITests.send(researcher, "GET", Self.stratified).status == 200)
            let spentBefore = try await Self.spent(researcher)
            #expect(spentBefore > 0.1, "\(spentBefore)")
            let refused = try await PolicyAPITests.send(researcher, "GET", "/api/aggregate/allele-frequency?referenceName=1&start=1999&alternateBases=T&strata=false")
            #expect(refused.status == 429, "\(Self.text(refused))")
            #expect(Self.code(refused) == "privacy_budget_exhausted")
            #expect(Self.text(refused).contains("remaining 0") && Self.text(refused).contains("privacy-budget"), "says what remains and how more is granted: \(Self.text(refused))")
            #expect(try await Self.spent(researcher) == spentBefore, "a refusal costs nothing")
            // The same question again: identical bytes, no charge.
            let again = try await PolicyAPITests.send(researcher, "GET", Self.common)
            #expect(again.status == 200 && again.body == first.body)
            #expect(try await Self.spent(researcher) == spentBefore, "a repeated question is free")

            let secretariat = try await gateway.client("secretariat")
            let raised = try await PolicyAPITests.send(secretariat, "POST", "/api/admin/approvals/A-2026-001/privacy-budget",
                                                       json: ["budget": 20, "reason": "committee decision: rare variant lookups approved"])
            #expect(raised.status == 200, "\(Self.text(raised))")
            let granted = try await PolicyAPITests.send(researcher, "GET", "/api/aggregate/allele-frequency?referenceName=1&start=1999&alternateBases=T&strata=false")
            #expect(granted.status == 200, "\(Self.text(granted))")
            #expect(try await Self.spent(researcher) > spentBefore)
        }
    }

    @Test("filter channel: the same variant with and without the QC filter (one sample apart) is refused")
    func filterChannel() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data, privacy: .init()) { gateway in
            let researcher = try await gateway.client("researcher-jp")
            #expect(try await PolicyAPITests.send(researcher, "GET", Self.common).status == 200)
            // C30's tumour fails QC: the QC-passing cohort is one person smaller.
            let refused = try await PolicyAPITests.send(researcher, "GET", Self.common + "&filters=genomegate:qc-pass")
            #expect(refused.status == 403, "\(Self.text(refused))")
            #expect(Self.code(refused) == "differencing_refused")
            #expect(Self.text(refused).contains("1:3000:G:A"), "names the variant: \(Self.text(refused))")
            // The same through a Beacon count: the same variant, the same one-person difference.
            let count = try await PolicyAPITests.send(researcher, "GET", PolicyAPITests.everyone + "&filters=genomegate:qc-pass")
            #expect(Self.code(count) == "differencing_refused", "\(Self.text(count))")
        }
    }

    @Test("time channel: after a withdrawal, a variant already answered is refused; a new one is answered")
    func timeChannel() async throws {
        let data = try BeaconCohort.makeDataFolder()
        var privacy = GatewayConfiguration.Privacy()
        privacy.approvalBudget = 2  // this test is about the rule, not the budget
        try await TestGateway.with(dataDirectory: data, privacy: privacy) { gateway in
            let researcher = try await gateway.client("researcher-jp")
            let secretariat = try await gateway.client("secretariat")
            #expect(try await PolicyAPITests.send(researcher, "GET", Self.common).status == 200)
            let withdrawn = try await PolicyAPITests.send(secretariat, "POST", "/api/admin/withdrawals", json: ["participant_id": "C10"])
            #expect(withdrawn.status == 201)
            let refused = try await PolicyAPITests.send(researcher, "GET", Self.common)
            #expect(Self.code(refused) == "differencing_refused", "before minus after would be C10's genotype: \(Self.text(refused))")
            let fresh = try await PolicyAPITests.send(researcher, "GET", Self.other)
            #expect(fresh.status == 200, "a variant never answered before is answered without C10: \(Self.text(fresh))")
        }
    }

    @Test("range channel: a count over a region (a union) is refused; a point inside a listed region is free and identical")
    func rangeChannel() async throws {
        let data = try BeaconCohort.makeDataFolder()
        var privacy = GatewayConfiguration.Privacy()
        privacy.approvalBudget = 2  // the listings of a 29-person cohort cost more than the default
        try await TestGateway.with(dataDirectory: data, privacy: privacy) { gateway in
            let researcher = try await gateway.client("researcher-jp")
            // Region count minus point count would read a few people's carrying: one variant per count.
            let union = try await PolicyAPITests.send(researcher, "GET", "/api/biosamples?referenceName=1&start=999&end=3001&requestedGranularity=count")
            #expect(union.status == 400, "\(Self.text(union))")
            #expect(Self.text(union).contains("narrow the range"), "\(Self.text(union))")
            // Which variants a region holds (a count of variants) is answered, and a point inside it is free.
            let region = try await PolicyAPITests.send(researcher, "GET", "/api/g_variants?referenceName=1&start=999&end=3001&requestedGranularity=count")
            #expect(region.status == 200, "\(Self.text(region))")
            let spent = try await Self.spent(researcher)
            let point = try await PolicyAPITests.send(researcher, "GET", "/api/g_variants?referenceName=1&start=2999&alternateBases=A")
            #expect(point.status == 200)
            #expect(try await Self.spent(researcher) == spent, "rephrasing a variant already released costs nothing")
            #expect((try await PolicyAPITests.send(researcher, "GET", "/api/g_variants?referenceName=1&start=999&end=3001&requestedGranularity=count")).body == region.body,
                    "the region again: identical")
        }
    }
}

extension PrivacyLedgerGatewayTests {
    @Test("a Beacon yes/no costs the most such an answer can tell (Raisaro), whatever it says: 0.19 for k = 5")
    func booleansAreCharged() async throws {
        let data = try BeaconCohort.makeDataFolder()
        var privacy = GatewayConfiguration.Privacy()
        privacy.approvalBudget = 0.3
        try await TestGateway.with(dataDirectory: data, privacy: privacy) { gateway in
            let researcher = try await gateway.client("researcher-jp")
            let rare = try await PolicyAPITests.send(researcher, "GET", "/api/g_variants?referenceName=1&start=1999&alternateBases=T")
            #expect(rare.status == 200, "\(Self.text(rare))")
            #expect(((try rare.json())["responseSummary"] as? [String: Any])?["exists"] as? Bool == false, "3 carriers: not found")
            let spent = try await Self.spent(researcher)
            #expect(spent > 0.18 && spent < 0.19, "the presence cap for k = 5: \(spent)")
            // A yes costs the same as a no: what is charged must not say what was not shown.
            #expect(try await PolicyAPITests.send(researcher, "GET", "/api/g_variants?referenceName=1&start=2999&alternateBases=A").status == 200)
            #expect(abs(try await Self.spent(researcher) - 2 * spent) < 1e-9)
        }
    }
}

extension PrivacyLedgerGatewayTests {
    /// The example policy with a second dataset, `demo-extra`, that A-2026-001 also covers.
    static func policyWithExtraDataset() throws -> String {
        let folder = DevPKI.temporaryFolder("policy-extra")
        let source = DevPKI.repositoryRoot + "/policy"
        for file in try FileManager.default.contentsOfDirectory(atPath: source) where file.hasSuffix(".yaml") {
            var text = try String(contentsOfFile: source + "/" + file, encoding: .utf8)
            if file == "datasets.yaml" {
                text = text.replacingOccurrences(of: "datasets:\n", with: """
                    datasets:
                      - id: demo-extra
                        name: Demo extra cases
                        duo:
                          - id: "DUO:0000042"
                            label: general research use

                    """)
            }
            if file == "approvals.yaml", let range = text.range(of: "datasets: [demo-wgs]") {
                text.replaceSubrange(range, with: "datasets: [demo-wgs, demo-extra]")
            }
            try text.write(toFile: folder + "/" + file, atomically: true, encoding: .utf8)
        }
        return folder
    }

    @Test("dataset channel: the same variant over one dataset and over both (three people apart) is refused")
    func datasetChannel() async throws {
        let data = try BeaconCohort.makeDataFolder()
        // Three more cases in their own dataset, carrying 1:3000 G>A like everyone.
        let extra = DevPKI.temporaryFolder("extra-dataset")
        var sheet = "sample_id\tparticipant_id\tdataset_id\ttissue\tcancer_type_id\tcancer_type_label\toverseas_consent\tmapping_rate\tduplicate_rate\tmean_insert_size\tmean_depth\tnt_check\n"
        var samples: [String] = []
        for number in 41...43 {
            for (tissue, suffix, depth) in [("tumour", "-T", "130.0"), ("normal", "-N", "35.0")] {
                samples.append("X\(number)\(suffix)")
                sheet += ["X\(number)\(suffix)", "X\(number)", "demo-extra", tissue, "NCIT:C4872", "Breast Carcinoma", "no",
                          "99.9", "10.0", "450", depth, "pass"].joined(separator: "\t") + "\n"
            }
        }
        let vcf = """
            ##fileformat=VCFv4.2
            ##contig=<ID=1,length=248956422>
            ##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">
            #CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t\(samples.joined(separator: "\t"))
            1\t3000\t.\tG\tA\t.\tPASS\t.\tGT\t\(samples.map { _ in "0/1" }.joined(separator: "\t"))

            """
        try sheet.write(toFile: extra + "/samples.tsv", atomically: true, encoding: .utf8)
        try vcf.write(toFile: extra + "/extra.vcf", atomically: true, encoding: .utf8)
        _ = try VariantDatabase(folder: data).ingest(file: extra + "/extra.vcf", dataset: "demo-extra", sampleSheet: extra + "/samples.tsv")
        var privacy = GatewayConfiguration.Privacy()
        privacy.approvalBudget = 2
        try await TestGateway.with(dataDirectory: data, policy: try Self.policyWithExtraDataset(), privacy: privacy) { gateway in
            let researcher = try await gateway.client("researcher-jp")
            let both = try await PolicyAPITests.send(researcher, "GET", Self.common)
            #expect(both.status == 200, "\(Self.text(both))")
            #expect(((try both.json())["cohortSamples"] as? Int).map { abs($0 - 64) <= 2 } == true, "58 + 6 samples: \(Self.text(both))")
            let one = try await PolicyAPITests.send(researcher, "GET", Self.common + "&datasets=demo-wgs")
            #expect(one.status == 403, "\(Self.text(one))")
            #expect(Self.code(one) == "differencing_refused")
        }
    }
}

extension PrivacyLedgerGatewayTests {
    @Test("statistics channel: a count of carriers after the allele counts of the same variant and cohort is charged again; each repeat is free")
    func anotherStatisticIsCharged() async throws {
        let data = try BeaconCohort.makeDataFolder()
        var privacy = GatewayConfiguration.Privacy()
        privacy.approvalBudget = 2
        try await TestGateway.with(dataDirectory: data, privacy: privacy) { gateway in
            let researcher = try await gateway.client("researcher-jp")
            // Allele counts, then carrier samples, then carrier people of 1:3000 G>A over the same cohort:
            // together they tell how many are homozygous, which none tells alone.
            let asked = [Self.common,
                         "/api/biosamples?referenceName=1&start=2999&alternateBases=A&requestedGranularity=count",
                         "/api/individuals?referenceName=1&start=2999&alternateBases=A&requestedGranularity=count"]
            var spent = try await Self.spent(researcher)
            var answers: [[UInt8]] = []
            for path in asked {
                let answer = try await PolicyAPITests.send(researcher, "GET", path)
                #expect(answer.status == 200, "\(path): \(Self.text(answer))")
                let after = try await Self.spent(researcher)
                #expect(after > spent, "\(path) shows another statistic and is charged: \(spent) -> \(after)")
                spent = after
                answers.append(answer.body)
            }
            for (path, body) in zip(asked, answers) {
                let again = try await PolicyAPITests.send(researcher, "GET", path)
                #expect(again.status == 200 && again.body == body, "\(path) again: identical")
                #expect(try await Self.spent(researcher) == spent, "\(path) again: free")
            }
        }
    }
}
