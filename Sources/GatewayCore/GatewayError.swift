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
    /// Every reason when a policy decision refused for several (the first is ``code``).
    public var reasons: [Code]

    public init(_ code: Code, _ message: String, reasons: [Code] = []) {
        self.code = code
        self.message = message
        self.reasons = reasons
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
    public static let organizationSuspended: Self = "organization_suspended"
    // Policy: approvals, consent, scope (README "Reason codes").
    public static let noApproval: Self = "no_approval"
    public static let approvalAmbiguous: Self = "approval_ambiguous"
    public static let approvalNotYetValid: Self = "approval_not_yet_valid"
    public static let approvalExpired: Self = "approval_expired"
    public static let approvalSuspended: Self = "approval_suspended"
    public static let approvalRevoked: Self = "approval_revoked"
    public static let outOfScopeQuery: Self = "out_of_scope_query"
    public static let outOfScopeDataset: Self = "out_of_scope_dataset"
    public static let outOfScopeCancerType: Self = "out_of_scope_cancer_type"
    public static let purposeIncompatibleWithConsent: Self = "purpose_incompatible_with_consent"
    // Disclosure.
    public static let cohortTooSmall: Self = "cohort_too_small"
    /// The answer would take the approval's or the member's disclosure ledger over its budget.
    public static let privacyBudgetExhausted: Self = "privacy_budget_exhausted"
    /// A member has as many visiting jobs queued or running as allowed.
    public static let tooManyJobs: Self = "too_many_jobs"
    /// The answer's cohort differs by a few people from one the account was already answered about.
    public static let differencingRefused: Self = "differencing_refused"
    // Service.
    public static let internalError: Self = "internal_error"
    public static let serviceUnavailable: Self = "service_unavailable"
    public static let policyUnavailable: Self = "policy_unavailable"
    public static let auditUnavailable: Self = "audit_unavailable"
    // Policy changes.
    public static let invalidPolicy: Self = "invalid_policy"
    public static let conflict: Self = "conflict"
    /// A console form posted from another site, or without its one-time token.
    public static let crossSiteRequest: Self = "cross_site_request"
    // Configuration.
    public static let invalidConfiguration: Self = "invalid_configuration"
    // Connections.
    /// A request (head and body) did not arrive within the request timeout, or too slowly.
    public static let requestTimeout: Self = "request_timeout"
    /// A connection refused because the gateway or the client's certificate has too many open.
    public static let tooManyConnections: Self = "too_many_connections"
}
