import Foundation
import GatewayCore
import GatewayPolicy
import GRDB

extension PolicyDatabase {
    /// Tables: `policy_record` (current records as JSON, by kind and id), `withdrawal`,
    /// `policy_version` (who, when, via what, summary) and `policy_history` (before/after of
    /// every record each version changed). Nothing is ever deleted from the last two.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE policy_record (
                    kind TEXT NOT NULL, id TEXT NOT NULL, document TEXT NOT NULL, version INTEGER NOT NULL,
                    PRIMARY KEY (kind, id)) WITHOUT ROWID;
                CREATE TABLE withdrawal (
                    participant_id TEXT PRIMARY KEY, effective_at TEXT NOT NULL, recorded_at TEXT NOT NULL,
                    version INTEGER NOT NULL) WITHOUT ROWID;
                CREATE TABLE policy_version (
                    version INTEGER PRIMARY KEY, recorded_at TEXT NOT NULL, actor TEXT NOT NULL,
                    channel TEXT NOT NULL, summary TEXT NOT NULL);
                CREATE TABLE policy_history (
                    version INTEGER NOT NULL, kind TEXT NOT NULL, id TEXT NOT NULL, action TEXT NOT NULL,
                    before TEXT, after TEXT);
                CREATE INDEX policy_history_record ON policy_history (kind, id, version);
                CREATE INDEX policy_history_version ON policy_history (version);
                CREATE INDEX policy_record_version ON policy_record (version);
                CREATE INDEX withdrawal_version ON withdrawal (version);
                """)
        }
        // Every version gets a random revision: the number alone is reused after a restore
        // from backup (see PolicyIdentity). Versions written before get one now.
        migrator.registerMigration("v2-revision") { db in
            try db.execute(sql: """
                ALTER TABLE policy_version ADD COLUMN revision TEXT NOT NULL DEFAULT '';
                UPDATE policy_version SET revision = lower(hex(randomblob(16)));
                CREATE UNIQUE INDEX policy_version_revision ON policy_version (revision);
                """)
        }
        return migrator
    }

    /// A fresh revision for a new version: 128 random bits as 32 hex digits.
    static func newRevision() -> String {
        var generator = SystemRandomNumberGenerator()
        let words = [generator.next() as UInt64, generator.next() as UInt64]
        return HexEncoding.string(words.flatMap { word in (0..<8).map { UInt8(truncatingIfNeeded: word >> (8 * $0)) } })
    }

    /// The latest version's identity (``PolicyIdentity/empty`` when no change was ever committed).
    static func latestIdentity(_ db: Database) throws -> PolicyIdentity {
        let sql = "SELECT version, revision FROM policy_version ORDER BY version DESC LIMIT 1"
        guard let row = try Row.fetchOne(db.cachedStatement(sql: sql)) else { return .empty }
        return PolicyIdentity(version: row[0], revision: row[1])
    }

    /// Whether the store's history holds version `identity`: then every later version was
    /// built on it, and the policy at `identity` plus the records written since is the
    /// latest. False after a restore from backup replaced that history.
    static func holds(_ identity: PolicyIdentity, _ db: Database) throws -> Bool {
        if identity == .empty { return true }
        let sql = "SELECT EXISTS (SELECT 1 FROM policy_version WHERE version = ? AND revision = ?)"
        return try Bool.fetchOne(db.cachedStatement(sql: sql), arguments: [identity.version, identity.revision]) ?? false
    }

    /// The latest version and the policy as stored.
    static func load(_ db: Database) throws -> (PolicyIdentity, PolicyState) {
        try loadChanges(db, since: .empty, into: PolicyState())
    }

    /// The latest version and the policy as stored: `base` (the policy at version `since`)
    /// with every record written after `since` when the store still holds `since` (only what
    /// changed is read and decoded), or read in full when it does not (a backup was restored).
    static func loadChanges(_ db: Database, since identity: PolicyIdentity, into base: PolicyState) throws -> (PolicyIdentity, PolicyState) {
        let version = try latestIdentity(db)
        if version == identity { return (version, base) }
        guard version.version > identity.version, try holds(identity, db) else {
            return identity == .empty ? (version, PolicyState()) : try load(db)
        }
        let since = identity.version
        var state = base
        // Records replaced by a change are rewritten with its version; removed ones are in the history.
        let removed = try Row.fetchCursor(db, sql: "SELECT kind, id FROM policy_history WHERE version > ? AND action = 'remove'", arguments: [since])
        while let row = try removed.next() {
            let kind: String = row[0], id: String = row[1]
            switch PolicyEntityKind(rawValue: kind) {
            case .organization: state.organizations[id] = nil
            case .member: state.members[id] = nil
            case .approval: state.approvals[id] = nil
            case .dataset: state.datasets[id] = nil
            case .jurisdiction: state.jurisdictions[id] = nil
            case .withdrawal, nil: throw GatewayError(.policyUnavailable, "the policy history records removing a \(kind), which never happens")
            }
        }
        let rows = try Row.fetchCursor(db, sql: "SELECT kind, id, document FROM policy_record WHERE version > ?", arguments: [since])
        while let row = try rows.next() {
            let kind: String = row[0], id: String = row[1], document: String = row[2]
            let data = Data(document.utf8)
            switch PolicyEntityKind(rawValue: kind) {
            case .organization: state.organizations[id] = try PolicyJSON.decoder.decode(Organization.self, from: data)
            case .member: state.members[id] = try PolicyJSON.decoder.decode(Member.self, from: data)
            case .approval: state.approvals[id] = try PolicyJSON.decoder.decode(Approval.self, from: data)
            case .dataset: state.datasets[id] = try PolicyJSON.decoder.decode(Dataset.self, from: data)
            case .jurisdiction: state.jurisdictions[id] = try PolicyJSON.decoder.decode(EquivalentJurisdiction.self, from: data)
            case .withdrawal, nil: throw GatewayError(.policyUnavailable, "the policy store holds a record of unknown kind '\(kind)'")
            }
        }
        let withdrawals = try Row.fetchCursor(db, sql: "SELECT participant_id, effective_at, recorded_at FROM withdrawal WHERE version > ?", arguments: [since])
        if since == 0 { state.withdrawals.reserveCapacity(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM withdrawal") ?? 0) }
        while let row = try withdrawals.next() {
            let id: String = row[0]
            guard let effective = PolicyJSON.parseTimestamp(row[1]), let recorded = PolicyJSON.parseTimestamp(row[2]) else {
                throw GatewayError(.policyUnavailable, "the policy store holds a withdrawal with a malformed time (participant \(id.prefix(40)))")
            }
            state.withdrawals[id] = Withdrawal(participantID: id, effectiveAt: effective, recordedAt: recorded)
        }
        return (version, state)
    }

    /// Writes every record that differs between `before` and `after`, with its history;
    /// returns them as `kind id`.
    static func write(from before: PolicyState, to after: PolicyState, version: Int, action: String, db: Database) throws -> [String] {
        var changed: [String] = []
        func sync<Value: Encodable & Equatable>(_ kind: PolicyEntityKind, _ old: [String: Value], _ new: [String: Value]) throws {
            for id in Set(old.keys).union(new.keys).sorted() where old[id] != new[id] {
                let oldText = try old[id].map(PolicyJSON.encode)
                let newText = try new[id].map(PolicyJSON.encode)
                if let newText {
                    try db.execute(sql: "INSERT OR REPLACE INTO policy_record (kind, id, document, version) VALUES (?, ?, ?, ?)",
                                   arguments: [kind.rawValue, id, newText, version])
                } else {
                    try db.execute(sql: "DELETE FROM policy_record WHERE kind = ? AND id = ?", arguments: [kind.rawValue, id])
                }
                try db.execute(sql: "INSERT INTO policy_history (version, kind, id, action, before, after) VALUES (?, ?, ?, ?, ?, ?)",
                               arguments: [version, kind.rawValue, id, oldText == nil ? "create" : newText == nil ? "remove" : action, oldText, newText])
                changed.append("\(kind.rawValue) \(id)")
            }
        }
        try sync(.organization, before.organizations, after.organizations)
        try sync(.member, before.members, after.members)
        try sync(.dataset, before.datasets, after.datasets)
        try sync(.approval, before.approvals, after.approvals)
        try sync(.jurisdiction, before.jurisdictions, after.jurisdictions)
        // Withdrawals are only ever added.
        if after.withdrawals.count != before.withdrawals.count {
            let insert = try db.cachedStatement(sql: "INSERT INTO withdrawal (participant_id, effective_at, recorded_at, version) VALUES (?, ?, ?, ?)")
            let history = try db.cachedStatement(sql: "INSERT INTO policy_history (version, kind, id, action, before, after) VALUES (?, 'withdrawal', ?, 'withdraw', NULL, ?)")
            var added = 0
            for (id, withdrawal) in after.withdrawals where before.withdrawals[id] == nil {
                let recorded = withdrawal.recordedAt ?? Date()
                try insert.execute(arguments: [id, PolicyJSON.timestamp(withdrawal.effectiveAt), PolicyJSON.timestamp(recorded), version])
                try history.execute(arguments: [version, id, try PolicyJSON.encode(withdrawal)])
                added += 1
            }
            changed.append("withdrawal x\(added)")
        }
        return changed
    }
}
