import Foundation
import GatewayCore
import GatewayPolicy
import Hummingbird
import PolicyStore
import VariantStore

extension Admin {
    /// `POST /api/admin/withdrawals`: JSON `{"withdrawals": [{"participant_id": ..., "effective_at": ...}]}`
    /// (or one `{"participant_id": ...}`), or CSV with `Content-Type: text/csv` (or `application/csv`). Idempotent: a
    /// participant already withdrawn keeps the first record and is counted as `already_withdrawn`.
    func recordWithdrawals(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let data = try await data(request, context)
        let now = context.arrival
        let withdrawals: [Withdrawal]
        if Self.isCSV(request.headers[.contentType]) {
            guard let text = String(validating: data, as: UTF8.self) else {
                throw GatewayError(.invalidPolicy, "the CSV body is not UTF-8 text")
            }
            withdrawals = try WithdrawalCSV.parse(text, source: "CSV body", now: now)
        } else {
            withdrawals = try Self.parseWithdrawalJSON(data, now: now)
        }
        let outcome = try await recordWithdrawals(withdrawals, context)
        return try Self.json(outcome, status: outcome.changed ? .created : .ok)
    }

    /// What recording withdrawals answers (the API's JSON; the console shows the same figures).
    struct WithdrawalOutcome: Encodable, Sendable {
        var policyVersion: Int
        var recorded: Int
        var alreadyWithdrawn: Int
        var withdrawnTotal: Int
        var notInVariantStore: [String]
        /// Whether a new policy version was committed (201), or every one was already withdrawn (200).
        var changed: Bool
        enum CodingKeys: String, CodingKey {
            case policyVersion = "policy_version", recorded, alreadyWithdrawn = "already_withdrawn", withdrawnTotal = "withdrawn_total"
            case notInVariantStore = "not_in_variant_store"
        }
    }

    /// Records `withdrawals` (the API's and the console's one path): idempotent; ids matching no
    /// stored sample are recorded too (the case may be ingested later) but reported (at most 100),
    /// so a mistyped id is noticed rather than silently withdrawing nobody.
    func recordWithdrawals(_ withdrawals: [Withdrawal], _ context: GatewayRequestContext) async throws -> WithdrawalOutcome {
        guard !withdrawals.isEmpty else { throw GatewayError(.invalidPolicy, "no withdrawals in the request") }
        let snapshot = try await policy.current()
        let unique = Set(withdrawals.map(\.participantID))
        let already = unique.filter { snapshot.withdrawnParticipants.contains($0) }.count
        let stored = Set(try await queries.currentCatalog().samples.map(\.participantID))
        let unknown = Array(unique.filter { !stored.contains($0) }.sorted().prefix(100))
        guard already < unique.count else {
            return WithdrawalOutcome(policyVersion: snapshot.version, recorded: 0, alreadyWithdrawn: already,
                                     withdrawnTotal: snapshot.withdrawnParticipants.count, notInVariantStore: unknown, changed: false)
        }
        let receipt = try await commit(.recordWithdrawals(withdrawals), context)
        let total = receipt.snapshot.withdrawnParticipants.count
        let recorded = total - snapshot.withdrawnParticipants.count
        return WithdrawalOutcome(policyVersion: receipt.version, recorded: recorded, alreadyWithdrawn: unique.count - recorded,
                                 withdrawnTotal: total, notInVariantStore: unknown, changed: true)
    }

    /// Whether `contentType` names CSV: `text/csv` or `application/csv`, parameters aside.
    static func isCSV(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let mediaType = contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return ["text/csv", "application/csv"].contains(mediaType.trimmingCharacters(in: .whitespaces).lowercased())
    }

    static func parseWithdrawalJSON(_ data: Data, now: Date) throws(GatewayError) -> [Withdrawal] {
        struct Entry: Decodable {
            var participantID: String
            var effectiveAt: String?
            enum CodingKeys: String, CodingKey, CaseIterable { case participantID = "participant_id", effectiveAt = "effective_at" }
            init(from decoder: any Decoder) throws {
                try StrictDecoding.rejectUnknownKeys(decoder, allowed: ["participant_id", "effective_at"])
                let container = try decoder.container(keyedBy: CodingKeys.self)
                participantID = try container.decode(String.self, forKey: .participantID)
                effectiveAt = try container.decodeIfPresent(String.self, forKey: .effectiveAt)
            }
        }
        struct List: Decodable {
            var withdrawals: [Entry]
            enum CodingKeys: String, CodingKey { case withdrawals }
            init(from decoder: any Decoder) throws {
                try StrictDecoding.rejectUnknownKeys(decoder, allowed: ["withdrawals"])
                withdrawals = try decoder.container(keyedBy: CodingKeys.self).decode([Entry].self, forKey: .withdrawals)
            }
        }
        let entries: [Entry]
        if case .object(let fields) = try PolicyJSON.parse(data, what: "withdrawals"), fields["withdrawals"] != nil {
            entries = try PolicyJSON.decode(List.self, from: data, what: "withdrawals").withdrawals
        } else {
            entries = [try PolicyJSON.decode(Entry.self, from: data, what: "withdrawal")]
        }
        var withdrawals: [Withdrawal] = []
        for (index, entry) in entries.enumerated() {
            guard PolicyValidation.isParticipantID(entry.participantID) else {
                throw GatewayError(.invalidPolicy, "withdrawals[\(index)], field participant_id: '\(entry.participantID.prefix(80))' must be 1 to 128 printable ASCII characters without commas or quotes")
            }
            var effective = now
            if let text = entry.effectiveAt {
                guard let parsed = PolicyTime.parse(text) else {
                    throw GatewayError(.invalidPolicy, "withdrawals[\(index)], field effective_at: '\(text.prefix(40))' is not a date or an RFC 3339 time")
                }
                effective = parsed
            }
            withdrawals.append(Withdrawal(participantID: entry.participantID, effectiveAt: effective))
        }
        return withdrawals
    }

    /// `GET /api/admin/withdrawals[?participant_id=ID]`: how many are recorded; whether one is.
    func withdrawalStatus(_ request: Request, _ context: GatewayRequestContext) throws -> Response {
        guard let snapshot = context.policy else { throw GatewayError(.policyUnavailable, "no policy is in force") }
        let parameters = try request.uri.singleValuedParameters()
        for (name, _) in parameters where name != "participant_id" {
            throw GatewayError(.badRequest, "unknown query parameter '\(name.prefix(60))'")
        }
        struct Answer: Encodable, Sendable {
            var policyVersion: Int
            var withdrawnTotal: Int
            var participant: Withdrawal?
            enum CodingKeys: String, CodingKey { case policyVersion = "policy_version", withdrawnTotal = "withdrawn_total", participant }
        }
        let participant = parameters.first?.value
        return try Self.json(Answer(policyVersion: snapshot.version, withdrawnTotal: snapshot.withdrawnParticipants.count,
                                    participant: participant.flatMap { snapshot.state.withdrawals[$0] }))
    }

    /// `GET /api/admin/history?kind=&id=&after_version=&limit=`: changes, oldest first.
    func history(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        var query = PolicyDatabase.HistoryQuery()
        for (name, text) in try request.uri.singleValuedParameters() {
            switch name {
            case "kind":
                guard let kind = PolicyEntityKind(rawValue: text) else {
                    throw GatewayError(.badRequest, "kind '\(text.prefix(20))' is not one of \(PolicyEntityKind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                query.kind = kind
            case "id": query.id = text
            case "after_version":
                guard let number = DecimalInteger.parse(text), number >= 0 else {
                    throw GatewayError(.badRequest, "after_version must be a whole number from 0 to \(Int.max)")
                }
                query.afterVersion = number
            case "limit":
                guard let number = DecimalInteger.parse(text), (1...1000).contains(number) else { throw GatewayError(.badRequest, "limit must be a whole number from 1 to 1000") }
                query.limit = number
            default:
                throw GatewayError(.badRequest, "unknown query parameter '\(name.prefix(60))' (kind, id, after_version, limit)")
            }
        }
        struct Answer: Encodable, Sendable { var entries: [PolicyDatabase.HistoryEntry] }
        return try Self.json(Answer(entries: try await policy.history(query)))
    }
}
