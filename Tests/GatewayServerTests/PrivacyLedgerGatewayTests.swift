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
        // The two totals cost about 0.065 of this 29-person cohort (the noise moves it a little).
        var privacy = GatewayConfiguration.Privacy()
        privacy.approvalBudget = 0.1
        try await TestGateway.with(dataDirectory: data, privacy: privacy) { gateway in
            let researcher = try await gateway.client("researcher-jp")
            let first = try await PolicyAPITests.send(researcher, "GET", Self.common)
            #expect(first.status == 200, "\(Self.text(first))")
            let afterFirst = try await Self.spent(researcher)
            #expect(afterFirst > 0, "an answer costs budget")
            let second = try await PolicyAPITests.send(researcher, "GET", Self.other)
            #expect(second.status == 200, "\(Self.text(second))")
            // Strata of ten people each cost more than what is left of 0.1.
            let refused = try await PolicyAPITests.send(researcher, "GET", Self.stratified)
            #expect(refused.status == 429, "\(Self.text(refused))")
            #expect(Self.code(refused) == "privacy_budget_exhausted")
            #expect(Self.text(refused).contains("privacy-budget"), "says how more is granted: \(Self.text(refused))")
            #expect(!Self.text(refused).contains("alleleCount"))
            let spentBefore = try await Self.spent(researcher)
            // The same question again: identical bytes, no charge.
            let again = try await PolicyAPITests.send(researcher, "GET", Self.common)
            #expect(again.status == 200 && again.body == first.body)
            #expect(try await Self.spent(researcher) == spentBefore, "a repeated question is free")

            let secretariat = try await gateway.client("secretariat")
            let raised = try await PolicyAPITests.send(secretariat, "POST", "/api/admin/approvals/A-2026-001/privacy-budget",
                                                       json: ["budget": 20, "reason": "committee decision: stratified analysis approved"])
            #expect(raised.status == 200, "\(Self.text(raised))")
            let granted = try await PolicyAPITests.send(researcher, "GET", Self.stratified)
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

    @Test("range channel: a region and a point inside it are charged once per variant and read perturbed counts")
    func rangeChannel() async throws {
        let data = try BeaconCohort.makeDataFolder()
        var privacy = GatewayConfiguration.Privacy()
        privacy.approvalBudget = 2  // three variants of a 29-person cohort cost more than the default
        try await TestGateway.with(dataDirectory: data, privacy: privacy) { gateway in
            let researcher = try await gateway.client("researcher-jp")
            let region = "/api/biosamples?referenceName=1&start=999&end=3001&requestedGranularity=count"
            let regionAnswer = try await PolicyAPITests.send(researcher, "GET", region)
            #expect(regionAnswer.status == 200, "\(Self.text(regionAnswer))")
            let spent = try await Self.spent(researcher)
            // The point query inside it asks about a variant the region already released: free.
            let point = try await PolicyAPITests.send(researcher, "GET", PolicyAPITests.everyone)
            #expect(point.status == 200)
            #expect(try await Self.spent(researcher) == spent, "rephrasing a variant already released costs nothing")
            let union = try #require(try PolicyAPITests.count(regionAnswer)), single = try #require(try PolicyAPITests.count(point))
            // Exactly, the region holds 58 samples and so does the point: the difference is 0; released
            // counts are perturbed by their own cell keys, so the difference is not an exact count.
            #expect(abs(union - 58) <= 2 && abs(single - 58) <= 2)
            #expect((try await PolicyAPITests.send(researcher, "GET", region)).body == regionAnswer.body, "the region again: identical")
        }
    }
}

extension PrivacyLedgerGatewayTests {
    @Test("a Beacon yes/no about a variant carried by a few people costs what such an answer tells (Raisaro): about 0.19 for three carriers")
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
            #expect(spent > 0.15 && spent < 0.2, "\(spent)")
            // More than the default budget: with the defaults such an answer is refused outright.
            // Everyone carries 1:3000 G>A: far from the threshold, the yes costs almost nothing.
            #expect(try await PolicyAPITests.send(researcher, "GET", "/api/g_variants?referenceName=1&start=2999&alternateBases=A").status == 200)
            #expect(try await Self.spent(researcher) - spent < 1e-6)
        }
    }
}
