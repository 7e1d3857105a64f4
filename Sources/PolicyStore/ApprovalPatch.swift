import Foundation
import GatewayCore
import GatewayPolicy

/// An amendment of an approval: a JSON merge patch (RFC 7396) of its fields.
public enum ApprovalPatch {
    /// `current` with the fields of the JSON object `patch` replaced (JSON merge patch), decoded
    /// strictly again; `id` and `status` cannot be amended. The patch is parsed by
    /// ``JSONParser``: a field named twice is refused, not read as either value.
    public static func merge(_ patchData: Data, into current: Approval, what: String) throws(GatewayError) -> Approval {
        let parsed: JSONValue
        do { parsed = try JSONParser.parse(patchData) } catch {
            throw GatewayError(.invalidPolicy, "\(what) must be a JSON object; \(error.message)")
        }
        guard case .object(let patch) = parsed else { throw GatewayError(.invalidPolicy, "\(what) must be a JSON object") }
        for key in ["id", "status"] where patch[key] != nil {
            throw GatewayError(.invalidPolicy, "\(what), field \(key): cannot be amended (use suspend, reinstate or revoke for status)")
        }
        if patch["privacy_budget"] != nil {
            throw GatewayError(.invalidPolicy, "\(what), field privacy_budget: cannot be amended; POST /api/admin/approvals/{id}/privacy-budget with the budget and the committee's reason")
        }
        let encoded: Data
        do { encoded = try PolicyJSON.encoder.encode(current) } catch {
            throw GatewayError(.internalError, "cannot re-encode the approval: \(error)")
        }
        guard case .object(let object) = try PolicyJSON.parse(encoded, what: "the stored approval") else {
            throw GatewayError(.internalError, "the stored approval does not encode as an object")
        }
        let merged = mergePatch(object, patch)
        return try PolicyJSON.decode(Approval.self, from: Data(JSONValue.object(merged).jsonText.utf8), what: what)
    }

    /// RFC 7396: objects merge recursively, `null` removes a field, anything else replaces it.
    static func mergePatch(_ target: [String: JSONValue], _ patch: [String: JSONValue]) -> [String: JSONValue] {
        var result = target
        for (key, value) in patch {
            switch value {
            case .null:
                result[key] = nil
            case .object(let nested):
                var base: [String: JSONValue] = [:]
                if case .object(let existing)? = result[key] { base = existing }
                result[key] = .object(mergePatch(base, nested))
            default:
                result[key] = value
            }
        }
        return result
    }
}
