/// A 2x2 table of counts, as PLINK and cBioPortal lay it out:
///
/// |         | with | without |
/// |---------|------|---------|
/// | group A | a    | b       |
/// | group B | c    | d       |
///
/// For allelic association the columns are the alternate and reference alleles and the rows
/// cases and controls; for burden, carriers and non-carriers; for co-occurrence, the rows are
/// samples with and without the first event, the columns with and without the second.
public struct TwoByTwoTable: Sendable, Hashable, CustomStringConvertible {
    public let a: Int
    public let b: Int
    public let c: Int
    public let d: Int

    /// The largest count a cell may hold (a bound that keeps every product and factorial finite).
    public static let maximumCount = 100_000_000

    /// A table; nil when a count is negative or above ``maximumCount``.
    public init?(a: Int, b: Int, c: Int, d: Int) {
        guard [a, b, c, d].allSatisfy({ (0...Self.maximumCount).contains($0) }) else { return nil }
        self.a = a
        self.b = b
        self.c = c
        self.d = d
    }

    /// Row totals (group A, group B), column totals (with, without) and the grand total.
    public var firstRow: Int { a + b }
    public var secondRow: Int { c + d }
    public var firstColumn: Int { a + c }
    public var secondColumn: Int { b + d }
    public var total: Int { a + b + c + d }

    public var description: String { "[[\(a), \(b)], [\(c), \(d)]]" }
}
