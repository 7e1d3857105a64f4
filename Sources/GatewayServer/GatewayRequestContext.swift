import AuditLog
import Foundation
import GatewayCore
import GatewayPolicy
import GatewayTLS
import Hummingbird
import NIOConcurrencyHelpers
import NIOCore

/// Per-request state: the connection's verified TLS identity and, once
/// ``RequestGuardMiddleware`` has run, the policy snapshot and the member it maps to.
///
/// The caller is set from the TLS layer only; nothing the client sends can set it.
public struct GatewayRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The connection the request arrived on (to find its TLS identity).
    public let channel: any Channel
    /// Unique per request; returned in the `X-Request-Id` header.
    public var requestID: String = ""
    public var connection: TLSConnectionInfo?
    public var member: Member?
    /// The policy this request is decided with, from start to end.
    public var policy: PolicySnapshot?
    /// When the request arrived: approvals' validity is judged at this time.
    public var arrival = Date()
    /// What was decided, shared by the middleware and the handler (for the audit record).
    public let record = NIOLockedValueBox(RequestRecord())
    /// Set by the gateway from its configuration before handlers run.
    public var bodyLimit: Int = 1024 * 1024

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }

    public var maxUploadSize: Int { bodyLimit }

    /// The authenticated member, or a `no_peer_identity` error if the guard did not run.
    public func requireMember() throws(GatewayError) -> Member {
        guard let member else { throw GatewayError(.noPeerIdentity, "the request has no authenticated member") }
        return member
    }
}

/// What a request's handling decided, for the audit record.
public struct RequestRecord: Sendable {
    /// The policy decision, once one was made.
    public var decision: AccessDecision?
    /// What the answer was, when a handler says (data answers).
    public var returned: AuditRecord.Returned?
    /// The error an answer carries when the handler rendered it itself (Beacon errors).
    public var errorCode: GatewayError.Code?
    /// The query as the handler read it, when it came in the body (Beacon POST), normalised.
    public var query: String?
    /// A committed policy change: its summary and the version it produced.
    public var change: (summary: String, policy: PolicyIdentity)?
    /// What the answer cost its approval's disclosure budget, in millionths (README "Privacy").
    public var privacyChargeMicro: Int?
}
