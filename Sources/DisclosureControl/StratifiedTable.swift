/// Counts of several measures over strata that add up to a total, as one answer shows them.
///
/// Every measure (carriers, allele count, homozygous, samples, ...) is additive:
/// the strata's values sum to the measure's total. ``DisclosureControl/protect(_:)``
/// decides which cells and totals may be shown.
public struct StratifiedTable: Sendable, Hashable {
    /// Measure names, e.g. ["samples", "carriers", "alleleCount"].
    public var measures: [String]
    /// `values[stratum][measure]`.
    public var values: [[Int]]
    /// Measures whose small values identify people (counts of people or of their alleles);
    /// the others (e.g. allele number, which follows from sample counts) are protected only by complementary suppression.
    public var sensitiveMeasures: Set<String>

    public init(measures: [String], values: [[Int]], sensitiveMeasures: Set<String>? = nil) {
        self.measures = measures
        self.values = values
        self.sensitiveMeasures = sensitiveMeasures ?? Set(measures)
    }

    /// The total of one measure over all strata.
    public func total(_ measure: Int) -> Int { values.reduce(0) { $0 + $1[measure] } }
}

/// What may be shown of a ``StratifiedTable``.
public struct ProtectedTable: Sendable, Hashable {
    /// `cells[stratum][measure]`.
    public var cells: [[DisclosedCount]]
    /// `totals[measure]`.
    public var totals: [DisclosedCount]
    /// Strata hidden entirely (every measure suppressed).
    public var suppressedStrata: Set<Int>

    /// Number of cells (stratum x measure) that read "<k".
    public var suppressedCellCount: Int { cells.reduce(0) { $0 + $1.filter(\.isSuppressed).count } }
}
