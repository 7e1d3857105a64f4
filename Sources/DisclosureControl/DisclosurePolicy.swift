/// The thresholds that decide what an answer may show.
///
/// Set by the operator (and, later, per approval); every rule is documented in
/// the README's "Disclosure control" section.
public struct DisclosurePolicy: Sendable, Hashable, Codable {
    /// No count of people (or of alleles carried by people) in 1..<k is shown: it reads "<k".
    public var minimumCellCount: Int
    /// An allele frequency is shown only where the allele number is at least this (default 420:
    /// with the allele number perturbed by at most 2 and the allele count by at least 2, a shown
    /// frequency can still be kept within 0.01 of the truth).
    public var minimumAlleleNumberForFrequency: Int
    /// A question about fewer samples than this (after every filter and restriction) is refused.
    public var minimumCohortSize: Int

    public init(minimumCellCount: Int = 5, minimumAlleleNumberForFrequency: Int = 420, minimumCohortSize: Int = 20) {
        self.minimumCellCount = minimumCellCount
        self.minimumAlleleNumberForFrequency = minimumAlleleNumberForFrequency
        self.minimumCohortSize = minimumCohortSize
    }

    public static let standard = DisclosurePolicy()
}
