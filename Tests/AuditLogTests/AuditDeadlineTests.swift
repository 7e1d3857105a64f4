import AuditLog
import Foundation
import GatewayCore
import GatewayTestSupport
import GRDBSQLite
import Testing

/// A commit that does not finish (a hung disk, a lock held elsewhere) must not hold answers
/// forever: past the deadline the caller is refused, and the log recovers when the store moves.
@Suite("Audit commit deadline")
struct AuditDeadlineTests {
    @Test("a commit stuck behind another connection's write lock: the caller gets audit_unavailable after the deadline; the log then recovers")
    func stuckCommit() async throws {
        let signer = try await AuditFixture.makeSigner()
        let folder = DevPKI.temporaryFolder("audit-stuck")
        var settings = AuditLog.Settings()
        settings.commitDeadline = .milliseconds(300)
        let log = try AuditLog(folder: folder, signer: signer, settings: settings)
        // Another connection holds the write lock (a raw handle: GRDB will not leave a transaction open).
        var blocker: OpaquePointer?
        #expect(sqlite3_open(folder + "/" + AuditDatabase.fileName, &blocker) == SQLITE_OK)
        #expect(sqlite3_exec(blocker, "BEGIN IMMEDIATE", nil, nil, nil) == SQLITE_OK)
        defer { sqlite3_close(blocker) }

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { for await _ in log.wakeups { await log.writePending() } }
            group.addTask {
                while !Task.isCancelled {
                    try await Task.sleep(for: .milliseconds(50))
                    log.expireOverdue()
                }
            }
            // Refused by the deadline (not by SQLite's 5 s busy timeout, which says "locked").
            await #expect {
                _ = try await log.append(AuditFixture.record(1))
            } throws: { error in
                let error = error as? GatewayError
                return error?.code == .auditUnavailable && error?.message.contains("not committed within") == true
            }
            #expect(log.isFailing)

            // The lock goes: the stuck commit completes, and the next record is answered.
            #expect(sqlite3_exec(blocker, "ROLLBACK", nil, nil, nil) == SQLITE_OK)
            // The next record is committed (on a loaded machine the first try may still meet the
            // deadline while the stuck commit finishes, so a few are allowed).
            var committed: Int?
            for _ in 0..<10 where committed == nil { committed = try? await log.append(AuditFixture.record(2)) }
            let sequence = try #require(committed, "the log recovers once the lock goes")
            #expect(!log.isFailing)
            await log.close()
            group.cancelAll()
            // The stuck record is committed as 1 once the lock goes, unless its commit had already
            // given up (SQLite's busy timeout, on a loaded machine); its caller was refused either way.
            let stored = try await AuditFixture.storedRecords(folder)
            // (A try refused by the deadline may still be committed once the store moves, before the next.)
            #expect(stored.map(\.sequence) == Array(1...sequence), "contiguous, nothing lost after the lock went")
            #expect(stored.last?.sequence == sequence, "the record just answered is the last one")
        }
    }
}
