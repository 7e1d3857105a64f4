/// Pure output checks: what of an aggregate answer may leave the gateway.
///
/// Rules (each documented in the README):
/// 1. **Small cells.** A stratum in which any sensitive measure is in 1..<k is
///    hidden: all its cells read "<k".
/// 2. **Complementary suppression.** Where a total is shown, the hidden strata of
///    each measure must not be recoverable by subtraction: at least two strata are
///    hidden, and their combined value (total minus the shown cells) is at least k. Otherwise the smallest shown stratum is hidden too, and so on; if no
///    stratum is left to hide, the total itself is hidden.
/// 3. **Small totals.** A total of a sensitive measure in 1..<k reads "<k".
/// 4. **Frequencies** are shown only where the allele number is at least
///    ``DisclosurePolicy/minimumAlleleNumberForFrequency`` and the allele count is shown.
/// 5. **Cohort size.** A question over fewer samples than
///    ``DisclosurePolicy/minimumCohortSize`` is refused (``admitsCohort(size:)``).
public struct DisclosureControl: Sendable {
    public let policy: DisclosurePolicy

    public init(policy: DisclosurePolicy = .standard) {
        self.policy = policy
    }

    private var k: Int { policy.minimumCellCount }

    /// True when `count` may be shown as it is.
    public func isShowable(_ count: Int) -> Bool { count == 0 || count >= k }

    /// One count on its own (no strata): its value, or "<k".
    public func count(_ count: Int) -> DisclosedCount {
        isShowable(count) ? .value(count) : .suppressed(threshold: k)
    }

    /// Rule 5: may a question over `size` samples be answered at all?
    public func admitsCohort(size: Int) -> Bool { size >= policy.minimumCohortSize }

    /// Rule 4: the frequency to show, or nil.
    public func frequency(alleleCount: DisclosedCount, alleleNumber: DisclosedCount) -> Double? {
        guard let count = alleleCount.value, let number = alleleNumber.value,
              number >= policy.minimumAlleleNumberForFrequency, number > 0 else { return nil }
        return Double(count) / Double(number)
    }

    /// Rules 1 to 3 over a stratified table.
    public func protect(_ table: StratifiedTable) -> ProtectedTable {
        let measureCount = table.measures.count
        let sensitive = table.measures.enumerated().filter { table.sensitiveMeasures.contains($0.element) }.map(\.offset)
        var hidden = Set<Int>()
        for (stratum, row) in table.values.enumerated() where sensitive.contains(where: { !isShowable(row[$0]) }) {
            hidden.insert(stratum)
        }
        var totalHidden = [Bool](repeating: false, count: measureCount)
        for measure in sensitive where !isShowable(table.total(measure)) {
            totalHidden[measure] = true
        }
        // Complementary suppression, to a fixed point: hiding a stratum for one measure hides it for all.
        var changed = true
        while changed {
            changed = false
            for measure in 0..<measureCount where !totalHidden[measure] {
                while !isSafe(table, measure: measure, hidden: hidden) {
                    if let next = smallestShownStratum(table, measure: measure, hidden: hidden) {
                        hidden.insert(next)
                        changed = true
                    } else {
                        totalHidden[measure] = true
                        break
                    }
                }
            }
        }
        let suppressed = DisclosedCount.suppressed(threshold: k)
        let cells = table.values.enumerated().map { stratum, row in
            hidden.contains(stratum) ? [DisclosedCount](repeating: suppressed, count: measureCount) : row.map { .value($0) }
        }
        let totals = (0..<measureCount).map { totalHidden[$0] ? suppressed : DisclosedCount.value(table.total($0)) }
        return ProtectedTable(cells: cells, totals: totals, suppressedStrata: hidden)
    }

    /// Whether the hidden strata of `measure` stay hidden given its shown total.
    private func isSafe(_ table: StratifiedTable, measure: Int, hidden: Set<Int>) -> Bool {
        if hidden.isEmpty { return true }
        // The attacker learns the hidden strata's combined value; it must not pin one
        // stratum (two or more hidden) nor be small itself (a hidden group of non-carriers is also a disclosure).
        let hiddenSum = hidden.reduce(0) { $0 + table.values[$1][measure] }
        // A hidden group summing to 0 reveals only zeros, which rule 1 shows anyway.
        if hiddenSum == 0 { return true }
        return hidden.count >= 2 && hiddenSum >= k
    }

    private func smallestShownStratum(_ table: StratifiedTable, measure: Int, hidden: Set<Int>) -> Int? {
        let shown = table.values.indices.filter { !hidden.contains($0) }
        // Prefer strata with a non-zero value: hiding a zero adds no uncertainty.
        let candidates = shown.filter { table.values[$0][measure] > 0 }
        return (candidates.isEmpty ? shown : candidates).min { table.values[$0][measure] < table.values[$1][measure] }
    }
}
