import Foundation
import GatewayCore

/// The outcome of a policy decision: allow, or deny with every reason; for an allowed query,
/// the cohort restriction that applies; always the policy version it was made with.
public struct AccessDecision: Sendable {
    /// Empty when allowed.
    public var reasons: [DenialReason]
    public var policyVersion: Int { policy.version }
    /// The policy version the decision was made with: number and revision.
    public var policy: PolicyIdentity
    /// The approval a query was decided under (also on some denials, for the record).
    public var approvalID: String?
    /// For an allowed query: which samples may contribute.
    public var restriction: CohortRestriction?

    public var isAllowed: Bool { reasons.isEmpty }

    static func allow(version: PolicyIdentity, approvalID: String? = nil, restriction: CohortRestriction? = nil) -> AccessDecision {
        AccessDecision(reasons: [], policy: version, approvalID: approvalID, restriction: restriction)
    }

    static func deny(_ reasons: [DenialReason], version: PolicyIdentity, approvalID: String? = nil) -> AccessDecision {
        AccessDecision(reasons: reasons, policy: version, approvalID: approvalID, restriction: nil)
    }

    /// The denial as one gateway error: the first reason's code, every reason listed.
    public var error: GatewayError? {
        guard let first = reasons.first else { return nil }
        return GatewayError(first.code, reasons.map(\.message).joined(separator: "; "), reasons: reasons.map(\.code))
    }
}

/// Why a request was refused: a stable code and a sentence the caller can act on.
public struct DenialReason: Sendable, Hashable, CustomStringConvertible {
    public var code: GatewayError.Code
    public var message: String

    public init(_ code: GatewayError.Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}

/// Which samples may contribute to an allowed query's answer, and why it is limited.
///
/// Applied on top of the request's own filters: samples of ``datasets`` only, of the
/// approved cancer types only, with overseas consent only when ``overseasConsentOnly``,
/// and never a withdrawn participant's.
public struct CohortRestriction: Sendable {
    /// Dataset ids whose samples may count.
    public var datasets: Set<String>
    /// Cancer types (with their narrower types) whose samples may count; nil means any.
    public var cancerTypes: [String]?
    /// Only samples whose donors consented to provision overseas may count.
    public var overseasConsentOnly: Bool
    /// Participants whose samples never count.
    public var withdrawnParticipants: Set<String>
    /// Sentences for the response saying how and why the cohort was limited beyond the filters.
    public var notes: [String]
    public var diseases: DiseaseHierarchy

    /// Whether a sample of cancer type `term` may count.
    public func allowsCancerType(_ term: String) -> Bool {
        guard let cancerTypes, !cancerTypes.isEmpty else { return true }
        return cancerTypes.contains { diseases.isWithin(term, $0) }
    }
}

/// What one rule concludes: pass with a value, or deny with reasons.
public enum RuleResult<Value: Sendable>: Sendable {
    case allow(Value)
    case deny([DenialReason])
}
