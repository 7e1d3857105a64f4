import DisclosureControl

/// The airlock's rule for a 2x2 table released with its margins and its statistics (allelic
/// association, burden, co-occurrence): a table passes whole or not at all.
///
/// With both margins shown, one masked cell of a 2x2 table is its row total minus its
/// neighbour, so masking any cell masks all four (complementary suppression); the odds ratio
/// or a p-value with the margins solves for the cells too, so the statistics go with them.
/// A cell is disclosive when it holds 1 to `threshold - 1` (few enough to identify people)
/// or when it is 0 in a row of people (everyone in that group lacks the attribute: class
/// disclosure; a 100 % cell is the zero beside it). A margin below the threshold is itself
/// disclosive, and masks everything. A masked table is reported as one `disclosive-table`
/// finding naming all four cells: which of them was small or zero is not said.
public struct TableAirlock: Sendable {
    /// The gateway's disclosure control: its `isShowable` decides each cell and margin
    /// (`disclosure.minimum_cell_count`, the same k as every query answer).
    public let control: DisclosureControl
    /// Whether a zero cell in a non-empty row is disclosive (on by default; a study can
    /// declare zeros expected, as for a rare variant absent from controls, only by policy).
    public let zerosAreDisclosive: Bool

    /// The smallest count shown.
    public var threshold: Int { control.policy.minimumCellCount }

    public init(control: DisclosureControl, zerosAreDisclosive: Bool = true) {
        self.control = control
        self.zerosAreDisclosive = zerosAreDisclosive
    }

    /// The names of a table's rows and columns (`cases`, `controls`; `alternate`, `reference`).
    public struct Names: Sendable, Hashable {
        public var firstRow: String
        public var secondRow: String
        public var firstColumn: String
        public var secondColumn: String

        public init(rows: (String, String), columns: (String, String)) {
            (firstRow, secondRow) = rows
            (firstColumn, secondColumn) = columns
        }

        /// `row/column` for each cell, rows first.
        var cells: [String] {
            ["\(firstRow)/\(firstColumn)", "\(firstRow)/\(secondColumn)", "\(secondRow)/\(firstColumn)", "\(secondRow)/\(secondColumn)"]
        }
    }

    /// The decision: `released` when nothing is disclosive; the findings say what was masked and why.
    /// `people` gives, per cell (rows first), the fewest people behind it when the table counts
    /// something else (alleles: a cell of 6 alleles may be 3 people); the threshold applies to
    /// them. Without it the cells are counts of people.
    public func check(_ table: TwoByTwoTable, names: Names, statistics: [String], people: [Int]? = nil) -> (released: Bool, findings: [AirlockFinding]) {
        let counts = people.map { Array($0.prefix(4)) + Array(repeating: 0, count: max(0, 4 - $0.count)) } ?? [table.a, table.b, table.c, table.d]
        let rowTotals = [table.firstRow, table.firstRow, table.secondRow, table.secondRow]
        let cellNames = names.cells
        var findings: [AirlockFinding] = []
        let small = counts.indices.filter { !control.isShowable(counts[$0]) }
        if !small.isEmpty {
            findings.append(AirlockFinding(rule: .threshold, cells: small.map { cellNames[$0] }, outcome: .masked,
                                           reason: "fewer than \(threshold) people"))
        }
        if zerosAreDisclosive {
            let zeros = counts.indices.filter { counts[$0] == 0 && rowTotals[$0] > 0 }
            if !zeros.isEmpty {
                findings.append(AirlockFinding(rule: .classDisclosure, cells: zeros.map { cellNames[$0] }, outcome: .masked,
                                               reason: "a zero, or the whole-group cell beside it, says something about everyone in the group"))
            }
        }
        let margins = [(names.firstRow, table.firstRow), (names.secondRow, table.secondRow), (names.firstColumn, table.firstColumn), (names.secondColumn, table.secondColumn)]
        let smallMargins = margins.filter { !control.isShowable($0.1) }
        if !smallMargins.isEmpty {
            findings.append(AirlockFinding(rule: .threshold, cells: smallMargins.map { "total \($0.0)" }, outcome: .masked,
                                           reason: "a group of fewer than \(threshold) people"))
        }
        guard !findings.isEmpty else { return (true, []) }
        // Which cells are small, which are zero and which only complementary is what the table
        // would have told (a pair's single carrier carries the other variant, or no case does):
        // a masked table says only that it is masked, all four cells at once.
        findings = [AirlockFinding(rule: .disclosiveTable, cells: cellNames, outcome: .masked,
                                   reason: "a cell of fewer than \(threshold) people but not none, a zero cell (or the whole-group cell beside it) in a non-empty group, or a group of fewer than \(threshold); which one is not said, as that would tell")]
        if !statistics.isEmpty {
            findings.append(AirlockFinding(rule: .derivedStatistics, cells: statistics, outcome: .withheld,
                                           reason: "with the margins they give the masked cells back"))
        }
        return (false, findings)
    }
}
