import Foundation
import GatewayServer
import GatewayTestSupport
import Testing

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
