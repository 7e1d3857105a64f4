/// One airlock decision about an output, as ACRO records it: which rule, which cells, what
/// happened. Every result lists its findings, masked or not, so a reader sees why a number is
/// missing.
public struct AirlockFinding: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The rules the airlock applies.
    public enum Rule: String, Sendable, Hashable, Codable, CaseIterable {
        /// A count of 1 to threshold - 1 (small cells identify people).
        case threshold
        /// A zero or 100 % cell in a group: it tells something about everyone in the group.
        case classDisclosure = "class-disclosure"
        /// Cells masked only because the table's margins would give a masked cell back.
        case complementary
        /// Statistics of a masked table (they and the margins give its cells back).
        case derivedStatistics = "derived-statistics"
        /// A 2x2 table with a cell of 1 to threshold - 1, a zero or 100 % cell in a group, or a
        /// margin below the threshold, masked whole: which of these is not said (the pattern of
        /// small and zero cells is itself what the table would disclose).
        case disclosiveTable = "disclosive-table"
        /// A model with too few residual degrees of freedom or too many parameters for n.
        case degreesOfFreedom = "degrees-of-freedom"
        /// A sum dominated by a few contributors: (n, k) dominance.
        case dominance
        /// A sum whose second-largest contributor would learn the largest within p %.
        case pRatio = "p-ratio"
    }

    /// What the rule did.
    public enum Outcome: String, Sendable, Hashable, Codable {
        case masked
        case withheld
    }

    public var rule: Rule
    /// The cells or statistics concerned, by name (`cases/carriers`, `odds_ratio`).
    public var cells: [String]
    public var outcome: Outcome
    /// Why, in a sentence (never the hidden value).
    public var reason: String

    public init(rule: Rule, cells: [String], outcome: Outcome, reason: String) {
        self.rule = rule
        self.cells = cells
        self.outcome = outcome
        self.reason = reason
    }

    public var description: String { "\(rule.rawValue): \(cells.joined(separator: ", ")) \(outcome.rawValue) (\(reason))" }
}
