import GatewayPolicy

/// APPI's rule for data leaving Japan, in its fixed form until the policy module supplies the
/// committee's editable equivalence list and approvals' legal bases.
///
/// A member whose organization is in Japan, the EEA or the UK may count every sample; anyone
/// else (including a member whose country is missing or malformed) counts only samples whose
/// donors consented to provision overseas. Fails closed: nothing unrecognised widens a cohort.
enum OverseasProvisionRule {
    /// Japan, and the countries whose protection Japan recognises as equivalent: the EEA
    /// (EU member states, Iceland, Liechtenstein, Norway) and the United Kingdom.
    static let unrestrictedCountries: Set<String> = [
        "JP",
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT",
        "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
        "IS", "LI", "NO",
        "GB",
    ]

    /// Why `member`'s cohort is limited to overseas-consent samples, or nil when it is not.
    static func restriction(for member: Member) -> String? {
        if unrestrictedCountries.contains(member.country) { return nil }
        return "Only samples whose donors consented to provision overseas are counted: the member's organization is in \(member.country.prefix(8)), outside Japan and the countries recognised as equivalent (EEA, UK)."
    }
}
