import Foundation
import GatewayCore
import GatewayPolicy
import GRDB

extension PolicyDatabase {
    /// One record's change in one version: who, when, via what, and the values before and after.
    public struct HistoryEntry: Sendable, Codable, Hashable {
        public var version: Int
        public var recordedAt: String
        public var actor: String
        public var channel: String
        public var summary: String
        public var kind: String
        public var id: String
        public var action: String
        /// The record's JSON before the change (nil when created).
        public var before: String?
        /// The record's JSON after the change.
        public var after: String?

        enum CodingKeys: String, CodingKey {
            case version, actor, channel, summary, kind, id, action, before, after
            case recordedAt = "recorded_at"
        }
    }

    /// History filter: a record kind and id, versions after `afterVersion`, at most `limit`.
    public struct HistoryQuery: Sendable {
        public var kind: PolicyEntityKind?
        public var id: String?
        public var afterVersion: Int
        public var limit: Int

        public init(kind: PolicyEntityKind? = nil, id: String? = nil, afterVersion: Int = 0, limit: Int = 100) {
            self.kind = kind
            self.id = id
            self.afterVersion = afterVersion
            self.limit = limit
        }
    }

    /// The matching history entries, oldest first (page on with `afterVersion`).
    public func history(_ query: HistoryQuery) throws(GatewayError) -> [HistoryEntry] {
        var conditions = ["h.version > ?"]
        var arguments: [any DatabaseValueConvertible] = [query.afterVersion]
        if let kind = query.kind { conditions.append("h.kind = ?"); arguments.append(kind.rawValue) }
        if let id = query.id { conditions.append("h.id = ?"); arguments.append(id) }
        arguments.append(query.limit)
        let sql = """
            SELECT h.version, v.recorded_at, v.actor, v.channel, v.summary, h.kind, h.id, h.action, h.before, h.after
            FROM policy_history h JOIN policy_version v ON v.version = h.version
            WHERE \(conditions.joined(separator: " AND ")) ORDER BY h.version, h.rowid LIMIT ?
            """
        return try Self.reading(path) {
            try pool.read { db in
                try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map { row in
                    HistoryEntry(version: row[0], recordedAt: row[1], actor: row[2], channel: row[3], summary: row[4],
                                 kind: row[5], id: row[6], action: row[7], before: row[8], after: row[9])
                }
            }
        }
    }
}
