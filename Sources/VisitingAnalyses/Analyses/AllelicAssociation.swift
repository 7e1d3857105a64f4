import PrivacyLedger
import VariantStore

/// Case-control allelic association per variant (PLINK `--assoc` / `--fisher` conventions):
/// for each variant, the 2x2 table of alternate and reference alleles in cases and controls,
/// Fisher's exact p-value (two-sided), Pearson's chi-square without continuity correction and
/// its p-value, and the odds ratio of the alternate allele with Woolf's 95 % interval.
///
/// Every table goes through the airlock (``TableAirlock``) on the people behind its cells:
/// carriers of the alternate allele (exact) and of the reference allele (at least half the
/// reference alleles). A masked table takes its statistics with it. What a released table
/// tells, allele counts over the cases and over the controls, is charged to the disclosure
/// ledger as the same subject an allele frequency of the variant is.
public enum AllelicAssociation {
    /// One variant's result.
    public struct VariantResult: Sendable, Hashable, Codable {
        /// The variant (`chr1:12345:A:G`).
        public var variant: String
        /// `[[case alternate, case reference], [control alternate, control reference]]`; nil when masked.
        public var table: [[Int]]?
        public var oddsRatio: Double?
        public var oddsRatioLower: Double?
        public var oddsRatioUpper: Double?
        public var pFisher: Double?
        public var chiSquare: Double?
        public var pChiSquare: Double?
        /// What the airlock did (empty when the table passed).
        public var airlock: [AirlockFinding]
    }

    /// The statistics withheld with a masked table.
    static let statistics = ["odds_ratio", "odds_ratio_ci", "p_fisher", "chi_square", "p_chi_square"]
    static let names = TableAirlock.Names(rows: ("cases", "controls"), columns: ("alternate", "reference"))

    /// The results for `variants` between `cases` and `controls` (disjoint sample sets, one
    /// sample per person), and what they release for the ledger.
    public static func run(variants: [VariantRecord], cases: SampleSet, controls: SampleSet,
                           airlock: TableAirlock) -> (results: [VariantResult], releases: [SubjectRelease]) {
        var results: [VariantResult] = []
        var releases: [SubjectRelease] = []
        for variant in variants {
            let inCases = variant.counts(in: cases), inControls = variant.counts(in: controls)
            guard let table = TwoByTwoTable(a: inCases.alleleCount, b: inCases.alleleNumber - inCases.alleleCount,
                                            c: inControls.alleleCount, d: inControls.alleleNumber - inControls.alleleCount) else { continue }
            let people = [inCases.carriers, (table.b + 1) / 2, inControls.carriers, (table.d + 1) / 2]
            let decision = airlock.check(table, names: names, statistics: statistics, people: people)
            var result = VariantResult(variant: variant.subject, airlock: decision.findings)
            if decision.released {
                result.table = [[table.a, table.b], [table.c, table.d]]
                let ratio = OddsRatio(table)
                result.oddsRatio = ratio.value.flatMap { $0.isFinite ? $0 : nil }
                result.oddsRatioLower = ratio.lower
                result.oddsRatioUpper = ratio.upper
                result.pFisher = FisherExactTest.pValue(table)
                if let chi = ChiSquareTest.test(table) {
                    result.chiSquare = chi.statistic
                    result.pChiSquare = chi.pValue
                }
                releases.append(SubjectRelease(subject: variant.subject, pools: [
                    PoolRelease(samples: cases, frequency: frequency(inCases)),
                    PoolRelease(samples: controls, frequency: frequency(inControls)),
                ]))
            }
            results.append(result)
        }
        return (results, releases)
    }

    static func frequency(_ counts: AlleleCounts) -> Double {
        counts.alleleNumber > 0 ? Double(counts.alleleCount) / Double(counts.alleleNumber) : 0
    }
}
