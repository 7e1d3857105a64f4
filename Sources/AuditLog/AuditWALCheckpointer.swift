import Dispatch
import Foundation
import GRDB
import GRDBSQLite
import Synchronization

/// Copies the audit store's write-ahead log back into the database file on a background
/// thread, instead of inside a commit.
///
/// SQLite's own automatic checkpoint runs in the commit that takes the log past 1,000 pages:
/// that commit copies up to 4 MB and syncs the database file (two more fsyncs) while every
/// answer of its batch, and of the batches queued behind it, waits. Here the writer's
/// connection only reports the log's size after each commit (``install(on:)``) and a PASSIVE
/// checkpoint runs on a connection of its own, concurrently with later commits (SQLite allows
/// one checkpointer next to the writer). A commit is durable as before: the log is synced
/// at every commit (`synchronous = FULL`); a checkpoint that fails (a full disk, a file-size
/// limit) is simply tried again after a later commit, as SQLite's own would be.
final class AuditWALCheckpointer: Sendable {
    /// Log pages after which a checkpoint is started (SQLite's default automatic checkpoint).
    static let thresholdPages: Int32 = 1000

    let path: String
    private let running = Atomic<Bool>(false)

    init(path: String) {
        self.path = path
    }

    /// Replaces SQLite's automatic checkpoint on the writer's connection with this one.
    /// Kept alive by the connection's hook for the life of the process (one small object per store opened).
    func install(on db: Database) {
        let context = Unmanaged.passRetained(self).toOpaque()
        sqlite3_wal_hook(db.sqliteConnection, { context, _, _, pages in
            guard let context else { return SQLITE_OK }
            Unmanaged<AuditWALCheckpointer>.fromOpaque(context).takeUnretainedValue().logGrew(to: pages)
            return SQLITE_OK
        }, context)
    }

    /// Called by SQLite after each commit on the writer's connection, with the log's size in pages.
    private func logGrew(to pages: Int32) {
        guard pages >= Self.thresholdPages,
              running.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        DispatchQueue.global(qos: .utility).async { [self] in
            defer { running.store(false, ordering: .releasing) }
            checkpoint()
        }
    }

    /// One PASSIVE checkpoint on a connection of its own (never waits for the writer or readers).
    func checkpoint() {
        var connection: OpaquePointer?
        defer { sqlite3_close(connection) }
        guard sqlite3_open_v2(path, &connection, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK, let connection else { return }
        sqlite3_exec(connection, "PRAGMA synchronous = FULL", nil, nil, nil)
        sqlite3_wal_checkpoint_v2(connection, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
    }
}
