import Foundation
import GatewayCore
import GatewayPolicy
import GatewayTestSupport
import GRDB
import PolicyStore
import Testing

/// Safeguards found in review: status is never a side effect of an import, revocation is
/// final, a restored store is served as it is, withdrawal ids are plain ASCII.
@Suite("Policy safeguards")
struct PolicySafeguardTests {
    @Test("re-importing the files keeps a suspended or revoked approval and member as they are")
    func importKeepsStatus() throws {
        let store = try SeededStore("policy-status")
        try store.database.apply(.approvalStatus("A-2026-001", .revoke), actor: "member:secretariat", channel: "api")
        try store.database.apply(.approvalStatus("A-2026-002", .suspend), actor: "member:secretariat", channel: "api")
        try store.database.apply(.memberStatus("researcher-gb", .suspend), actor: "member:secretariat", channel: "api")
        var imported = try PolicyImport(folder: SeededStore.examples).state
        imported.approvals["A-2026-001"]?.title = "A retitled approval"
        #expect(try PolicyImport(folder: SeededStore.examples).problems(applyingTo: store.database.snapshot.state).isEmpty)
        try store.database.apply(.importing(imported, from: "policy"), actor: "operator:test", channel: "import")
        let state = try store.reopen().snapshot.state
        #expect(state.approvals["A-2026-001"]?.status == .revoked)
        #expect(state.approvals["A-2026-001"]?.title == "A retitled approval")
        #expect(state.approvals["A-2026-002"]?.status == .suspended)
        #expect(state.members["researcher-gb"]?.status == .suspended)
    }

    @Test("no change can bring a revoked approval or member back")
    func revocationIsFinal() throws {
        let store = try SeededStore("policy-final")
        try store.database.apply(.approvalStatus("A-2026-003", .revoke), actor: "member:secretariat", channel: "api")
        try store.database.apply(.memberStatus("researcher-us", .revoke), actor: "member:secretariat", channel: "api")
        let sneaky = PolicyChange(summary: "edit", action: "edit") { state, _ throws(GatewayError) in
            state.approvals["A-2026-003"]?.status = .active
            state.members["researcher-us"]?.status = .active
        }
        #expect {
            try store.database.apply(sneaky, actor: "operator:test", channel: "cli")
        } throws: { error in
            let message = (error as? GatewayError)?.message ?? ""
            return (error as? GatewayError)?.code == .invalidPolicy && message.contains("approval A-2026-003 is revoked")
                && message.contains("member researcher-us is revoked")
        }
    }

    @Test("a store restored to an earlier version in place is served as restored, and later changes count")
    func restoredBackup() throws {
        let store = try SeededStore("policy-restore")
        let backup = DevPKI.temporaryFolder("policy-backup") + "/policy.sqlite"
        let backupQueue = try DatabaseQueue(path: backup)
        let source = try DatabaseQueue(path: store.folder + "/" + PolicyDatabase.fileName)
        try source.backup(to: backupQueue)
        try store.database.apply(.approvalStatus("A-2026-001", .suspend), actor: "member:secretariat", channel: "api")
        try store.database.apply(.approvalStatus("A-2026-001", .reinstate), actor: "member:secretariat", channel: "api")
        #expect(store.database.snapshot.version == 3)

        try backupQueue.backup(to: source)  // restore version 1 in place
        #expect(store.database.needsRefresh())
        #expect(try store.database.refreshIfChanged().version == 1)
        let cli = try store.reopen()
        try cli.apply(.approvalStatus("A-2026-004", .suspend), actor: "operator:test", channel: "cli")
        let served = try store.database.refreshIfChanged()
        #expect(served.version == 2)
        #expect(served.state.approvals["A-2026-004"]?.status == .suspended)
    }

    @Test("participant ids are printable ASCII", arguments: [
        ("JPWGS-000123", true), ("P 1", true), (" P1", false), ("P1 ", false), ("Ｐ１", false), ("P\u{FFFD}1", false),
        ("P,1", false), ("P\"1", false), ("", false), (String(repeating: "x", count: 129), false),
    ])
    func participantIDs(id: String, valid: Bool) {
        #expect(PolicyValidation.isParticipantID(id) == valid)
    }

    @Test("a time given as a number in JSON is refused, not read as seconds")
    func numericTime() throws {
        let body = Data(#"{"country": "DE", "effective_from": 900000000}"#.utf8)
        #expect {
            _ = try PolicyJSON.decode(EquivalentJurisdiction.self, from: body, what: "entry")
        } throws: { error in
            ((error as? GatewayError)?.message ?? "").contains("field effective_from")
        }
    }

    @Test("one certificate registered to two members (by fingerprint and by name) acts for neither")
    func certificateOfTwoMembers() throws {
        let fingerprint = String(repeating: "cd", count: 32)
        let directory = try MemberDirectory(members: [
            Member(id: "a", name: "A", organization: "o", role: .researcher, certificates: [.fingerprint(fingerprint)]),
            Member(id: "b", name: "B", organization: "o", role: .auditor,
                   certificates: [.distinguishedName(subject: "CN=a", issuer: "CN=CA")]),
        ])
        guard case .denied(let error) = directory.member(fingerprint: fingerprint, subject: "CN=a", issuer: "CN=CA") else {
            Issue.record("a certificate of two members was accepted")
            return
        }
        #expect(error.code == .unknownMember)
        guard case .member(let member) = directory.member(fingerprint: fingerprint, subject: "CN=other", issuer: "CN=CA") else {
            Issue.record("the fingerprint alone no longer identifies member a")
            return
        }
        #expect(member.id == "a")
    }
}
