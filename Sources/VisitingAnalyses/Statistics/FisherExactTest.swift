import Foundation

/// Fisher's exact test of a 2x2 table (as R's `fisher.test` and scipy's `fisher_exact`):
/// with the margins fixed, `a` follows a hypergeometric distribution; the p-value sums the
/// probabilities of the tables at least as extreme as the one observed.
public enum FisherExactTest {
    /// Which tables count as at least as extreme.
    public enum Alternative: String, Sendable, CaseIterable {
        /// Tables no more probable than the observed one (a relative tolerance of 1e-7, as R).
        case twoSided = "two-sided"
        /// `a` at most the observed (odds ratio below 1: mutual exclusivity).
        case less
        /// `a` at least the observed (odds ratio above 1: enrichment, co-occurrence).
        case greater
    }

    /// The p-value of `table` under `alternative`, in 0...1.
    public static func pValue(_ table: TwoByTwoTable, alternative: Alternative = .twoSided) -> Double {
        let rowA = table.firstRow, columnWith = table.firstColumn, total = table.total
        let low = max(0, columnWith - table.secondRow), high = min(rowA, columnWith)
        guard high > low else { return 1 }
        // log P(a = k) = log C(rowA, k) + log C(total - rowA, columnWith - k) - log C(total, columnWith)
        let logDenominator = logChoose(total, columnWith)
        func probability(_ k: Int) -> Double {
            exp(logChoose(rowA, k) + logChoose(total - rowA, columnWith - k) - logDenominator)
        }
        let observed = table.a
        var sum = 0.0
        switch alternative {
        case .less:
            for k in low...observed { sum += probability(k) }
        case .greater:
            for k in observed...high { sum += probability(k) }
        case .twoSided:
            let threshold = probability(observed) * (1 + 1e-7)
            for k in low...high {
                let p = probability(k)
                if p <= threshold { sum += p }
            }
        }
        return min(1, max(0, sum))
    }

    /// log C(n, k), through log-gamma.
    static func logChoose(_ n: Int, _ k: Int) -> Double {
        lgamma(Double(n) + 1) - lgamma(Double(k) + 1) - lgamma(Double(n - k) + 1)
    }
}
