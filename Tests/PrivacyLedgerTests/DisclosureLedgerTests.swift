import Foundation
import GatewayCore
import Testing
import VariantStore
@testable import PrivacyLedger

/// The durable service: budgets over two accounts, refusals, concurrency and replay, on real
/// ledger files.
@Suite("Disclosure ledger")
struct DisclosureLedgerTests {
    typealias F = LedgerFixture
    static let fixture = F(people: 1000)
    static let approval = LedgerAccountKey.approval("A-7")
    static let member = LedgerAccountKey.member("researcher-jp")
    /// What one new subject over everyone costs each person: two samples at f = 0.5.
    static let perSubject = 2 * MembershipSignal.charge(frequency: 0.5, cellSamples: 2000, noiseVariance: 0)

    static func request(_ subjects: Range<Int>) -> [SubjectRelease] {
        subjects.map { F.subject("chr1:\($0):A:G", fixture.everyone) }
    }

    @Test("bad settings are refused naming the gateway.yaml key", arguments: [
        (PrivacySettings(approvalBudget: 0), "privacy.approval_budget"),
        (PrivacySettings(approvalBudget: -1), "privacy.approval_budget"),
        (PrivacySettings(approvalBudget: .nan), "privacy.approval_budget"),
        (PrivacySettings(approvalBudget: 100.5), "privacy.approval_budget"),
        (PrivacySettings(memberBudget: 0), "privacy.member_budget"),
        (PrivacySettings(memberBudget: .infinity), "privacy.member_budget"),
        (PrivacySettings(minimumDifferencePeople: 1), "privacy.minimum_difference_people"),
        (PrivacySettings(minimumDifferencePeople: 1001), "privacy.minimum_difference_people"),
        (PrivacySettings(minimumCellCount: 0), "disclosure.minimum_cell_count"),
    ] as [(PrivacySettings, String)])
    func badSettings(settings: PrivacySettings, key: String) throws {
        let error = #expect(throws: GatewayError.self) { try settings.validated() }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.message.hasPrefix(key) == true, "\(String(describing: error))")
        let path = temporaryLedgerPath("bad-settings")
        #expect(throws: GatewayError.self) { _ = try DisclosureLedger(path: path, settings: settings) }
        #expect(!FileManager.default.fileExists(atPath: path), "nothing is created")
        #expect(throws: Never.self) { try PrivacySettings(approvalBudget: 100, memberBudget: 1e-9, minimumDifferencePeople: 2).validated() }
    }

    @Test("once either account's budget is spent, a request is refused and neither account changes", arguments: [true, false])
    func budgetAllOrNothing(approvalIsShort: Bool) async throws {
        let ledger = try DisclosureLedger(path: temporaryLedgerPath("budget"), settings: PrivacySettings())
        let first = try ledger.charge(Self.request(0..<2), accounts: [(Self.approval, 1), (Self.member, 1)], personOfSample: Self.fixture.personOfSample)
        #expect(first.accounts.allSatisfy { abs($0.spentAfter - 2 * Self.perSubject) < 1e-15 && $0.spentBefore == 0 }, "\(first)")
        let before = (ledger.account(Self.approval), ledger.account(Self.member))
        let budgets = approvalIsShort ? (0.002, 1.0) : (1.0, 0.002)
        let error = #expect(throws: GatewayError.self) {
            try ledger.charge(Self.request(2..<4), accounts: [(Self.approval, budgets.0), (Self.member, budgets.1)],
                                    personOfSample: Self.fixture.personOfSample)
        }
        #expect(error?.code == .privacyBudgetExhausted)
        let message = error?.message ?? ""
        #expect(message.contains(approvalIsShort ? "approval A-7" : "member researcher-jp"), "\(message)")
        #expect(message.contains("spent 0.002 of 0.002, remaining 0;"), "\(message)")
        #expect(message.contains("POST /api/admin/approvals/" + (approvalIsShort ? "A-7/privacy-budget" : "{id}/privacy-budget")), "\(message)")
        #expect(ledger.account(Self.approval) == before.0 && ledger.account(Self.member) == before.1)
        // Within budget it passes, and a repeat is free even with nothing left.
        _ = try ledger.charge(Self.request(2..<4), accounts: [(Self.approval, 1), (Self.member, 1)], personOfSample: Self.fixture.personOfSample)
        let repeated = try ledger.charge(Self.request(0..<4), accounts: [(Self.approval, 0.001), (Self.member, 0.001)], personOfSample: Self.fixture.personOfSample)
        #expect(repeated.isFree && repeated.accounts[0].spentAfter == ledger.spent(Self.approval))
    }

    @Test("differencing is refused naming the subject, not the small number of people")
    func differencingMessage() async throws {
        let ledger = try DisclosureLedger(path: temporaryLedgerPath("differencing"), settings: PrivacySettings())
        let people = Self.fixture.personOfSample
        _ = try ledger.charge([F.subject("chr9:99:A:T", Self.fixture.everyone)], accounts: [(Self.approval, 1)], personOfSample: people)
        let error = #expect(throws: GatewayError.self) {
            try ledger.charge([F.subject("chr9:99:A:T", Self.fixture.everyone(except: [5]))], accounts: [(Self.approval, 1)], personOfSample: people)
        }
        #expect(error?.code == .differencingRefused)
        #expect(error?.message.hasPrefix("chr9:99:A:T: this cohort differs by fewer than 5 people from one approval A-7 was already answered about") == true,
                "\(String(describing: error))")
        #expect(error?.message.contains("1 person") == false, "the small count itself is not said")
        // A member who never asked about it before may ask about the smaller cohort.
        _ = try ledger.charge([F.subject("chr9:99:A:T", Self.fixture.everyone(except: [5]))], accounts: [(Self.member, 1)], personOfSample: people)
    }

    @Test("concurrent requests on one account never spend past the budget")
    func noDoubleSpend() async throws {
        let ledger = try DisclosureLedger(path: temporaryLedgerPath("concurrent"), settings: PrivacySettings())
        let budget = 10.5 * Self.perSubject
        let people = Self.fixture.personOfSample
        let outcomes = await withTaskGroup(of: GatewayError.Code?.self) { group in
            for subject in 0..<40 {
                group.addTask {
                    do {
                        _ = try ledger.charge(Self.request(subject..<(subject + 1)), accounts: [(Self.approval, budget)], personOfSample: people)
                        return nil
                    } catch let error as GatewayError { return error.code } catch { return "unexpected" }
                }
            }
            var outcomes: [GatewayError.Code?] = []
            for await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
        // Answers are given while the spent budget is below it: 11 (the last one takes it over by its own charge).
        #expect(outcomes.filter { $0 == nil }.count == 11)
        #expect(outcomes.filter { $0 == .privacyBudgetExhausted }.count == 29)
        #expect(ledger.spent(Self.approval) <= budget + Self.perSubject)
        #expect(ledger.account(Self.approval)?.subjects.count == 11)
    }

    @Test("replay on reopen rebuilds every account exactly")
    func replayIdentity() async throws {
        let path = temporaryLedgerPath("replay")
        let fixture = Self.fixture
        let people = fixture.personOfSample
        let strata = (0..<16).map { stratum in fixture.pool((0..<1000).filter { $0 % 16 == stratum }) }
        var expected: [LedgerAccountKey: DisclosureAccount?] = [:]
        var pools = 0
        do {
            let ledger = try DisclosureLedger(path: path, settings: PrivacySettings())
            let accounts = [(Self.approval, 100.0), (Self.member, 100.0)]
            for variant in 0..<20 {
                var releases = [PoolRelease(samples: fixture.everyone, frequency: Double(variant) / 40, noiseVariance: 2)]
                releases += strata.enumerated().map { PoolRelease(samples: $1, frequency: Double($0) / 37, noiseVariance: 2) }
                _ = try ledger.charge([SubjectRelease(subject: "chr1:\(variant):A:G", pools: releases)], accounts: accounts, personOfSample: people)
            }
            _ = try ledger.charge([F.subject("chr1:3:A:G", fixture.everyone(except: Set(0..<80)), frequency: 0.125)], accounts: accounts, personOfSample: people)
            _ = try ledger.charge([F.subject("beacon", fixture.everyone, frequency: 0, presenceOnly: true)], accounts: [(.approval("B-1"), 100)], personOfSample: people)
            _ = try ledger.charge([F.subject("beacon", fixture.everyone, frequency: 0.3)], accounts: [(.approval("B-1"), 100)], personOfSample: people)
            _ = try ledger.charge([F.subject("summary", SampleSet.all(capacity: 2100))], accounts: [(.approval("B-1"), 100)], personOfSample: people)
            for key in [Self.approval, Self.member, .approval("B-1")] { expected[key] = ledger.account(key) }
            pools = ledger.poolCount
        }
        let reopened = try DisclosureLedger(path: path, settings: PrivacySettings())
        #expect(reopened.poolCount == pools && pools == 19)
        for (key, account) in expected {
            let replayed = reopened.account(key)
            #expect(replayed != nil && replayed == account, "\(key)")
            #expect(reopened.spent(key) == account?.spent)
        }
        // The replayed state decides like the original: a repeat is free, differencing refused.
        let repeated = try reopened.charge([F.subject("chr1:3:A:G", fixture.everyone)], accounts: [(Self.approval, 100)], personOfSample: people)
        #expect(repeated.isFree)
        #expect(throws: GatewayError.self) {
            try reopened.charge([F.subject("chr1:3:A:G", fixture.everyone(except: [500]))], accounts: [(Self.approval, 100)], personOfSample: people)
        }
    }

    @Test("an account named twice is charged once, against the smaller budget")
    func accountNamedTwice() async throws {
        let ledger = try DisclosureLedger(path: temporaryLedgerPath("twice"), settings: PrivacySettings())
        let people = Self.fixture.personOfSample
        let charge = try ledger.charge(Self.request(0..<1), accounts: [(Self.approval, 1), (Self.approval, 0.5)], personOfSample: people)
        #expect(charge.accounts.count == 1 && charge.accounts[0].budget == 0.5)
        #expect(ledger.spent(Self.approval) == Self.perSubject)
        #expect(throws: GatewayError.self) {
            try ledger.charge(Self.request(1..<2), accounts: [(Self.approval, 1), (Self.approval, 0.001)], personOfSample: people)
        }
    }

    @Test("a disabled ledger charges nothing and writes nothing")
    func disabled() async throws {
        let path = temporaryLedgerPath("disabled")
        let ledger = try DisclosureLedger(path: path, settings: PrivacySettings(enabled: false))
        let charge = try ledger.charge(Self.request(0..<3), accounts: [(Self.approval, 0.001)], personOfSample: Self.fixture.personOfSample)
        #expect(charge.isFree && ledger.spent(Self.approval) == 0 && ledger.poolCount == 0)
    }

    @Test("a write that fails halfway refuses that request, leaves nothing of it, and the next one is charged")
    func writeFailsHalfway() throws {
        let path = temporaryLedgerPath("halfway")
        let people = Self.fixture.personOfSample
        var expected: DisclosureAccount?
        do {
            let ledger = try DisclosureLedger(path: path, settings: PrivacySettings())
            _ = try ledger.charge(Self.request(0..<1), accounts: [(Self.approval, 1)], personOfSample: people)
            let before = ledger.account(Self.approval)
            let size = try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
            ledger.failNextWriteHalfwayForTesting()
            let error = #expect(throws: GatewayError.self) {
                try ledger.charge(Self.request(1..<2), accounts: [(Self.approval, 1)], personOfSample: people)
            }
            #expect(error?.code == .serviceUnavailable && error?.message.contains(path) == true)
            #expect(ledger.account(Self.approval) == before, "memory is rebuilt from the file: the refused charge is not counted")
            #expect(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int == size, "the half-written record is cut off")
            // The ledger goes on: the same request is now charged.
            let charged = try ledger.charge(Self.request(1..<2), accounts: [(Self.approval, 1)], personOfSample: people)
            #expect(!charged.isFree && charged.accounts[0].spentAfter == ledger.spent(Self.approval))
            expected = ledger.account(Self.approval)
        }
        let reopened = try DisclosureLedger(path: path, settings: PrivacySettings())
        #expect(reopened.openingNotes.isEmpty && reopened.account(Self.approval) == expected)
    }

    @Test("a file that cannot be written at all refuses every charge until restart, and loses nothing")
    func commitFailure() throws {
        let path = temporaryLedgerPath("full")
        let people = Self.fixture.personOfSample
        var before: DisclosureAccount?
        do {
            let ledger = try DisclosureLedger(path: path, settings: PrivacySettings())
            _ = try ledger.charge(Self.request(0..<1), accounts: [(Self.approval, 1)], personOfSample: people)
            before = ledger.account(Self.approval)
            // Every later write fails (ENOSPC, as on a full disk) and the file cannot be reread.
            ledger.failWritesForTesting()
            for attempt in 1..<4 {
                let error = #expect(throws: GatewayError.self) {
                    try ledger.charge(Self.request(attempt..<(attempt + 1)), accounts: [(Self.approval, 1)], personOfSample: people)
                }
                #expect(error?.code == .serviceUnavailable)
                #expect(error?.message.contains(path) == true)
            }
        }
        // After a restart the file holds exactly what was acknowledged.
        let reopened = try DisclosureLedger(path: path, settings: PrivacySettings())
        #expect(reopened.account(Self.approval) == before)
    }
}
