/// An error the gateway reports to a caller or operator.
///
/// Every error carries a stable machine-readable ``Code`` and a message a person
/// can act on. The HTTP layer maps codes to statuses in one place
/// (`ErrorResponse` in GatewayServer); nothing else about the error leaks.
public struct GatewayError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, snake_case error code. Clients and tests match on it.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(stringLiteral value: String) { self.rawValue = value }
        public var description: String { rawValue }
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}

extension GatewayError.Code {
    // Request shape.
    public static let notFound: Self = "not_found"
    public static let methodNotAllowed: Self = "method_not_allowed"
    public static let badRequest: Self = "bad_request"
    public static let headersTooLarge: Self = "headers_too_large"
    public static let bodyTooLarge: Self = "body_too_large"
    // Identity.
    public static let noPeerIdentity: Self = "no_peer_identity"
    public static let certificateRevoked: Self = "certificate_revoked"
    public static let certificateExpired: Self = "certificate_expired"
    public static let certificateRejected: Self = "certificate_rejected"
    public static let unknownMember: Self = "unknown_member"
    public static let memberSuspended: Self = "member_suspended"
    public static let memberRevoked: Self = "member_revoked"
    public static let roleForbidden: Self = "role_forbidden"
    // Disclosure.
    public static let cohortTooSmall: Self = "cohort_too_small"
    // Service.
    public static let internalError: Self = "internal_error"
    public static let serviceUnavailable: Self = "service_unavailable"
    // Configuration.
    public static let invalidConfiguration: Self = "invalid_configuration"
}
