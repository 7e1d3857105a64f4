import DisclosureControl
import AuditLog
import Foundation
import GatewayCore
import GatewayPolicy
import Hummingbird
import NIOConcurrencyHelpers

/// Who may call a route: every route names one, and the policy engine decides it
/// (``AccessControl``). Anyone else gets `403 role_forbidden` (or the identity reason).
public enum RouteAccess: Sendable {
    /// Service documents and the caller's identity: every role.
    case serviceInformation
    /// Dataset descriptions and filtering terms: researchers and the secretariat.
    case catalogue
    /// The admin API: the secretariat.
    case administration
    /// The audit log: auditors.
    case audit
    /// A data query: researchers. The handler authorizes the parsed query itself
    /// (``AccessControl/authorize(_:_:)-(DataQuery,_)``) before it can select any sample.
    case research

    var action: AccessRequest.Action? {
        switch self {
        case .serviceInformation: .readServiceInformation
        case .catalogue: .readCatalogue
        case .administration: .administerPolicy
        case .audit: .readAudit
        case .research: nil
        }
    }

    /// The roles this access allows, sorted (what the OpenAPI document's `x-roles` must say).
    public var allowedRoles: [String] {
        (action?.allowedRoles ?? [.researcher]).map(\.rawValue).sorted()
    }
}

/// The access every route was registered with, keyed by method and path template, so the API
/// contract test can hold each documented operation's `x-roles` to the code. Written only
/// while routes are registered; never read on the request path.
public enum RouteAccessRegistry {
    private static let entries = NIOLockedValueBox<[String: RouteAccess]>([:])

    static func record(_ method: HTTPRequest.Method, _ path: RouterPath, _ access: RouteAccess) {
        entries.withLockedValue { $0["\(method.rawValue) \(path)"] = access }
    }

    /// The access `method` on `path` (a route's `RouterPath` description) was registered with.
    public static func access(method: String, path: String) -> RouteAccess? {
        entries.withLockedValue { $0["\(method) \(path)"] }
    }
}

extension Router where Context == GatewayRequestContext {
    /// Registers `handler` for `method` on `path`, behind the access check for `access`.
    /// A route that does not read a query string (`takesQuery` false) refuses one with 400
    /// naming its first parameter, rather than answering as if it had not been sent.
    @discardableResult
    public func on(
        _ path: RouterPath, method: HTTPRequest.Method, access: RouteAccess, takesQuery: Bool = false,
        use handler: @escaping @Sendable (Request, GatewayRequestContext) async throws -> Response
    ) -> Self {
        RouteAccessRegistry.record(method, path, access)
        on(path, method: method) { request, context in
            if let action = access.action {
                _ = try AccessControl.authorize(action, context)
            } else {
                let member = try context.requireMember()
                if let refusal = RoleRule.check(member.role, for: .query(DataQuery(kind: .beaconBoolean))) {
                    throw GatewayError(refusal.code, refusal.message)
                }
            }
            if !takesQuery, let (name, _) = request.uri.queryParameters.first {
                throw GatewayError(.badRequest, "\(request.method.rawValue) \(path) takes no query parameters, but '\(name.prefix(60))' was given")
            }
            return try await handler(request, context)
        }
        return self
    }

    @discardableResult
    public func get(
        _ path: RouterPath, access: RouteAccess, takesQuery: Bool = false,
        use handler: @escaping @Sendable (Request, GatewayRequestContext) async throws -> Response
    ) -> Self {
        on(path, method: .get, access: access, takesQuery: takesQuery, use: handler)
    }

    @discardableResult
    public func post(
        _ path: RouterPath, access: RouteAccess, takesQuery: Bool = false,
        use handler: @escaping @Sendable (Request, GatewayRequestContext) async throws -> Response
    ) -> Self {
        on(path, method: .post, access: access, takesQuery: takesQuery, use: handler)
    }
}

/// A JSON response body from any `Encodable` value (sorted keys, ISO 8601 dates).
public enum JSONResponse {
    public static func make<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try JSONEncoder.gateway.encode(value)
        return response(ByteBuffer(bytes: data), status: status)
    }

    /// A document that never changes, encoded once; each ``Prepared/response()`` shares the bytes.
    public struct Prepared: Sendable {
        private let body: Result<ByteBuffer, GatewayError>

        public init<T: Encodable>(_ value: T) {
            do {
                body = .success(ByteBuffer(bytes: try JSONEncoder.gateway.encode(value)))
            } catch {
                body = .failure(GatewayError(.internalError, "cannot encode \(T.self): \(error)"))
            }
        }

        public func response() throws(GatewayError) -> Response { JSONResponse.response(try body.get(), status: .ok) }
    }

    /// A data answer: encoded like ``make(_:status:)``, and summarised for the audit record
    /// (its kind, the samples it was computed over, and how many cells read "<k").
    public static func answer<T: Encodable>(
        _ value: T, kind: String, contributingSamples: Int?, context: GatewayRequestContext, alsoSuppressed: Int = 0
    ) throws -> Response {
        // The disclosure layer's "<k" cells, counted as they are encoded (not by scanning text).
        let tally = SuppressionTally()
        let data = try SuppressionTally.$current.withValue(tally) { try JSONEncoder.gateway.encode(value) }
        let suppressed = tally.count + alsoSuppressed
        context.record.withLockedValue {
            $0.returned = .init(kind: kind, contributingSamples: contributingSamples, suppressedCells: suppressed,
                                privacyChargeMicro: $0.privacyChargeMicro)
        }
        return response(ByteBuffer(bytes: data), status: .ok)
    }

    static func response(_ body: ByteBuffer, status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: body))
    }
}
