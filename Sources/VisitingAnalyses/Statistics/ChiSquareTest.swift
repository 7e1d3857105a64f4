import Foundation

/// Pearson's chi-square test of a 2x2 table without continuity correction (PLINK `--assoc`;
/// scipy's `chi2_contingency(correction=False)`): one degree of freedom.
public enum ChiSquareTest {
    /// The statistic and its p-value; nil when a margin is zero (an expected count of 0: the
    /// test is undefined, as PLINK's NA).
    public static func test(_ table: TwoByTwoTable) -> (statistic: Double, pValue: Double)? {
        let total = Double(table.total)
        let rows = [Double(table.firstRow), Double(table.secondRow)], columns = [Double(table.firstColumn), Double(table.secondColumn)]
        guard rows.allSatisfy({ $0 > 0 }), columns.allSatisfy({ $0 > 0 }) else { return nil }
        let observed = [[Double(table.a), Double(table.b)], [Double(table.c), Double(table.d)]]
        var statistic = 0.0
        for row in 0..<2 {
            for column in 0..<2 {
                let expected = rows[row] * columns[column] / total
                let difference = observed[row][column] - expected
                statistic += difference * difference / expected
            }
        }
        // With one degree of freedom, P(X > x) = erfc(sqrt(x / 2)).
        return (statistic, erfc((statistic / 2).squareRoot()))
    }
}
