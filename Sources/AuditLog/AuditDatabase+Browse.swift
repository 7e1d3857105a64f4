import Foundation
import GatewayCore
import GRDB

/// Where a page of the auditors' log starts: after a record (the next page) or before one
/// (the previous page), by its sequence.
public enum AuditPageCursor: Sendable, Hashable {
    /// The first page.
    case start
    /// The records that come after this sequence.
    case after(Int)
    /// The records that come before this sequence (the previous page).
    case before(Int)
}

extension AuditDatabase {
    /// A page of the auditors' log for `query`, in reading order, by keyset (never OFFSET): as
    /// fast a million records in as on the first page.
    ///
    /// Without a time filter the order is the sequence's, and each filter is one index range
    /// (`member = ? AND sequence > ?` on `audit_record_member`, ...). With a time filter the
    /// order is arrival time then sequence, the keyset is `(time, sequence)`, and the page is one
    /// range of `audit_record_time` (a record's time is when its request arrived, so it can
    /// commit after a later one: ordering by sequence there would need a sort of the whole range).
    public func page(_ query: AuditQuery, from cursor: AuditPageCursor, limit: Int) async throws(GatewayError) -> [AuditEntry] {
        let (sql, arguments, descending) = Self.pageStatement(query, from: cursor, limit: limit)
        do {
            let entries = try await pool.read { db in
                try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.entry)
            }
            return descending ? entries.reversed() : entries
        } catch {
            throw GatewayError(.auditUnavailable, "the audit store \(path) cannot be read: \(error)")
        }
    }

    /// SQLite's plan for ``page(_:from:limit:)`` (`EXPLAIN QUERY PLAN`, one line per step), so
    /// tests can check each filter reads an index range and never sorts.
    public func pagePlan(_ query: AuditQuery, from cursor: AuditPageCursor) async throws -> [String] {
        let (sql, arguments, _) = Self.pageStatement(query, from: cursor, limit: 50)
        return try await pool.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] as String }
        }
    }

    static func pageStatement(_ query: AuditQuery, from cursor: AuditPageCursor, limit: Int) -> (String, StatementArguments, descending: Bool) {
        let byTime = query.fromTime != nil || query.toTime != nil
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let value = query.fromSequence { conditions.append("sequence >= ?"); arguments += [value] }
        if let value = query.toSequence { conditions.append("sequence <= ?"); arguments += [value] }
        // Paging on by time: the cursor's time is the range's bound (max/min with the filter's),
        // so the index is entered at the cursor, not at the filter's start.
        let cursorTime = "(SELECT time FROM audit_record WHERE sequence = ?)"
        switch (byTime, cursor) {
        case (true, .after(let sequence)):
            conditions.append("time >= max(?, \(cursorTime))")
            arguments += [query.fromTime ?? "", sequence]
            if let value = query.toTime { conditions.append("time < ?"); arguments += [value] }
        case (true, .before(let sequence)):
            if let value = query.fromTime { conditions.append("time >= ?"); arguments += [value] }
            conditions.append("time <= min(?, \(cursorTime))")
            arguments += [query.toTime ?? AuditTime.latest, sequence]
            if let value = query.toTime { conditions.append("time < ?"); arguments += [value] }
        default:
            if let value = query.fromTime { conditions.append("time >= ?"); arguments += [value] }
            if let value = query.toTime { conditions.append("time < ?"); arguments += [value] }
        }
        query.appendFieldConditions(to: &conditions, &arguments)
        var descending = false
        switch cursor {
        case .start:
            break
        case .after(let sequence), .before(let sequence):
            if case .before = cursor { descending = true }
            let comparison = descending ? "<" : ">"
            // The cursor's time, looked up by its sequence (for a sequence that is not there,
            // say a hand-edited link, it is NULL and the page empty rather than wrong).
            conditions.append(byTime
                ? "(time, sequence) \(comparison) ((SELECT time FROM audit_record WHERE sequence = ?), ?)"
                : "sequence \(comparison) ?")
            arguments += byTime ? [sequence, sequence] : [sequence]
        }
        let direction = descending ? "DESC" : "ASC"
        let order = byTime ? "time \(direction), sequence \(direction)" : "sequence \(direction)"
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        arguments += [limit]
        return ("SELECT sequence, record, prev_hash, hash FROM audit_record \(filter) ORDER BY \(order) LIMIT ?", arguments, descending)
    }

    /// Record `sequence`, or nil if the log holds none with that number.
    public func entry(sequence: Int) async throws(GatewayError) -> AuditEntry? {
        do {
            return try await pool.read { db in
                try Row.fetchOne(db, sql: "SELECT sequence, record, prev_hash, hash FROM audit_record WHERE sequence = ?", arguments: [sequence])
                    .map(Self.entry)
            }
        } catch {
            throw GatewayError(.auditUnavailable, "the audit store \(path) cannot be read: \(error)")
        }
    }

    /// The first checkpoint that signs record `sequence` (the earliest at or after it), if one does yet.
    public func checkpoint(covering sequence: Int) async throws(GatewayError) -> AuditCheckpointEntry? {
        do {
            return try await pool.read { db in
                try Row.fetchOne(db, sql: "SELECT sequence, checkpoint, signature FROM audit_checkpoint WHERE sequence >= ? ORDER BY sequence LIMIT 1",
                                 arguments: [sequence])
                    .map { AuditCheckpointEntry(sequence: $0[0], canonical: $0[1], signature: $0[2]) }
            }
        } catch {
            throw GatewayError(.auditUnavailable, "the audit store \(path) cannot be read: \(error)")
        }
    }

    static func entry(_ row: Row) -> AuditEntry {
        AuditEntry(sequence: row[0], canonical: row[1], previousHash: [UInt8](row[2] as Data), hash: [UInt8](row[3] as Data))
    }
}
