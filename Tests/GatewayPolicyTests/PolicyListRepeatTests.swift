import Foundation
import GatewayCore
import GatewayPolicy
import Testing

private typealias F = PolicyFixture

/// A list names each thing once (issue 9): a repeated entry is refused, naming the record,
/// the field and the entry, never read as two of it; and an approval cannot be decided after
/// it is valid, nor in the future.
@Suite("Repeated list entries and decision dates")
struct PolicyListRepeatTests {
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var kind: PolicyEntityKind
        var id: String
        var field: String
        var says: String
        var edit: @Sendable (inout PolicyState) -> Void
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "a member listed twice", kind: .approval, id: "A-JP", field: "members", says: "'r-jp' is listed twice") {
            $0.approvals["A-JP"]?.members = ["r-jp", "r-jp"]
        },
        Case(name: "a member listed three times", kind: .approval, id: "A-JP", field: "members", says: "'r-jp' is listed 3 times") {
            $0.approvals["A-JP"]?.members = ["r-jp", "r-jp", "r-jp"]
        },
        Case(name: "a dataset listed twice", kind: .approval, id: "A-JP", field: "scope.datasets", says: "'gru' is listed twice") {
            $0.approvals["A-JP"]?.scope.datasets = ["gru", "hmb", "gru"]
        },
        Case(name: "a query kind listed twice", kind: .approval, id: "A-JP", field: "scope.query_kinds", says: "'beacon-count' is listed twice") {
            $0.approvals["A-JP"]?.scope.queryKinds = [.beaconCount, .alleleFrequency, .beaconCount]
        },
        Case(name: "a cancer type listed twice", kind: .approval, id: "A-JP", field: "scope.cancer_types", says: "'NCIT:C4872' is listed twice") {
            $0.approvals["A-JP"]?.scope.cancerTypes = ["NCIT:C4872", "NCIT:C4872"]
        },
        Case(name: "a certificate listed twice", kind: .member, id: "r-jp", field: "certificates", says: "is listed twice") {
            $0.members["r-jp"]?.certificates = [F.certificate("r-jp"), F.certificate("r-jp")]
        },
        Case(name: "one fingerprint listed twice in two spellings", kind: .member, id: "r-jp", field: "certificates",
             says: "fingerprint \(String(repeating: "ab", count: 32))) is listed twice") {
            $0.members["r-jp"]?.certificates = [.fingerprint(String(repeating: "ab", count: 32)),
                                               .fingerprint(String(repeating: "AB:", count: 31) + "AB")]
        },
        Case(name: "one fingerprint registered to two members", kind: .member, id: "r-two", field: "certificates[0]",
             says: "already belongs to member r-jp") {
            $0.members["r-jp"]?.certificates = [.fingerprint(String(repeating: "cd", count: 32))]
            $0.members["r-two"]?.certificates = [.fingerprint(String(repeating: "CD:", count: 31) + "CD")]
        },
        Case(name: "decided after valid_from", kind: .approval, id: "A-JP", field: "decision_date",
             says: "is after valid_from; an approval cannot be valid before it was decided") {
            $0.approvals["A-JP"]?.decisionDate = F.time("2026-04-02")
        },
        Case(name: "decided on 9999-12-31", kind: .approval, id: "A-JP", field: "decision_date", says: "is after valid_from") {
            $0.approvals["A-JP"]?.decisionDate = F.time("9999-12-31")
        },
    ]

    @Test("each repeat or impossible decision date is one problem naming record, field and entry", arguments: cases)
    func defect(_ c: Case) {
        var state = F.valid
        c.edit(&state)
        let problems = PolicyValidation.problems(in: state)
        #expect(problems.count == 1, "\(problems)")
        let problem = problems.first
        #expect(problem?.kind == c.kind)
        #expect(problem?.id == c.id)
        #expect(problem?.field == c.field)
        #expect(problem?.message.contains(c.says) == true, "\(problem?.message ?? "none")")
        #expect(problem?.description.hasPrefix("\(c.kind.rawValue) \(c.id), field \(c.field): ") == true, "\(problem?.description ?? "")")
    }

    @Test("decided on the day it starts is valid; so are different entries")
    func decidedTheDayItStarts() {
        var state = F.valid
        state.approvals["A-JP"]?.decisionDate = F.validFrom
        state.approvals["A-JP"]?.scope.cancerTypes = ["NCIT:C4872", "NCIT:C2955"]
        #expect(PolicyValidation.problems(in: state).isEmpty)
    }

    @Test("with the change's time, a decision more than a day ahead of it is refused", arguments: [
        (0.0, false), (86_000.0, false), (86_401.0, true), (86_400.0 * 400, true),
    ])
    func futureDecision(ahead: Double, refused: Bool) {
        let now = F.time("2026-01-01T00:00:00Z")
        var state = F.valid
        state.approvals["A-JP"]?.decisionDate = now.addingTimeInterval(ahead)
        state.approvals["A-JP"]?.validFrom = now.addingTimeInterval(ahead)
        let problems = PolicyValidation.problems(in: state, changedFrom: F.valid, now: now)
        #expect(problems.map(\.field) == (refused ? ["decision_date"] : []), "\(problems)")
        if refused { #expect(problems.first?.message.contains("is in the future") == true) }
        // An approval the change did not touch is not re-judged against the clock.
        #expect(PolicyValidation.problems(in: state, changedFrom: state, now: now).isEmpty)
    }

    @Test("the snapshot counts a member listed twice on one approval as one approval, never two in force")
    func snapshotDeduplicates() throws {
        var state = F.valid
        state.approvals["A-JP"]?.members = ["r-jp", "r-jp"]
        let snapshot = try PolicySnapshot(version: 1, state: state)
        #expect(snapshot.approvals(of: "r-jp").map(\.id) == ["A-JP"])
        let member = try #require(state.members["r-jp"])
        let decision = PolicyEngine().decide(AccessRequest(member: member, action: .query(DataQuery(kind: .beaconCount, approvalID: nil, datasets: [], cancerTypes: [])), time: F.now), in: snapshot)
        #expect(!decision.reasons.map(\.code.rawValue).contains("approval_ambiguous"), "\(decision.reasons)")
    }

    @Test("the directory indexes a certificate a member lists twice once; two members sharing one is still refused")
    func directoryDeduplicates() throws {
        let print = String(repeating: "ef", count: 32)
        let twice = Member(id: "m", name: "M", organization: "o", role: .secretariat,
                           certificates: [.fingerprint(print), .fingerprint(print), .distinguishedName(subject: "CN=m", issuer: "CN=CA"),
                                          .distinguishedName(subject: "CN=m", issuer: "CN=CA")])
        let directory = try MemberDirectory(members: [twice])
        guard case .member(let found) = directory.member(fingerprint: print.uppercased(), subject: "CN=x", issuer: "CN=y") else {
            Issue.record("the fingerprint does not identify m"); return
        }
        #expect(found.id == "m")
        let colons = stride(from: 0, to: 64, by: 2).map { String(Array(print)[$0...$0 + 1]) }.joined(separator: ":")
        guard case .member = directory.member(fingerprint: colons, subject: "CN=x", issuer: "CN=y") else {
            Issue.record("a fingerprint with colons does not identify m"); return
        }
        var other = twice
        other.id = "n"
        #expect(throws: GatewayError.self) { try MemberDirectory(members: [twice, other]) }
    }
}
