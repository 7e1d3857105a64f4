import Foundation
import GatewayCore
import GatewayPolicy

/// An amendment of an approval: a JSON merge patch (RFC 7396) of its fields.
public enum ApprovalPatch {
    /// `current` with the fields of the JSON object `patch` replaced (JSON merge patch), decoded
    /// strictly again; `id` and `status` cannot be amended.
    public static func merge(_ patchData: Data, into current: Approval, what: String) throws(GatewayError) -> Approval {
        guard let patch = (try? JSONSerialization.jsonObject(with: patchData)) as? [String: Any] else {
            throw GatewayError(.invalidPolicy, "\(what) must be a JSON object")
        }
        for key in ["id", "status"] where patch[key] != nil {
            throw GatewayError(.invalidPolicy, "\(what), field \(key): cannot be amended (use suspend, reinstate or revoke for status)")
        }
        do {
            let encoded = try PolicyJSON.encoder.encode(current)
            guard var object = try JSONSerialization.jsonObject(with: encoded) as? [String: Any] else {
                throw GatewayError(.internalError, "cannot re-encode the approval")
            }
            object = mergePatch(object, patch)
            let merged = try JSONSerialization.data(withJSONObject: object)
            return try PolicyJSON.decode(Approval.self, from: merged, what: what)
        } catch let error as GatewayError {
            throw error
        } catch {
            throw GatewayError(.invalidPolicy, "\(what) cannot be applied: \(error)")
        }
    }

    /// RFC 7396: objects merge recursively, `null` removes a field, anything else replaces it.
    static func mergePatch(_ target: [String: Any], _ patch: [String: Any]) -> [String: Any] {
        var result = target
        for (key, value) in patch {
            if value is NSNull {
                result[key] = nil
            } else if let nested = value as? [String: Any] {
                result[key] = mergePatch(result[key] as? [String: Any] ?? [:], nested)
            } else {
                result[key] = value
            }
        }
        return result
    }
}
