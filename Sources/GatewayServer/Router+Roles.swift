import Foundation
import GatewayCore
import GatewayPolicy
import Hummingbird

extension Router where Context == GatewayRequestContext {
    /// Registers a GET route that only members holding one of `roles` may call.
    ///
    /// Every gateway route is registered through this or ``post(_:allowing:use:)``:
    /// a route names who may call it, and everyone else gets `403 role_forbidden`.
    @discardableResult
    public func get(
        _ path: RouterPath, allowing roles: Set<Role>,
        use handler: @escaping @Sendable (Request, GatewayRequestContext) async throws -> Response
    ) -> Self {
        on(path, method: .get) { request, context in
            try RoleGate.check(context, roles)
            return try await handler(request, context)
        }
        return self
    }

    /// Registers a POST route that only members holding one of `roles` may call.
    @discardableResult
    public func post(
        _ path: RouterPath, allowing roles: Set<Role>,
        use handler: @escaping @Sendable (Request, GatewayRequestContext) async throws -> Response
    ) -> Self {
        on(path, method: .post) { request, context in
            try RoleGate.check(context, roles)
            return try await handler(request, context)
        }
        return self
    }
}

/// Refuses callers whose role is not in an endpoint's allowed set.
enum RoleGate {
    static func check(_ context: GatewayRequestContext, _ roles: Set<Role>) throws(GatewayError) {
        let member = try context.requireMember()
        guard roles.contains(member.role) else {
            throw GatewayError(.roleForbidden, "the \(member.role.rawValue) role may not use this endpoint")
        }
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

    static func response(_ body: ByteBuffer, status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: body))
    }
}
