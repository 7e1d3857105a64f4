import Foundation
import GatewayCore
import GatewayPolicy
import PolicyStore

/// An approval as the console's form shows it: every field `POST /api/admin/approvals` takes,
/// as the text a person types (lists separated by commas, times as days or RFC 3339). The form
/// is turned into the API's JSON, so the same decoder and validation name a wrong field; an
/// amendment sends only the fields whose text changed, as the API's merge patch.
struct ConsoleApprovalForm: Sendable {
    /// The fields in the form's order (`privacy_budget` only when creating; `id` never amended).
    static let fields = ["id", "decision_reference", "decision_date", "title", "purpose", "organization", "members", "datasets",
                         "query_kinds", "cancer_types", "commercial_use", "valid_from", "valid_until", "legal_basis", "privacy_budget"]
    static let amendable = fields.filter { $0 != "id" && $0 != "privacy_budget" }
    static let lists: Set<String> = ["members", "datasets", "query_kinds", "cancer_types"]
    static let scoped: Set<String> = ["datasets", "query_kinds", "cancer_types"]

    /// The text of each field.
    var values: [String: String]

    init(values: [String: String]) {
        self.values = values.filter { Self.fields.contains($0.key) }
    }

    /// The form filled with `approval` as it is.
    init(_ approval: Approval) {
        values = [
            "id": approval.id, "decision_reference": approval.decisionReference, "decision_date": Self.time(approval.decisionDate),
            "title": approval.title, "purpose": approval.purpose.rawValue, "organization": approval.organization,
            "members": approval.members.joined(separator: ", "), "datasets": approval.scope.datasets.joined(separator: ", "),
            "query_kinds": approval.scope.queryKinds.map(\.rawValue).joined(separator: ", "),
            "cancer_types": (approval.scope.cancerTypes ?? []).joined(separator: ", "),
            "commercial_use": approval.commercialUse ? "true" : "false", "valid_from": Self.time(approval.validFrom),
            "valid_until": Self.time(approval.validUntil, endOfDay: true), "legal_basis": approval.legalBasis.rawValue,
            "privacy_budget": approval.privacyBudget.map { String($0) } ?? "",
        ]
    }

    /// A time as the day it starts (or, `endOfDay`, the day it ends) in Japan, when it is one; else RFC 3339.
    static func time(_ date: Date, endOfDay: Bool = false) -> String {
        let day = ConsoleRoutes.day(endOfDay ? date.addingTimeInterval(-86_400) : date)
        return PolicyTime.parse(day, endOfDay: endOfDay) == date ? day : PolicyJSON.timestamp(date)
    }

    func text(_ field: String) -> String { (values[field] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }

    /// A list field's entries (separated by commas, spaces or lines).
    func list(_ field: String) -> [String] {
        text(field).split { $0 == "," || $0.isWhitespace }.map(String.init)
    }

    /// The field as the API's JSON (nil: left out).
    func json(_ field: String, creating: Bool) -> JSONValue? {
        let text = text(field)
        if Self.lists.contains(field) {
            let entries = list(field)
            if field == "cancer_types" && entries.isEmpty { return creating ? nil : .null }
            return .array(entries.map(JSONValue.string))
        }
        switch field {
        case "commercial_use":
            return text == "true" ? .bool(true) : text == "false" ? .bool(false) : .string(text)
        case "privacy_budget":
            if text.isEmpty { return nil }
            return Double(text).map { $0.isFinite ? JSONValue.number($0) : .string(text) } ?? .string(text)
        default:
            return .string(text)
        }
    }

    /// The body of `POST /api/admin/approvals`.
    func createBody() -> Data {
        var object: [String: JSONValue] = [:], scope: [String: JSONValue] = [:]
        for field in Self.fields {
            guard let value = json(field, creating: true) else { continue }
            if Self.scoped.contains(field) { scope[field] = value } else { object[field] = value }
        }
        object["scope"] = .object(scope)
        return Data(JSONValue.object(object).jsonText.utf8)
    }

    /// The merge patch of `PATCH /api/admin/approvals/{id}`: the amendable fields whose text
    /// differs from `current`'s, and their names (empty: nothing changed).
    func patch(from current: ConsoleApprovalForm) -> (body: Data, changed: [String]) {
        var object: [String: JSONValue] = [:], scope: [String: JSONValue] = [:], changed: [String] = []
        for field in Self.amendable where values[field] != nil {
            let same = Self.lists.contains(field) ? list(field) == current.list(field) : text(field) == current.text(field)
            guard !same, let value = json(field, creating: false) else { continue }
            changed.append(field)
            if Self.scoped.contains(field) { scope[field] = value } else { object[field] = value }
        }
        if !scope.isEmpty { object["scope"] = .object(scope) }
        return (Data(JSONValue.object(object).jsonText.utf8), changed)
    }

    /// Which fields a refusal names (`..., field scope.datasets[0]: ...`).
    static func fieldsNamed(in message: String) -> Set<String> {
        Set(fields.filter { field in
            message.contains("field \(field)") || message.contains("field scope.\(field)") || message.contains("field scope, field \(field)")
        })
    }

    /// A short fingerprint of the approval as stored (FNV-1a), so an amendment made on a form
    /// loaded before someone else's change is refused instead of undoing it.
    static func fingerprint(_ approval: Approval) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in ((try? PolicyJSON.encode(approval)) ?? "").utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
