import Foundation
import GatewayCore

/// The approval a query is made under: named by the request or, when the member has exactly
/// one approval in force, that one; it must name the member and be active and valid now.
/// Then the query must be within its scope: kind, datasets and cancer types.
public enum ApprovalRule {
    /// The approval `query` is made under, or why there is none it may use.
    public static func resolve(_ query: DataQuery, member: Member, in snapshot: PolicySnapshot, at time: Date) -> RuleResult<Approval> {
        if let id = query.approvalID {
            guard let approval = snapshot.state.approvals[id] else {
                return .deny([notYours(id, member)])
            }
            let problems = standing(of: approval, for: member, at: time)
            return problems.isEmpty ? .allow(approval) : .deny(problems)
        }
        let approvals = snapshot.approvals(of: member.id)
        let usable = approvals.filter { standing(of: $0, for: member, at: time).isEmpty }
        switch usable.count {
        case 1:
            return .allow(usable[0])
        case 0 where approvals.count == 1:
            return .deny(standing(of: approvals[0], for: member, at: time))
        case 0:
            return .deny([DenialReason(.noApproval, "member \(member.id) has no approval in force; the committee secretariat records approvals")])
        default:
            return .deny([DenialReason(.approvalAmbiguous, "member \(member.id) has \(usable.count) approvals in force (\(usable.map(\.id).joined(separator: ", "))); name one with the X-Approval-Id header or the approval parameter")])
        }
    }

    /// Why `approval` cannot be used by `member` at `time` (empty when it can).
    public static func standing(of approval: Approval, for member: Member, at time: Date) -> [DenialReason] {
        guard approval.members.contains(member.id), approval.organization == member.organization else {
            return [notYours(approval.id, member)]
        }
        var reasons: [DenialReason] = []
        switch approval.status {
        case .suspended: reasons.append(DenialReason(.approvalSuspended, "approval \(approval.id) is suspended by the committee"))
        case .revoked: reasons.append(DenialReason(.approvalRevoked, "approval \(approval.id) has been revoked by the committee"))
        case .active: break
        }
        if time < approval.validFrom {
            reasons.append(DenialReason(.approvalNotYetValid, "approval \(approval.id) is valid from \(approval.validFrom.formatted(.iso8601))"))
        } else if time >= approval.validUntil {
            reasons.append(DenialReason(.approvalExpired, "approval \(approval.id) expired at \(approval.validUntil.formatted(.iso8601))"))
        }
        return reasons
    }

    /// An approval that does not exist and one that does not name the member get the same
    /// answer, so a caller cannot learn which approval ids exist.
    static func notYours(_ id: String, _ member: Member) -> DenialReason {
        DenialReason(.noApproval, "member \(member.id) has no approval '\(id.prefix(64))'")
    }

    /// Why `query` is outside `approval`'s scope (empty when it is within).
    public static func scope(of query: DataQuery, under approval: Approval, diseases: DiseaseHierarchy) -> [DenialReason] {
        var reasons: [DenialReason] = []
        if !approval.scope.queryKinds.contains(query.kind) {
            let allowed = approval.scope.queryKinds.map(\.rawValue).joined(separator: ", ")
            reasons.append(DenialReason(.outOfScopeQuery, "approval \(approval.id) does not cover \(query.kind) queries (it covers: \(allowed))"))
        }
        for dataset in query.datasets where !approval.scope.datasets.contains(dataset) {
            reasons.append(DenialReason(.outOfScopeDataset, "approval \(approval.id) does not cover dataset '\(dataset.prefix(64))'"))
        }
        if let types = approval.scope.cancerTypes, !types.isEmpty {
            for term in query.cancerTypes where !types.contains(where: { diseases.isWithin(term, $0) }) {
                reasons.append(DenialReason(.outOfScopeCancerType, "approval \(approval.id) is limited to \(types.joined(separator: ", ")); \(term.prefix(40)) is outside it"))
            }
        }
        return reasons
    }
}
