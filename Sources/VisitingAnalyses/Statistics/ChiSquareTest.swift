import Foundation

/// Pearson's chi-square test of a 2x2 table without continuity correction (PLINK `--assoc`;
/// scipy's `chi2_contingency(correction=False)`): one degree of freedom.
public enum ChiSquareTest {
    /// The statistic and its p-value; nil when a margin is zero (an expected count of 0: the
    /// test is undefined, as PLINK's NA).
    public static func test(_ table: TwoByTwoTable) -> (statistic: Double, pValue: Double)? {
        let total = Double(table.total)
        let firstRow = Double(table.firstRow), secondRow = Double(table.secondRow)
        let firstColumn = Double(table.firstColumn), secondColumn = Double(table.secondColumn)
        guard firstRow > 0, secondRow > 0, firstColumn > 0, secondColumn > 0 else { return nil }
        func term(_ observed: Int, _ row: Double, _ column: Double) -> Double {
            let expected = row * column / total
            let difference = Double(observed) - expected
            return difference * difference / expected
        }
        let statistic = term(table.a, firstRow, firstColumn) + term(table.b, firstRow, secondColumn)
            + term(table.c, secondRow, firstColumn) + term(table.d, secondRow, secondColumn)
        // With one degree of freedom, P(X > x) = erfc(sqrt(x / 2)).
        return (statistic, erfc((statistic / 2).squareRoot()))
    }
}
