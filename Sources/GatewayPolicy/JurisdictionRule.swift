import Foundation

/// APPI's rule for data leaving Japan.
///
/// An organization in Japan, or in a country on the equivalence list at the time of the
/// request, counts every sample; otherwise an approval recording the academic-research or
/// public-health exception counts every sample; otherwise only samples whose donors
/// consented to provision overseas count. Nothing unrecognised widens a cohort.
public enum JurisdictionRule {
    /// Whether only overseas-consent samples may count, and the sentence saying why (nil when all may).
    public static func restriction(for organization: Organization, under approval: Approval, in snapshot: PolicySnapshot, at time: Date) -> String? {
        if snapshot.isEquivalentJurisdiction(organization.country, at: time) { return nil }
        if approval.legalBasis.coversAllSamples { return nil }
        let basis = approval.legalBasis == .consent ? "the donors' consent" : "no exception"
        return "Only samples whose donors consented to provision overseas are counted: organization \(organization.id) is in \(organization.country), outside Japan and the countries recognised as equivalent, and approval \(approval.id) records \(basis) as its legal basis."
    }
}
