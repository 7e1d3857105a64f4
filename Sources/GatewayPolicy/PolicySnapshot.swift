import Foundation
import GatewayCore

/// One version of the policy, indexed for decisions. Immutable: the gateway swaps in a
/// new snapshot after each committed change, and a request uses one snapshot throughout.
public struct PolicySnapshot: Sendable {
    /// The policy version: 0 for an empty store, then one more per committed change.
    public let version: Int
    /// The random revision written with this version (see ``PolicyIdentity``); empty for version 0.
    public let revision: String
    public let state: PolicyState
    /// Members by the certificates they authenticate with.
    public let directory: MemberDirectory
    /// Member id -> ids of the approvals naming the member, sorted, each once.
    let approvalsByMember: [String: [String]]
    /// Participant ids whose consent was withdrawn.
    public let withdrawnParticipants: Set<String>

    /// Indexes `state`; a certificate claimed twice is an error (validation reports it first).
    /// `previous`, the snapshot `state` was changed from, saves re-indexing the withdrawals
    /// (they are only ever added).
    public init(version: Int, revision: String = "", state: PolicyState, previous: PolicySnapshot? = nil) throws(GatewayError) {
        self.version = version
        self.revision = revision
        self.state = state
        self.directory = try MemberDirectory(members: state.members.values.sorted { $0.id < $1.id })
        var byMember: [String: [String]] = [:]
        for approval in state.approvals.values {
            // Each member once per approval even if listed twice (validation refuses that): a
            // repeat must never read as two approvals in force.
            for member in Set(approval.members) { byMember[member, default: []].append(approval.id) }
        }
        self.approvalsByMember = byMember.mapValues { $0.sorted() }
        if var withdrawn = previous?.withdrawnParticipants, withdrawn.count <= state.withdrawals.count,
           previous?.state.withdrawals.allSatisfyKnown(in: state.withdrawals) == true {
            if withdrawn.count < state.withdrawals.count {
                for id in state.withdrawals.keys where !withdrawn.contains(id) { withdrawn.insert(id) }
            }
            self.withdrawnParticipants = withdrawn
        } else {
            self.withdrawnParticipants = Set(state.withdrawals.keys)
        }
    }

    /// Which version this is: number and revision. Two snapshots with the same identity hold
    /// the same policy; the same number alone proves nothing (a restore reuses numbers).
    public var identity: PolicyIdentity { PolicyIdentity(version: version, revision: revision) }

    /// No policy at all: nobody is registered, so every caller is refused.
    public static let empty: PolicySnapshot = try! PolicySnapshot(version: 0, state: PolicyState())

    /// The approvals naming `memberID`, in id order.
    public func approvals(of memberID: String) -> [Approval] {
        (approvalsByMember[memberID] ?? []).compactMap { state.approvals[$0] }
    }

    /// Whether `country` may receive data without the donors' consent at `time`: Japan, or a
    /// country on the equivalence list then.
    public func isEquivalentJurisdiction(_ country: String, at time: Date) -> Bool {
        country == Jurisdiction.home || state.jurisdictions[country]?.isEffective(at: time) == true
    }
}

extension Dictionary where Key == String, Value == Withdrawal {
    /// Whether every withdrawal here is also in `other` (cheap when they share storage or
    /// `other` only added to this; checks membership otherwise).
    func allSatisfyKnown(in other: [String: Withdrawal]) -> Bool {
        count <= other.count && keys.allSatisfy { other[$0] != nil }
    }
}
