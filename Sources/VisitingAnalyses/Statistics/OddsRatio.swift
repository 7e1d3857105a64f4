import Foundation

/// The odds ratio of a 2x2 table, (a d) / (b c), with Woolf's confidence interval on the log
/// scale: exp(log OR +- z sqrt(1/a + 1/b + 1/c + 1/d)) (PLINK `--ci`).
public struct OddsRatio: Sendable, Hashable {
    /// The odds ratio; infinite when b c is 0 and a d is not; nil when both are 0.
    public let value: Double?
    /// The interval's bounds; nil when a cell is 0 (the standard error is undefined).
    public let lower: Double?
    public let upper: Double?

    /// The two-sided 95 % interval's z.
    public static let z95 = 1.959963984540054

    /// The odds ratio of `table`, with an interval at `z` (the 95 % one by default).
    public init(_ table: TwoByTwoTable, z: Double = OddsRatio.z95) {
        let numerator = Double(table.a) * Double(table.d), denominator = Double(table.b) * Double(table.c)
        switch (numerator == 0, denominator == 0) {
        case (true, true): value = nil
        case (false, true): value = .infinity
        default: value = numerator / denominator
        }
        if let value, value.isFinite, value > 0, [table.a, table.b, table.c, table.d].allSatisfy({ $0 > 0 }) {
            let standardError = (1 / Double(table.a) + 1 / Double(table.b) + 1 / Double(table.c) + 1 / Double(table.d)).squareRoot()
            lower = exp(log(value) - z * standardError)
            upper = exp(log(value) + z * standardError)
        } else {
            lower = nil
            upper = nil
        }
    }

    /// log2 of the odds ratio, as cBioPortal shows co-occurrence (nil when undefined; infinite
    /// values are signed infinities).
    public var log2Value: Double? {
        guard let value else { return nil }
        return value == 0 ? -.infinity : log2(value)
    }
}
