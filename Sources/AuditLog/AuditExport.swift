import Foundation
import GatewayCore
import GRDB

/// Which records an export holds: a sequence or time range and equality filters.
public struct AuditQuery: Sendable, Hashable {
    public var fromSequence: Int?
    public var toSequence: Int?
    /// RFC 3339, inclusive.
    public var fromTime: String?
    /// RFC 3339, exclusive.
    public var toTime: String?
    public var member: String?
    public var organization: String?
    public var approval: String?
    /// `allow` or `deny`.
    public var decision: String?

    public init() {}

    /// Whether the query selects a contiguous run of the chain (no field filter), so the
    /// export verifies on its own.
    public var isContiguous: Bool { member == nil && organization == nil && approval == nil && decision == nil }
}

/// A stored record as exported: its chain data and canonical text.
public struct AuditEntry: Sendable, Hashable {
    public var sequence: Int
    public var canonical: String
    public var previousHash: [UInt8]
    public var hash: [UInt8]

    /// The JSON Lines form (``AuditLine/record(sequence:previousHash:hash:canonical:)``).
    public var line: String {
        AuditLine.record(sequence: sequence, previousHash: AuditChain.hex(previousHash), hash: AuditChain.hex(hash), canonical: canonical)
    }

    /// The CSV row.
    public func csvRow() throws -> String {
        var record = try JSONDecoder().decode(AuditRecord.self, from: Data(canonical.utf8))
        record.sequence = sequence
        return record.csvRow
    }
}

/// A signed checkpoint as stored.
public struct AuditCheckpointEntry: Sendable, Hashable {
    public var sequence: Int
    public var canonical: String
    public var signature: String

    public var line: String { AuditLine.checkpoint(signature: signature, canonical: canonical) }
}

extension AuditDatabase {
    /// Up to `limit` records of `query` after sequence `after`, in sequence order: a page of an
    /// export (the caller pages on with the last sequence, so memory stays constant).
    public func records(_ query: AuditQuery, after: Int, limit: Int) async throws(GatewayError) -> [AuditEntry] {
        var conditions = ["sequence > ?"]
        var arguments: StatementArguments = [after]
        if let value = query.fromSequence { conditions.append("sequence >= ?"); arguments += [value] }
        if let value = query.toSequence { conditions.append("sequence <= ?"); arguments += [value] }
        if let value = query.fromTime { conditions.append("time >= ?"); arguments += [value] }
        if let value = query.toTime { conditions.append("time < ?"); arguments += [value] }
        query.appendFieldConditions(to: &conditions, &arguments)
        arguments += [limit]
        let sql = "SELECT sequence, record, prev_hash, hash FROM audit_record WHERE \(conditions.joined(separator: " AND ")) ORDER BY sequence LIMIT ?"
        let statementArguments = arguments
        do {
            return try await pool.read { db in
                try Row.fetchAll(db, sql: sql, arguments: statementArguments).map { row in
                    AuditEntry(sequence: row[0], canonical: row[1], previousHash: [UInt8](row[2] as Data), hash: [UInt8](row[3] as Data))
                }
            }
        } catch {
            throw GatewayError(.auditUnavailable, "the audit store \(path) cannot be read: \(error)")
        }
    }

    /// Every checkpoint, in sequence order.
    public func checkpoints() async throws(GatewayError) -> [AuditCheckpointEntry] {
        do {
            return try await pool.read { db in
                try Row.fetchAll(db, sql: "SELECT sequence, checkpoint, signature FROM audit_checkpoint ORDER BY sequence").map {
                    AuditCheckpointEntry(sequence: $0[0], canonical: $0[1], signature: $0[2])
                }
            }
        } catch {
            throw GatewayError(.auditUnavailable, "the audit store \(path) cannot be read: \(error)")
        }
    }
}

extension AuditQuery {
    /// The member, organization, approval and decision filters as SQL conditions (each an
    /// indexed equality) and their arguments.
    func appendFieldConditions(to conditions: inout [String], _ arguments: inout StatementArguments) {
        for (column, value) in [("member", member), ("organization", organization), ("approval", approval), ("decision", decision)] {
            if let value { conditions.append("\(column) = ?"); arguments += [value] }
        }
    }
}
