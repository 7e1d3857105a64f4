import Foundation
import GatewayCore
import GatewayPolicy
import GatewayTestSupport
import GRDB
import PolicyStore
import Testing

/// A policy version is known by number and revision: a backup restored in place reuses
/// numbers, never revisions (issue 9, finding 4).
@Suite("Policy version identity")
struct PolicyRevisionTests {
    /// Copies the store's file to a fresh folder with SQLite's backup API.
    static func backup(_ store: SeededStore) throws -> DatabaseQueue {
        let copy = try DatabaseQueue(path: DevPKI.temporaryFolder("policy-backup") + "/" + PolicyDatabase.fileName)
        try DatabaseQueue(path: store.folder + "/" + PolicyDatabase.fileName).backup(to: copy)
        return copy
    }

    /// Restores `backup` over the store's file in place, as README describes.
    static func restore(_ backup: DatabaseQueue, to store: SeededStore) throws {
        try backup.backup(to: DatabaseQueue(path: store.folder + "/" + PolicyDatabase.fileName))
    }

    @Test("every version has its own 32-hex-digit revision, kept in the file")
    func revisions() throws {
        let store = try SeededStore("policy-revision")
        let first = store.database.snapshot.identity
        try store.database.apply(.approvalStatus("A-2026-001", .suspend), actor: "member:secretariat", channel: "api")
        let second = store.database.snapshot.identity
        #expect(first.version == 1 && second.version == 2)
        for identity in [first, second] {
            #expect(identity.revision.count == 32 && identity.revision.allSatisfy(\.isHexDigit), "\(identity.revision)")
        }
        #expect(first.revision != second.revision)
        #expect(try store.reopen().snapshot.identity == second)
        #expect(PolicySnapshot.empty.identity == .empty)
    }

    @Test("a change made by another process after a restore, reusing the number in memory, is served")
    func sameNumberAfterRestore() throws {
        let store = try SeededStore("policy-same-number")
        let backup = try Self.backup(store)  // version 1
        try store.database.apply(.approvalStatus("A-2026-001", .suspend), actor: "member:secretariat", channel: "api")
        let served = store.database.snapshot.identity
        #expect(served.version == 2)

        try Self.restore(backup, to: store)  // version 1 again; the gateway has no request in between
        let cli = try store.reopen()
        #expect(cli.snapshot.state.approvals["A-2026-001"]?.status == .active)
        try cli.apply(.approvalStatus("A-2026-002", .suspend), actor: "operator:test", channel: "cli")
        #expect(cli.snapshot.version == served.version)
        #expect(cli.snapshot.revision != served.revision)

        #expect(store.database.needsRefresh())
        let fresh = try store.database.refreshIfChanged()
        #expect(fresh.identity == cli.snapshot.identity)
        #expect(fresh.state.approvals["A-2026-001"]?.status == .active)
        #expect(fresh.state.approvals["A-2026-002"]?.status == .suspended)
        #expect(fresh.state == (try store.reopen().snapshot.state), "differs from the store read afresh")
    }

    @Test("a store restored and changed past the number in memory is read in full, not from the number in memory")
    func higherNumberAfterRestore() throws {
        let store = try SeededStore("policy-higher-number")
        let backup = try Self.backup(store)  // version 1
        try store.database.apply(.approvalStatus("A-2026-001", .suspend), actor: "member:secretariat", channel: "api")
        #expect(store.database.snapshot.version == 2)

        try Self.restore(backup, to: store)
        let cli = try store.reopen()
        try cli.apply(.recordWithdrawals([Withdrawal(participantID: "JPWGS-000123", effectiveAt: time("2026-11-20"))]),
                      actor: "operator:test", channel: "cli")  // 2', rewrites no approval
        try cli.apply(.approvalStatus("A-2026-003", .suspend), actor: "operator:test", channel: "cli")  // 3'
        let fresh = try store.database.refreshIfChanged()
        #expect(fresh.identity == cli.snapshot.identity)
        #expect(fresh.version == 3)
        #expect(fresh.state.approvals["A-2026-001"]?.status == .active)  // an incremental read since 2 would keep "suspended"
        #expect(fresh.withdrawnParticipants == ["JPWGS-000123"])
        #expect(fresh.state == (try store.reopen().snapshot.state), "differs from the store read afresh")
    }

    @Test("a restored backup is served with its own revision, and a change after it gets a new one")
    func restoredIdentity() throws {
        let store = try SeededStore("policy-restored-identity")
        let original = store.database.snapshot.identity
        let backup = try Self.backup(store)
        try store.database.apply(.approvalStatus("A-2026-001", .suspend), actor: "member:secretariat", channel: "api")
        let suspended = store.database.snapshot.identity
        try Self.restore(backup, to: store)
        #expect(try store.database.refreshIfChanged().identity == original)
        try store.database.apply(.approvalStatus("A-2026-004", .suspend), actor: "member:secretariat", channel: "api")
        let after = store.database.snapshot.identity
        #expect(after.version == suspended.version && after.revision != suspended.revision)
    }

    @Test("a change made in this process after a restore starts from the restored policy, not the one in memory")
    func changeAfterRestore() throws {
        let store = try SeededStore("policy-change-after-restore")
        let backup = try Self.backup(store)
        try store.database.apply(.approvalStatus("A-2026-001", .suspend), actor: "member:secretariat", channel: "api")
        try store.database.apply(.approvalStatus("A-2026-001", .revoke), actor: "member:secretariat", channel: "api")
        try Self.restore(backup, to: store)  // version 1: A-2026-001 active; no refresh in between

        let receipt = try store.database.apply(.approvalStatus("A-2026-002", .suspend), actor: "member:secretariat", channel: "api")
        #expect(receipt.version == 2)
        #expect(store.database.snapshot.identity == receipt.snapshot.identity)
        let stored = try store.reopen().snapshot
        #expect(stored.identity == receipt.snapshot.identity)
        #expect(stored.state.approvals["A-2026-001"]?.status == .active)
        #expect(stored.state == store.database.snapshot.state)
        let history = try store.database.history(.init(kind: .approval, id: "A-2026-001"))
        #expect(history.map(\.version) == [1])
    }

    @Test("a store written before revisions gets one for every version, and a backup of it restored in place is served")
    func migration() throws {
        let store = try SeededStore("policy-migration")
        try store.database.apply(.approvalStatus("A-2026-001", .suspend), actor: "member:secretariat", channel: "api")
        let old = try Self.backup(store)
        try old.write { db in  // back to the schema before revisions
            try db.execute(sql: """
                DROP INDEX policy_version_revision;
                ALTER TABLE policy_version DROP COLUMN revision;
                DELETE FROM grdb_migrations WHERE identifier = 'v2-revision';
                """)
        }
        let upgraded = DevPKI.temporaryFolder("policy-upgraded")
        try old.backup(to: DatabaseQueue(path: upgraded + "/" + PolicyDatabase.fileName))
        let opened = try PolicyDatabase(folder: upgraded)
        #expect(opened.snapshot.version == 2 && opened.snapshot.revision.count == 32)

        try store.database.apply(.approvalStatus("A-2026-002", .suspend), actor: "member:secretariat", channel: "api")
        try Self.restore(old, to: store)  // the old-schema backup, in place, under a running store
        let fresh = try store.database.refreshIfChanged()
        #expect(fresh.version == 2 && fresh.revision.count == 32)
        #expect(fresh.state.approvals["A-2026-002"]?.status == .active)
        #expect(fresh.state.approvals["A-2026-001"]?.status == .suspended)
    }
}
