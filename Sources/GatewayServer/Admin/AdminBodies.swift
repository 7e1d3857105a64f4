import Foundation
import GatewayCore
import GatewayPolicy
import PolicyStore

/// Request bodies of the admin API that are not policy records themselves, decoded strictly
/// (unknown fields refused). The routes and the fuzz targets decode through these.
enum AdminBodies {
    /// `PUT /api/admin/jurisdictions`: `{"equivalent": [...]}`.
    struct EquivalenceList: Decodable {
        var equivalent: [EquivalentJurisdiction]
        enum CodingKeys: String, CodingKey { case equivalent }
        init(from decoder: any Decoder) throws {
            try StrictDecoding.rejectUnknownKeys(decoder, allowed: ["equivalent"])
            equivalent = try decoder.container(keyedBy: CodingKeys.self).decode([EquivalentJurisdiction].self, forKey: .equivalent)
        }
    }

    /// The optional `{"reason": "..."}` of suspend, reinstate and revoke.
    struct StatusReason: Decodable {
        var reason: String
        enum CodingKeys: String, CodingKey { case reason }
        init(from decoder: any Decoder) throws {
            try StrictDecoding.rejectUnknownKeys(decoder, allowed: ["reason"])
            reason = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .reason)
        }
    }

    /// `POST /api/admin/approvals/{id}/privacy-budget`: `{"budget": 0.5, "reason": "..."}`, both required.
    struct PrivacyBudget: Decodable {
        var budget: Double
        var reason: String
        enum CodingKeys: String, CodingKey { case budget, reason }
        init(from decoder: any Decoder) throws {
            try StrictDecoding.rejectUnknownKeys(decoder, allowed: ["budget", "reason"])
            let container = try decoder.container(keyedBy: CodingKeys.self)
            budget = try container.decode(Double.self, forKey: .budget)
            reason = try container.decode(String.self, forKey: .reason)
        }
    }

    /// The reason a status change gives, as history summary text (`": reason"`; empty for no body).
    static func reasonSummary(_ data: Data) throws(GatewayError) -> String {
        guard !data.isEmpty else { return "" }
        let reason = try PolicyJSON.decode(StatusReason.self, from: data, what: "status change")
        guard !reason.reason.allSatisfy(\.isWhitespace) else {
            throw GatewayError(.invalidPolicy, "status change, field reason: is empty; give the reason, or send no body")
        }
        return ": " + reason.reason
    }
}
