import Foundation
import GatewayCore
import GRDB

/// How the data was used over a period, per approval: counts of audit records (members'
/// requests), never of people, and nothing about any one person (README "Console": the
/// programme's transparency of use, 利活用状況の情報公開).
public struct AuditUsage: Sendable, Equatable {
    /// One approval's use (``approval`` nil: requests decided under no approval, such as the
    /// catalogue, the console's own pages or refused requests that named none).
    public struct Row: Sendable, Equatable {
        public var approval: String?
        public var requests: Int
        public var allowed: Int
        public var denied: Int
        /// Answer kinds (`returned.kind`) with their counts, most frequent first.
        public var kinds: [(kind: String, count: Int)]
        public var members: Int
        public var organizations: [String]
        /// Privacy budget charged, in millionths (README "Privacy"), summed over the records.
        public var privacyChargeMicro: Int

        public static func == (lhs: Row, rhs: Row) -> Bool {
            lhs.approval == rhs.approval && lhs.requests == rhs.requests && lhs.allowed == rhs.allowed && lhs.denied == rhs.denied
                && lhs.kinds.map(\.kind) == rhs.kinds.map(\.kind) && lhs.kinds.map(\.count) == rhs.kinds.map(\.count)
                && lhs.members == rhs.members && lhs.organizations == rhs.organizations && lhs.privacyChargeMicro == rhs.privacyChargeMicro
        }
    }

    /// The period: RFC 3339 from (inclusive) and to (exclusive), as the audit log writes times.
    public var from: String
    public var to: String
    /// Approvals in id order, then requests under no approval.
    public var rows: [Row]

    /// The CSV form (RFC 4180, formula-safe as the export is): one line per approval.
    public func csv(purpose: (String) -> String) -> String {
        var text = "from,to,approval,purpose,requests,allowed,denied,answer_kinds,members,organizations,privacy_charge_micro\n"
        for row in rows {
            let fields = [from, to, row.approval ?? "", row.approval.map(purpose) ?? "", String(row.requests), String(row.allowed),
                          String(row.denied), row.kinds.map { "\($0.kind) \($0.count)" }.joined(separator: "; "), String(row.members),
                          row.organizations.joined(separator: " "), String(row.privacyChargeMicro)]
            text += fields.map(AuditCSV.quote).joined(separator: ",") + "\n"
        }
        return text
    }
}

extension AuditDatabase {
    /// The records of the period `from..<to`, counted on the `time` index alone (no record is read).
    public func recordCount(from: String, to: String) async throws(GatewayError) -> Int {
        do {
            return try await pool.read { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_record WHERE time >= ? AND time < ?", arguments: [from, to]) ?? 0
            }
        } catch {
            throw GatewayError(.auditUnavailable, "the audit store \(path) cannot be read: \(error)")
        }
    }

    /// The usage of the period `from..<to` (RFC 3339 as ``AuditTime/format(_:)`` writes them):
    /// one aggregation over one range of the `time` index. It reads every record of the period
    /// (about 10 µs each): callers bound it with ``recordCount(from:to:)`` first.
    public func usage(from: String, to: String) async throws(GatewayError) -> AuditUsage {
        // Per approval and answer kind; members and organizations as distinct lists, merged
        // per approval below (a member may appear under several kinds).
        let sql = """
            SELECT approval, coalesce(json_extract(record, '$.returned.kind'), '-') AS kind, count(*),
                   sum(decision = 'allow'), sum(decision = 'deny'),
                   coalesce(sum(json_extract(record, '$.returned.privacy_charge_micro')), 0),
                   group_concat(DISTINCT member), group_concat(DISTINCT organization)
            FROM audit_record WHERE time >= ? AND time < ?
            GROUP BY approval, kind
            """
        struct Part { var approval: String?; var kind: String; var count, allowed, denied, charge: Int; var members, organizations: String? }
        let parts: [Part]
        do {
            parts = try await pool.read { db in
                try Row.fetchAll(db, sql: sql, arguments: [from, to]).map {
                    Part(approval: $0[0], kind: $0[1], count: $0[2], allowed: $0[3], denied: $0[4], charge: $0[5], members: $0[6], organizations: $0[7])
                }
            }
        } catch {
            throw GatewayError(.auditUnavailable, "the audit store \(path) cannot be read: \(error)")
        }
        var rows: [String?: (row: AuditUsage.Row, members: Set<Substring>, organizations: Set<Substring>)] = [:]
        for part in parts {
            var entry = rows[part.approval] ?? (AuditUsage.Row(approval: part.approval, requests: 0, allowed: 0, denied: 0, kinds: [],
                                                               members: 0, organizations: [], privacyChargeMicro: 0), [], [])
            entry.row.requests += part.count
            entry.row.allowed += part.allowed
            entry.row.denied += part.denied
            entry.row.privacyChargeMicro += part.charge
            entry.row.kinds.append((part.kind, part.count))
            entry.members.formUnion((part.members ?? "").split(separator: ","))
            entry.organizations.formUnion((part.organizations ?? "").split(separator: ","))
            rows[part.approval] = entry
        }
        let ordered = rows.values.map { entry -> AuditUsage.Row in
            var row = entry.row
            row.kinds.sort { $0.count != $1.count ? $0.count > $1.count : $0.kind < $1.kind }
            row.members = entry.members.count
            row.organizations = entry.organizations.map(String.init).sorted()
            return row
        }.sorted { ($0.approval ?? "\u{10FFFF}") < ($1.approval ?? "\u{10FFFF}") }
        return AuditUsage(from: from, to: to, rows: ordered)
    }
}
