import Foundation
import GatewayCore

/// The gateway's one decision: identity -> role -> approval -> consent -> jurisdiction ->
/// withdrawal, in this order, on one policy snapshot.
///
/// Pure: no I/O, no clock (the request carries its time). A denial is a returned value
/// with every reason found at the first stage that failed; an allowed query carries the
/// ``CohortRestriction`` the query service must apply.
public struct PolicyEngine: Sendable {
    public var diseases: DiseaseHierarchy

    public init(diseases: DiseaseHierarchy = .standard) {
        self.diseases = diseases
    }

    public func decide(_ request: AccessRequest, in snapshot: PolicySnapshot) -> AccessDecision {
        let version = snapshot.identity
        let member = request.member
        // 1. Identity: the member and their organization may act.
        let identity = IdentityRule.check(member, in: snapshot)
        guard identity.isEmpty else { return .deny(identity, version: version) }
        // 2. Role: the action belongs to the member's role.
        if let refusal = RoleRule.check(member.role, for: request.action) { return .deny([refusal], version: version) }
        guard case .query(let query) = request.action else { return .allow(version: version) }
        guard let organization = snapshot.state.organizations[member.organization] else {
            return .deny([DenialReason(.unknownMember, "member \(member.id)'s organization is not registered")], version: version)
        }
        // 3. Approval: one in force, naming the member; the query within its scope.
        let approval: Approval
        switch ApprovalRule.resolve(query, member: member, in: snapshot, at: request.time) {
        case .allow(let found): approval = found
        case .deny(let reasons): return .deny(reasons, version: version, approvalID: query.approvalID)
        }
        let outOfScope = ApprovalRule.scope(of: query, under: approval, diseases: diseases)
        guard outOfScope.isEmpty else { return .deny(outOfScope, version: version, approvalID: approval.id) }
        // 4. Consent: the purpose fits every dataset's DUO codes.
        let datasets: Set<String>
        var notes: [String]
        switch ConsentRule.datasets(for: query, under: approval, organization: organization, member: member,
                                    in: snapshot, at: request.time, diseases: diseases) {
        case .allow(let result): (datasets, notes) = result
        case .deny(let reasons): return .deny(reasons, version: version, approvalID: approval.id)
        }
        // 5. Jurisdiction: outside Japan and the equivalence list, without an exception, overseas consent only.
        let jurisdiction = JurisdictionRule.restriction(for: organization, under: approval, in: snapshot, at: request.time)
        if let jurisdiction { notes.append(jurisdiction) }
        if let types = approval.scope.cancerTypes, !types.isEmpty {
            notes.append("Only cancer types within \(types.joined(separator: ", ")) are counted (approval \(approval.id)).")
        }
        // 6. Withdrawal: withdrawn participants never count.
        let restriction = CohortRestriction(
            datasets: datasets,
            cancerTypes: approval.scope.cancerTypes,
            overseasConsentOnly: jurisdiction != nil,
            withdrawnParticipants: snapshot.withdrawnParticipants,
            notes: notes,
            diseases: diseases
        )
        return .allow(version: version, approvalID: approval.id, restriction: restriction)
    }
}
