import AuditLog
import Foundation
import GatewayCore
import GatewayTestSupport
import GRDB
import Testing

/// The audit store's write-ahead log is copied back into the database file off the commit path
/// (issue 13): commits never run SQLite's automatic checkpoint, yet the log does not grow
/// without end, and what was committed stays there and verifies.
@Suite("Audit WAL checkpoints")
struct AuditWALCheckpointTests {
    static func walPages(_ folder: String) -> Int {
        let size = (try? FileManager.default.attributesOfItem(atPath: folder + "/" + AuditDatabase.fileName + "-wal")[.size] as? Int) ?? 0
        return size / 4096
    }

    static func databaseBytes(_ folder: String) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: folder + "/" + AuditDatabase.fileName)[.size] as? Int) ?? 0
    }

    @Test("past 1,000 log pages a background checkpoint copies the log into the database; every record stays and the chain verifies")
    func backgroundCheckpoint() async throws {
        let folder = DevPKI.temporaryFolder("audit-wal")
        let signer = try await AuditFixture.makeSigner()
        let before = try await AuditFixture.withDrivenLog(folder: folder, signer: signer) { log in
            let before = Self.databaseBytes(folder)
            // Batches of 100 records, about 1,500 log pages in all.
            for batch in 0..<60 {
                try await withThrowingTaskGroup(of: Int.self) { group in
                    for index in 1...100 { group.addTask { try await log.append(AuditFixture.record(batch * 100 + index)) } }
                    for try await _ in group {}
                }
            }
            // The checkpoint runs beside the writer: wait for the database file to take the log's pages.
            for _ in 0..<100 where Self.databaseBytes(folder) <= before + 1_000_000 {
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(Self.databaseBytes(folder) > before + 1_000_000, "the records reached the database file while the log was open")
            return before
        }
        #expect(before < 1_000_000)
        let entries = try await AuditFixture.storedRecords(folder)
        #expect(entries.count == 6000)
        try AuditLogWriterTests.expectValidChain(entries)
    }
}

/// The audit store's commits are synced to disk (issue 13): GRDB turns WAL on with
/// `synchronous = NORMAL` after the store's own `FULL`, which synced the log only at checkpoints.
@Suite("Audit store durability")
struct AuditDurabilityTests {
    @Test("the writer connection commits with synchronous = FULL, on a new store and on a reopened one")
    func writerIsFull() async throws {
        let folder = DevPKI.temporaryFolder("audit-sync")
        #expect(try AuditDatabase(folder: folder).writerSynchronous() == 2)
        let signer = try await AuditFixture.makeSigner()
        _ = try await AuditFixture.withDrivenLog(folder: folder, signer: signer) { log in
            #expect(try log.database.writerSynchronous() == 2)
            return try await log.append(AuditFixture.record(1))
        }
        #expect(try AuditDatabase(folder: folder).writerSynchronous() == 2)
    }
}
