import Foundation
import GatewayCore
import GRDBSQLite
import Synchronization

/// Reads SQLite's `PRAGMA data_version` on a connection of its own: it changes when any other
/// connection, in this process or another, commits to the database.
///
/// Called on every request, on the request's own thread: a raw read-only connection with one
/// prepared statement behind a mutex (a few microseconds; no dispatch queue hop, no parking
/// behind another thread's queue). A lock held by a writer is waited for at most 50 ms.
final class DataVersionWatcher: @unchecked Sendable {
    private struct Handles: @unchecked Sendable {
        var connection: OpaquePointer
        var statement: OpaquePointer
    }

    private let handles: Mutex<Handles>

    init(path: String) throws(GatewayError) {
        var connection: OpaquePointer?
        guard sqlite3_open_v2(path, &connection, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK, let connection else {
            sqlite3_close(connection)
            throw GatewayError(.policyUnavailable, "the policy store \(path) cannot be watched for changes")
        }
        sqlite3_busy_timeout(connection, 50)
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(connection, "PRAGMA data_version", -1, &statement, nil) == SQLITE_OK, let statement else {
            sqlite3_close(connection)
            throw GatewayError(.policyUnavailable, "the policy store \(path) cannot be watched for changes")
        }
        handles = Mutex(Handles(connection: connection, statement: statement))
    }

    deinit {
        handles.withLock { value in
            sqlite3_finalize(value.statement)
            sqlite3_close(value.connection)
        }
    }

    /// The current data version, or nil if SQLite could not tell (busy, I/O error).
    func current() -> Int64? {
        handles.withLock { value in
            defer { sqlite3_reset(value.statement) }
            guard sqlite3_step(value.statement) == SQLITE_ROW else { return nil }
            return sqlite3_column_int64(value.statement, 0)
        }
    }
}
