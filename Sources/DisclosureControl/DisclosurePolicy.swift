/// The thresholds that decide what an answer may show.
///
/// Set by the operator (and, later, per approval); every rule is documented in
/// the README's "Disclosure control" section.
public struct DisclosurePolicy: Sendable, Hashable, Codable {
    /// No count of people (or of alleles carried by people) in 1..<k is shown: it reads "<k".
    public var minimumCellCount: Int
    /// An allele frequency is shown only where the allele number is at least this (default 200:
    /// with counts perturbed by at most 2, a shown frequency is within 0.01 of the truth).
    public var minimumAlleleNumberForFrequency: Int
    /// A question about fewer samples than this (after every filter and restriction) is refused.
    public var minimumCohortSize: Int

    public init(minimumCellCount: Int = 5, minimumAlleleNumberForFrequency: Int = 200, minimumCohortSize: Int = 20) {
        self.minimumCellCount = minimumCellCount
        self.minimumAlleleNumberForFrequency = minimumAlleleNumberForFrequency
        self.minimumCohortSize = minimumCohortSize
    }

    public static let standard = DisclosurePolicy()
}
