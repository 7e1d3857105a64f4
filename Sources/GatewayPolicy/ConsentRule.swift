import Foundation
import GatewayCore

/// The approval's purpose must be compatible with each dataset's consent (DUO codes).
///
/// A dataset the request names explicitly and may not use is a denial; one only implied
/// by the approval's scope is left out of the cohort, and the response says so. If no
/// dataset remains, the request is denied.
public enum ConsentRule {
    /// The datasets `query` may count, with notes, or why it may not count any.
    public static func datasets(
        for query: DataQuery, under approval: Approval, organization: Organization, member: Member,
        in snapshot: PolicySnapshot, at time: Date, diseases: DiseaseHierarchy
    ) -> RuleResult<(datasets: Set<String>, notes: [String])> {
        let named = !query.datasets.isEmpty
        let candidates = named ? query.datasets : approval.scope.datasets
        let use = DataUseOntology.Use(approval: approval, organization: organization, memberID: member.id, time: time, diseases: diseases)
        var allowed = Set<String>()
        var notes: [String] = []
        var reasons: [DenialReason] = []
        for id in candidates {
            let problem: String? = if let dataset = snapshot.state.datasets[id] {
                DataUseOntology.incompatibility(of: dataset, with: use)
            } else {
                "dataset \(id) has no recorded consent"
            }
            if let problem {
                if named { reasons.append(DenialReason(.purposeIncompatibleWithConsent, problem)) }
                else { notes.append("Dataset \(id) is left out: \(problem).") }
            } else {
                allowed.insert(id)
            }
        }
        if !reasons.isEmpty { return .deny(reasons) }
        if allowed.isEmpty {
            return .deny([DenialReason(.purposeIncompatibleWithConsent, "no dataset of approval \(approval.id) may be used for it: " + notes.joined(separator: " "))])
        }
        return .allow((allowed, notes))
    }
}
