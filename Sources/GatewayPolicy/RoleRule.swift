import GatewayCore

/// Researchers query; auditors only read audit data; the secretariat only administers
/// policy. Every member holds exactly one role, so nobody can do two of these.
public enum RoleRule {
    public static func check(_ role: Role, for action: AccessRequest.Action) -> DenialReason? {
        action.allowedRoles.contains(role) ? nil
            : DenialReason(.roleForbidden, "the \(role.rawValue) role may not use this endpoint")
    }
}
