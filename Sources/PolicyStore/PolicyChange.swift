import Foundation
import GatewayCore
import GatewayPolicy

/// One change to the policy: a summary for the history and an edit of the whole state.
///
/// The store applies it in one transaction: the edit runs on a copy, the result is
/// validated as a whole, and only then written with a new version number. An edit throws
/// `not_found`, `conflict` or `invalid_policy` to refuse; nothing is applied then.
public struct PolicyChange: Sendable {
    /// What the change is, e.g. `approval A-1 suspended` (kept in the history).
    public var summary: String
    /// The action recorded for each record it touches, e.g. `suspend`.
    public var action: String
    let edit: @Sendable (inout PolicyState, Date) throws(GatewayError) -> Void

    public init(summary: String, action: String, edit: @escaping @Sendable (inout PolicyState, Date) throws(GatewayError) -> Void) {
        self.summary = summary
        self.action = action
        self.edit = edit
    }

    /// This change, refused by `check` when the state it leads to fails it: `check` runs in
    /// the change's transaction on the edited state, before the state is validated, and
    /// throws to refuse (nothing is applied then).
    public func checked(by check: @escaping @Sendable (PolicyState) throws(GatewayError) -> Void) -> PolicyChange {
        let edit = self.edit
        return PolicyChange(summary: summary, action: action) { state, now throws(GatewayError) in
            try edit(&state, now)
            try check(state)
        }
    }
}

extension PolicyChange {
    /// Creates or updates every record of `imported` (a bootstrap or a file-managed policy).
    /// Nothing absent from it is removed; withdrawals are only ever added; and the status of
    /// a record already stored (approval, member, organization) is kept: suspending,
    /// reinstating and revoking are decisions of their own, never a side effect of a file.
    public static func importing(_ imported: PolicyState, from source: String) -> PolicyChange {
        PolicyChange(summary: "import from \(source)", action: "import") { state, now throws(GatewayError) in
            state.organizations.merge(imported.organizations) { stored, new in
                var kept = new
                kept.consortiumStatus = stored.consortiumStatus
                return kept
            }
            state.members.merge(imported.members) { stored, new in
                var kept = new
                kept.status = stored.status
                return kept
            }
            state.datasets.merge(imported.datasets) { $1 }
            state.approvals.merge(imported.approvals) { stored, new in
                var kept = new
                kept.status = stored.status
                return kept
            }
            state.jurisdictions.merge(imported.jurisdictions) { $1 }
            for (id, withdrawal) in imported.withdrawals where state.withdrawals[id] == nil {
                var recorded = withdrawal
                recorded.recordedAt = now
                state.withdrawals[id] = recorded
            }
        }
    }

    // MARK: Approvals

    public static func createApproval(_ approval: Approval) -> PolicyChange {
        PolicyChange(summary: "approval \(approval.id) created", action: "create") { state, _ throws(GatewayError) in
            guard state.approvals[approval.id] == nil else {
                throw GatewayError(.conflict, "approval \(approval.id) already exists; amend it with PATCH instead")
            }
            state.approvals[approval.id] = approval
        }
    }

    /// Replaces approval `id` with `amend(current)`; the id and status cannot change this way.
    public static func amendApproval(_ id: String, _ amend: @escaping @Sendable (Approval) throws(GatewayError) -> Approval) -> PolicyChange {
        PolicyChange(summary: "approval \(id) amended", action: "amend") { state, _ throws(GatewayError) in
            guard let current = state.approvals[id] else { throw GatewayError(.notFound, "there is no approval '\(id.prefix(64))'") }
            let amended = try amend(current)
            guard amended.id == id, amended.status == current.status else {
                throw GatewayError(.invalidPolicy, "an amendment cannot change an approval's id or status; use suspend, reinstate or revoke")
            }
            state.approvals[id] = amended
        }
    }

    /// The committee's status decisions on an approval.
    public enum StatusAction: String, Sendable, CaseIterable {
        case suspend, reinstate, revoke

        /// The decisions open to an approval or member whose status is `status` (`active`:
        /// suspend or revoke; `suspended`: reinstate or revoke; `revoked` is final).
        public static func available(from status: String) -> [StatusAction] {
            switch status {
            case "active": [.suspend, .revoke]
            case "suspended": [.reinstate, .revoke]
            default: []
            }
        }
    }

    /// Suspends (active -> suspended), reinstates (suspended -> active) or revokes (-> revoked, final).
    public static func approvalStatus(_ id: String, _ action: StatusAction) -> PolicyChange {
        PolicyChange(summary: "approval \(id) \(action.pastTense)", action: action.rawValue) { state, _ throws(GatewayError) in
            guard var approval = state.approvals[id] else { throw GatewayError(.notFound, "there is no approval '\(id.prefix(64))'") }
            approval.status = try action.apply(to: approval.status, what: "approval \(id)")
            state.approvals[id] = approval
        }
    }

    /// Sets an approval's disclosure budget (README "Privacy"); `reason` is the committee's,
    /// kept in the history with the old and new budgets. An empty reason is refused.
    public static func setPrivacyBudget(_ id: String, to budget: Double, reason: String) -> PolicyChange {
        PolicyChange(summary: "approval \(id) privacy budget set to \(budget): \(reason)", action: "privacy-budget") { state, _ throws(GatewayError) in
            guard var approval = state.approvals[id] else { throw GatewayError(.notFound, "there is no approval '\(id.prefix(64))'") }
            guard !reason.allSatisfy(\.isWhitespace) else {
                throw GatewayError(.invalidPolicy, "privacy budget change, field reason: is empty; a budget changes only with the committee's reason")
            }
            guard budget > 0, budget <= Approval.maximumPrivacyBudget else {
                throw GatewayError(.invalidPolicy, "privacy budget change, field budget: \(budget) is not in (0, \(Approval.maximumPrivacyBudget)]")
            }
            guard approval.status != .revoked else {
                throw GatewayError(.conflict, "approval \(id) is revoked; its budget cannot change")
            }
            approval.privacyBudget = budget
            state.approvals[id] = approval
        }
    }

    // MARK: Members and organizations

    public static func registerMember(_ member: Member) -> PolicyChange {
        PolicyChange(summary: "member \(member.id) registered", action: "register") { state, _ throws(GatewayError) in
            guard state.members[member.id] == nil else { throw GatewayError(.conflict, "member \(member.id) is already registered") }
            state.members[member.id] = member
        }
    }

    public static func memberStatus(_ id: String, _ action: StatusAction) -> PolicyChange {
        PolicyChange(summary: "member \(id) \(action.pastTense)", action: action.rawValue) { state, _ throws(GatewayError) in
            guard var member = state.members[id] else { throw GatewayError(.notFound, "there is no member '\(id.prefix(64))'") }
            let status = try action.apply(to: Approval.Status(rawValue: member.status.rawValue) ?? .revoked, what: "member \(id)")
            member.status = Member.Status(rawValue: status.rawValue) ?? .revoked
            state.members[id] = member
        }
    }

    /// Adds a certificate identity to a member.
    public static func addCertificate(_ certificate: CertificateIdentity, to id: String) -> PolicyChange {
        PolicyChange(summary: "member \(id): certificate added", action: "add-certificate") { state, _ throws(GatewayError) in
            guard var member = state.members[id] else { throw GatewayError(.notFound, "there is no member '\(id.prefix(64))'") }
            guard !member.certificates.contains(certificate) else { throw GatewayError(.conflict, "member \(id) already has that certificate") }
            member.certificates.append(certificate)
            state.members[id] = member
        }
    }

    /// Removes a certificate identity from a member: it no longer authenticates anyone.
    public static func revokeCertificate(_ certificate: CertificateIdentity, of id: String) -> PolicyChange {
        PolicyChange(summary: "member \(id): certificate revoked", action: "revoke-certificate") { state, _ throws(GatewayError) in
            guard var member = state.members[id] else { throw GatewayError(.notFound, "there is no member '\(id.prefix(64))'") }
            guard let index = member.certificates.firstIndex(of: certificate) else {
                throw GatewayError(.notFound, "member \(id) has no such certificate")
            }
            member.certificates.remove(at: index)
            if member.certificates.isEmpty { member.status = .revoked }
            state.members[id] = member
        }
    }

    /// Registers a new organization or replaces an existing one.
    public static func saveOrganization(_ organization: Organization) -> PolicyChange {
        PolicyChange(summary: "organization \(organization.id) saved", action: "save") { state, _ throws(GatewayError) in
            state.organizations[organization.id] = organization
        }
    }

    // MARK: Jurisdictions

    /// Adds or replaces one entry of the equivalence list.
    public static func saveJurisdiction(_ entry: EquivalentJurisdiction) -> PolicyChange {
        PolicyChange(summary: "equivalence list: \(entry.country) saved", action: "save") { state, _ throws(GatewayError) in
            state.jurisdictions[entry.country] = entry
        }
    }

    /// Replaces the whole equivalence list.
    public static func replaceJurisdictions(_ entries: [EquivalentJurisdiction]) -> PolicyChange {
        PolicyChange(summary: "equivalence list replaced (\(entries.count) countries)", action: "replace") { state, _ throws(GatewayError) in
            var list: [String: EquivalentJurisdiction] = [:]
            for entry in entries {
                guard list[entry.country] == nil else { throw GatewayError(.invalidPolicy, "country \(entry.country) is listed twice") }
                list[entry.country] = entry
            }
            state.jurisdictions = list
        }
    }

    // MARK: Withdrawals

    /// Records withdrawals; a participant already withdrawn keeps their first record (idempotent).
    public static func recordWithdrawals(_ withdrawals: [Withdrawal]) -> PolicyChange {
        PolicyChange(summary: "\(withdrawals.count) consent withdrawal(s) recorded", action: "withdraw") { state, now throws(GatewayError) in
            for withdrawal in withdrawals where state.withdrawals[withdrawal.participantID] == nil {
                var recorded = withdrawal
                recorded.recordedAt = now
                state.withdrawals[withdrawal.participantID] = recorded
            }
        }
    }
}

extension PolicyChange.StatusAction {
    var pastTense: String {
        switch self {
        case .suspend: "suspended"
        case .reinstate: "reinstated"
        case .revoke: "revoked"
        }
    }

    /// The status after this action, or a `conflict` naming why it cannot be taken.
    func apply(to status: Approval.Status, what: String) throws(GatewayError) -> Approval.Status {
        switch (self, status) {
        case (.suspend, .active): return .suspended
        case (.reinstate, .suspended): return .active
        case (.revoke, .active), (.revoke, .suspended): return .revoked
        case (_, .revoked): throw GatewayError(.conflict, "\(what) is revoked; revocation is final")
        case (.suspend, .suspended): throw GatewayError(.conflict, "\(what) is already suspended")
        case (.reinstate, .active): throw GatewayError(.conflict, "\(what) is already active")
        }
    }
}
