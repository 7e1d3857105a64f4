import Foundation
import GatewayCore

/// The caller may act at all: the member is active and so is their organization.
public enum IdentityRule {
    public static func check(_ member: Member, in snapshot: PolicySnapshot) -> [DenialReason] {
        switch member.status {
        case .suspended: return [DenialReason(.memberSuspended, "member \(member.id) is suspended")]
        case .revoked: return [DenialReason(.memberRevoked, "member \(member.id) has been revoked")]
        case .active: break
        }
        guard let organization = snapshot.state.organizations[member.organization] else {
            return [DenialReason(.unknownMember, "member \(member.id)'s organization is not registered")]
        }
        guard organization.consortiumStatus == .active else {
            return [DenialReason(.organizationSuspended, "organization \(organization.id) is \(organization.consortiumStatus.rawValue) in the consortium")]
        }
        return []
    }
}
