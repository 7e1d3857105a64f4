import Foundation
import GatewayCore
import GatewayPolicy
import NIOConcurrencyHelpers

/// The one place every request is decided, in this order:
///
/// 1. **identity**: ``RequestGuardMiddleware`` maps the TLS-verified certificate to a member
///    with the request's policy snapshot (``CallerIdentification``);
/// 2. **role**, then for data queries 3. **approval**, 4. **consent**, 5. **jurisdiction**
///    and 6. **withdrawal**: ``PolicyEngine`` on that same snapshot, here.
///
/// Every route goes through ``authorize(_:_:)``: fixed actions when the route is matched
/// (``Router/get(_:access:use:)``), data queries once the handler has parsed what the
/// query selects. A data query can only be answered with the ``CohortRestriction`` of an
/// allowed decision (``VariantQueryService/select(_:under:)`` requires it).
enum AccessControl {
    static let engine = PolicyEngine()

    /// The decision for `action` by the request's member; a denial is thrown as the gateway
    /// error carrying every reason code.
    static func authorize(_ action: AccessRequest.Action, _ context: GatewayRequestContext) throws(GatewayError) -> AccessDecision {
        let member = try context.requireMember()
        guard let snapshot = context.policy else {
            throw GatewayError(.policyUnavailable, "no policy is in force for this request")
        }
        let decision = engine.decide(AccessRequest(member: member, action: action, time: context.arrival), in: snapshot)
        context.record.withLockedValue { $0.decision = decision }
        if let error = decision.error { throw error }
        return decision
    }

    /// Authorizes a data query and returns what may contribute to its answer.
    static func authorize(_ query: DataQuery, _ context: GatewayRequestContext) throws(GatewayError) -> Grant {
        let decision = try authorize(.query(query), context)
        guard let restriction = decision.restriction else {
            throw GatewayError(.internalError, "an allowed query decision carries no cohort restriction")
        }
        return Grant(restriction: restriction, policy: decision.policy, approvalID: decision.approvalID)
    }

    /// Decides, before a request body is read, whether the caller could be answered at all: an
    /// approval (the one named, or their only one) must allow one of `kinds`. The full decision
    /// with the parsed query follows; it can only narrow this one (filters add cancer types and
    /// datasets to check, never permissions). A refusal is recorded and thrown like any other.
    static func precheck(_ kinds: [QueryKind], approvalID: String?, _ context: GatewayRequestContext) throws(GatewayError) {
        let member = try context.requireMember()
        guard let snapshot = context.policy else {
            throw GatewayError(.policyUnavailable, "no policy is in force for this request")
        }
        var refusal: AccessDecision?
        for kind in kinds {
            let query = DataQuery(kind: kind, approvalID: approvalID)
            let decision = engine.decide(AccessRequest(member: member, action: .query(query), time: context.arrival), in: snapshot)
            guard decision.error != nil else { return }
            refusal = refusal ?? decision
        }
        guard let refusal, let error = refusal.error else { return }
        context.record.withLockedValue { $0.decision = refusal }
        throw error
    }

    /// What an allowed data query may count over.
    struct Grant: Sendable {
        var restriction: CohortRestriction
        /// The policy version decided with (number and revision: what caches are keyed by).
        var policy: PolicyIdentity
        var policyVersion: Int { policy.version }
        var approvalID: String?
    }
}
