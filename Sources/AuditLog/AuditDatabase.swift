import Foundation
import GatewayCore
import GRDB
import GRDBSQLite

/// The audit store: one SQLite file (``fileName``) in the data folder, WAL with
/// `synchronous = FULL` (a commit is on disk when it returns), holding the records and the
/// signed checkpoints. Triggers refuse any UPDATE or DELETE: nothing here is ever changed.
public struct AuditDatabase: Sendable {
    public static let fileName = "audit.sqlite"
    public let path: String
    let pool: DatabasePool

    /// The chain's head as stored: the last sequence and its hash.
    public struct Head: Sendable, Equatable {
        public var sequence: Int
        public var hash: [UInt8]
    }

    public init(folder: String) throws(GatewayError) {
        path = (folder as NSString).appendingPathComponent(Self.fileName)
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            var configuration = Configuration()
            configuration.label = "AuditLog"
            configuration.busyMode = .timeout(5)
            configuration.prepareDatabase { db in
                if !db.configuration.readonly { try db.execute(sql: "PRAGMA synchronous = FULL") }
            }
            pool = try DatabasePool(path: path, configuration: configuration)
            // GRDB sets `synchronous = NORMAL` on the writer when it turns WAL on, after
            // prepareDatabase: NORMAL syncs the log only at checkpoints, so a commit (and the
            // answer waiting for it) could be lost to a power cut. FULL syncs it at every commit.
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            try Self.migrator.migrate(pool)
            let checkpointer = AuditWALCheckpointer(path: path)
            pool.writeWithoutTransaction { db in checkpointer.install(on: db) }
        } catch {
            throw GatewayError(.auditUnavailable, "the audit store \(path) cannot be opened: \(error)")
        }
    }

    /// v1: the tables and their immutability triggers. v2: one index per filter of the export
    /// and the auditors' pages (time, member, organization, approval, decision), so a filtered
    /// page of a log of millions of records reads only its own rows: SQLite keeps the rowid
    /// (the sequence) in every index entry, so `member = ? AND sequence > ? ORDER BY sequence`
    /// is one index range (README "Audit"). Five index entries per record is the price at insert.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE audit_record (
                    sequence INTEGER PRIMARY KEY, time TEXT NOT NULL, member TEXT, organization TEXT,
                    approval TEXT, decision TEXT NOT NULL, record TEXT NOT NULL,
                    prev_hash BLOB NOT NULL, hash BLOB NOT NULL);
                CREATE TABLE audit_checkpoint (
                    sequence INTEGER PRIMARY KEY, checkpoint TEXT NOT NULL, signature TEXT NOT NULL);
                CREATE TRIGGER audit_record_immutable BEFORE UPDATE ON audit_record
                    BEGIN SELECT RAISE(ABORT, 'audit records are never changed'); END;
                CREATE TRIGGER audit_record_permanent BEFORE DELETE ON audit_record
                    BEGIN SELECT RAISE(ABORT, 'audit records are never deleted'); END;
                CREATE TRIGGER audit_checkpoint_immutable BEFORE UPDATE ON audit_checkpoint
                    BEGIN SELECT RAISE(ABORT, 'checkpoints are never changed'); END;
                CREATE TRIGGER audit_checkpoint_permanent BEFORE DELETE ON audit_checkpoint
                    BEGIN SELECT RAISE(ABORT, 'checkpoints are never deleted'); END;
                """)
        }
        migrator.registerMigration("v2-filter-indexes") { db in
            try db.execute(sql: """
                CREATE INDEX audit_record_time ON audit_record(time);
                CREATE INDEX audit_record_member ON audit_record(member);
                CREATE INDEX audit_record_organization ON audit_record(organization);
                CREATE INDEX audit_record_approval ON audit_record(approval);
                CREATE INDEX audit_record_decision ON audit_record(decision);
                """)
        }
        return migrator
    }

    /// The writer connection's `PRAGMA synchronous` (2 = FULL: every commit synced to disk).
    public func writerSynchronous() throws -> Int {
        try pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
    }

    /// The last record's sequence and hash (0 and the genesis hash when empty), after checking
    /// that the last record's hash follows from its text and predecessor.
    public func head() throws(GatewayError) -> Head {
        do {
            return try pool.read { db in
                guard let row = try Row.fetchOne(db, sql: "SELECT sequence, record, prev_hash, hash FROM audit_record ORDER BY sequence DESC LIMIT 1") else {
                    return Head(sequence: 0, hash: AuditChain.genesis)
                }
                let sequence: Int = row[0], record: String = row[1]
                let previous = [UInt8](row[2] as Data), hash = [UInt8](row[3] as Data)
                guard AuditChain.hash(previous: previous, canonical: record) == hash else {
                    throw GatewayError(.auditUnavailable, "the audit log is damaged: record \(sequence)'s hash does not match its text; run `genomegate audit verify`")
                }
                return Head(sequence: sequence, hash: hash)
            }
        } catch let error as GatewayError {
            throw error
        } catch {
            throw GatewayError(.auditUnavailable, "the audit store \(path) cannot be read: \(error)")
        }
    }

    /// The last checkpoint's sequence and signature, if any.
    public func lastCheckpoint() throws(GatewayError) -> (sequence: Int, signature: String)? {
        do {
            return try pool.read { db in
                try Row.fetchOne(db, sql: "SELECT sequence, signature FROM audit_checkpoint ORDER BY sequence DESC LIMIT 1")
                    .map { (sequence: $0[0], signature: $0[1]) }
            }
        } catch {
            throw GatewayError(.auditUnavailable, "the audit store \(path) cannot be read: \(error)")
        }
    }

    /// A record ready to store: its sequence, canonical text and chain hashes.
    struct Sealed: Sendable {
        var record: AuditRecord
        var canonical: String
        var previousHash: [UInt8]
        var hash: [UInt8]
    }

    /// SQLite copies what is bound (`SQLITE_TRANSIENT`).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private static func bind(_ text: String?, at index: Int32, of statement: OpaquePointer) {
        guard var text else { sqlite3_bind_null(statement, index); return }
        text.withUTF8 { utf8 in
            guard let base = utf8.baseAddress, !utf8.isEmpty else {
                _ = sqlite3_bind_text(statement, index, "", 0, transient)
                return
            }
            _ = base.withMemoryRebound(to: CChar.self, capacity: utf8.count) { sqlite3_bind_text(statement, index, $0, Int32(utf8.count), transient) }
        }
    }

    private static func bind(_ bytes: [UInt8], at index: Int32, of statement: OpaquePointer) {
        bytes.withUnsafeBytes { buffer in
            _ = sqlite3_bind_blob(statement, index, buffer.baseAddress, Int32(buffer.count), transient)
        }
    }

    /// Writes `records` (and a checkpoint, if given) in one transaction; committed (fsync) when it returns.
    func write(_ records: [Sealed], checkpoint: (sequence: Int, text: String, signature: String)?) async throws {
        try await pool.writeWithoutTransaction { db in try Self.inTransaction(db) {
            let insert = try db.cachedStatement(sql: """
                INSERT INTO audit_record (sequence, time, member, organization, approval, decision, record, prev_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            // Bound and stepped through SQLite's C interface: per record, no argument array of
            // existentials and no Data copies of the hashes (the writer's hot loop).
            let handle = insert.sqliteStatement
            for sealed in records {
                let record = sealed.record
                sqlite3_reset(handle)
                sqlite3_bind_int64(handle, 1, Int64(record.sequence))
                Self.bind(record.time, at: 2, of: handle)
                Self.bind(record.member, at: 3, of: handle)
                Self.bind(record.organization, at: 4, of: handle)
                Self.bind(record.approval, at: 5, of: handle)
                Self.bind(record.decision, at: 6, of: handle)
                Self.bind(sealed.canonical, at: 7, of: handle)
                Self.bind(sealed.previousHash, at: 8, of: handle)
                Self.bind(sealed.hash, at: 9, of: handle)
                let code = sqlite3_step(handle)
                guard code == SQLITE_DONE else {
                    let message = String(cString: sqlite3_errmsg(db.sqliteConnection))
                    sqlite3_reset(handle)
                    throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: insert.sql)
                }
            }
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
            if let checkpoint {
                try db.execute(sql: "INSERT INTO audit_checkpoint (sequence, checkpoint, signature) VALUES (?, ?, ?)",
                               arguments: [checkpoint.sequence, checkpoint.text, checkpoint.signature])
            }
        } }
    }

    /// `body` in one transaction (BEGIN IMMEDIATE ... COMMIT), rolled back if anything throws,
    /// the commit included. The two statements are prepared once (GRDB's own transaction
    /// prepares both again on every commit).
    private static func inTransaction(_ db: Database, _ body: () throws -> Void) throws {
        try db.cachedStatement(sql: "BEGIN IMMEDIATE TRANSACTION").execute()
        do {
            try body()
            try db.cachedStatement(sql: "COMMIT TRANSACTION").execute()
        } catch {
            if sqlite3_get_autocommit(db.sqliteConnection) == 0 { try? db.execute(sql: "ROLLBACK TRANSACTION") }
            throw error
        }
    }
}
