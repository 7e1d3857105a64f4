import Foundation
import GatewayCore
import GRDB

extension PolicyDatabase {
    /// One policy version: who, when, through what, its summary, and how many consent
    /// withdrawals it recorded (withdrawals are counted, never listed in the history).
    public struct VersionEntry: Sendable, Hashable {
        public var version: Int
        public var recordedAt: String
        public var actor: String
        public var channel: String
        public var summary: String
        public var withdrawals: Int
    }

    /// Versions below `before` (nil: the latest), newest first, at most `limit` (keyset paging);
    /// with `recordingWithdrawals`, only those that recorded withdrawals.
    public func versions(before: Int?, limit: Int, recordingWithdrawals: Bool = false) throws(GatewayError) -> [VersionEntry] {
        let only = recordingWithdrawals ? "AND EXISTS (SELECT 1 FROM withdrawal w WHERE w.version = v.version)" : ""
        let sql = """
            SELECT v.version, v.recorded_at, v.actor, v.channel, v.summary,
                   (SELECT COUNT(*) FROM withdrawal w WHERE w.version = v.version)
            FROM policy_version v WHERE v.version < ? \(only) ORDER BY v.version DESC LIMIT ?
            """
        return try Self.reading(path) {
            try pool.read { db in
                try Row.fetchAll(db, sql: sql, arguments: [before ?? Int.max, max(0, limit)]).map { row in
                    VersionEntry(version: row[0], recordedAt: row[1], actor: row[2], channel: row[3], summary: row[4], withdrawals: row[5])
                }
            }
        }
    }

    /// The history entries of versions `lowest...highest`, oldest first, at most `limit`; consent
    /// withdrawals are left out (``VersionEntry/withdrawals`` counts them): the history page names
    /// no participant, and one upload may record thousands.
    public func history(versions: ClosedRange<Int>, limit: Int) throws(GatewayError) -> [HistoryEntry] {
        let sql = """
            SELECT h.version, v.recorded_at, v.actor, v.channel, v.summary, h.kind, h.id, h.action, h.before, h.after
            FROM policy_history h JOIN policy_version v ON v.version = h.version
            WHERE h.version BETWEEN ? AND ? AND h.kind != 'withdrawal' ORDER BY h.version, h.rowid LIMIT ?
            """
        return try Self.reading(path) {
            try pool.read { db in
                try Row.fetchAll(db, sql: sql, arguments: [versions.lowerBound, versions.upperBound, max(0, limit)]).map { row in
                    HistoryEntry(version: row[0], recordedAt: row[1], actor: row[2], channel: row[3], summary: row[4],
                                 kind: row[5], id: row[6], action: row[7], before: row[8], after: row[9])
                }
            }
        }
    }
}
