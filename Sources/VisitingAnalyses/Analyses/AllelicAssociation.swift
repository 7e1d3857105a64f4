import DisclosureControl
import GatewayCore
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
///
/// Germline: each person counts once, by their normal sample. Cases are the people of the
/// `cases` cancer types; controls those of `controls`, or everyone else the approval allows.
public struct AllelicAssociation: CaseControlAnalysis {
    public let parameters: AssociationParameters

    public init(parameters: JSONValue) throws(GatewayError) {
        self.parameters = try AssociationParameters(json: parameters)
    }

    public static let entry = AnalysisCatalogue.Entry(
        name: "allelic-association",
        summary: "Case-control allelic association per variant of a region (PLINK --assoc / --fisher conventions).",
        parameters: [
            "region": "{referenceName, start, end}: 1-based, inclusive, at most \(AssociationParameters.maximumRegionLength) bases",
            "cases": "1 to \(AssociationParameters.maximumGroupTerms) cancer types (NCIT terms): the case group",
            "controls": "optional, 1 to \(AssociationParameters.maximumGroupTerms) cancer types not among the cases; default: everyone else in the approval's cohort",
        ],
        output: "per variant: the 2x2 allele table (alternate, reference x cases, controls), Fisher's exact p (two-sided), Pearson's chi-square and its p (no continuity correction), the odds ratio with Woolf's 95 % interval",
        airlock: [
            "a variant carried by fewer than k people of the groups is not listed; leaving it out, or listing one whose table is masked, is charged as a query's listing is",
            "a table passes whole or not at all: a cell of 1 to k-1 people, a zero (or 100 %) cell in a non-empty group, or a group below k masks all four cells",
            "a masked table's statistics are withheld with it (with the margins they give the cells back)",
            "the odds ratio and its interval leave only with at least 10 residual degrees of freedom and 2 parameters at most 0.33 x n people (DataSHIELD nfilter.glm)",
            "every released table is charged to the disclosure ledger as allele counts of the variant over the cases and the controls",
        ],
        available: true
    )

    public var canonicalParameters: JSONValue { parameters.json }
    public var caseTypes: [String] { parameters.cases }
    public var controlTypes: [String]? { parameters.controls }
    public var regions: [GenomicRegion] { [parameters.region] }

    /// The released document.
    struct Output: Encodable {
        var analysis = AllelicAssociation.name
        var region: GenomicRegion
        var cases: Int
        var controls: Int
        var variants: [VariantResult]
    }

    public func run(_ input: AnalysisInput) throws(GatewayError) -> AnalysisOutcome {
        let (cases, controls) = try groups(in: input.cohort, control: input.control)
        let variants = input.variants.first ?? []
        let run = try Self.run(variants: variants, cases: cases, controls: controls, airlock: input.airlock, progress: input.progress)
        // The group sizes are at least the minimum cohort size; charged as the cohort's composition.
        let composition = SubjectRelease.composition(of: [cases, controls])
        return try AnalysisOutcome(output: Output(region: parameters.region, cases: cases.count, controls: controls.count, variants: run.results),
                                   findings: run.results.map(\.airlock), releases: composition + run.releases)
    }

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
    /// sample per person), and what they release for the ledger. A variant carried by fewer
    /// than k of these people is not listed (``VariantListing``).
    public static func run(variants: [VariantRecord], cases: SampleSet, controls: SampleSet, airlock: TableAirlock,
                           model: ModelAirlock = ModelAirlock(), progress: JobProgress = JobProgress()) throws(GatewayError) -> (results: [VariantResult], releases: [SubjectRelease]) {
        var results: [VariantResult] = []
        var releases: [SubjectRelease] = []
        let everyone = cases.union(controls), k = airlock.threshold
        progress.begin(total: variants.count)
        for variant in variants {
            try progress.checkCancelled()
            defer { progress.advance() }
            let inCases = variant.counts(in: cases), inControls = variant.counts(in: controls)
            // One sample per person: carriers are people.
            guard inCases.carriers + inControls.carriers >= k else {
                releases.append(VariantListing.release(variant, over: everyone, k: k))
                continue
            }
            guard let table = TwoByTwoTable(a: inCases.alleleCount, b: inCases.alleleNumber - inCases.alleleCount,
                                            c: inControls.alleleCount, d: inControls.alleleNumber - inControls.alleleCount) else { continue }
            let people = [inCases.carriers, (table.b + 1) / 2, inControls.carriers, (table.d + 1) / 2]
            let decision = airlock.check(table, names: names, statistics: statistics, people: people)
            var result = VariantResult(variant: variant.subject, airlock: decision.findings)
            if decision.released {
                result.table = [[table.a, table.b], [table.c, table.d]]
                // The odds ratio is a logistic model of the group on the allele: 2 parameters over the people.
                result.airlock = model.check(parameters: ModelAirlock.oddsRatioParameters, observations: cases.count + controls.count,
                                             statistics: ["odds_ratio", "odds_ratio_ci"])
                if result.airlock.isEmpty {
                    let ratio = OddsRatio(table)
                    result.oddsRatio = ratio.value.flatMap { $0.isFinite ? $0 : nil }
                    result.oddsRatioLower = ratio.lower
                    result.oddsRatioUpper = ratio.upper
                }
                result.pFisher = FisherExactTest.pValue(table)
                if let chi = ChiSquareTest.test(table) {
                    result.chiSquare = chi.statistic
                    result.pChiSquare = chi.pValue
                }
                releases.append(SubjectRelease(subject: variant.subject, pools: [
                    PoolRelease(samples: cases, frequency: frequency(inCases)),
                    PoolRelease(samples: controls, frequency: frequency(inControls)),
                ]))
            } else {
                releases.append(VariantListing.release(variant, over: everyone, k: k))
            }
            results.append(result)
        }
        return (results, releases)
    }

    static func frequency(_ counts: AlleleCounts) -> Double {
        counts.alleleNumber > 0 ? Double(counts.alleleCount) / Double(counts.alleleNumber) : 0
    }
}
