import DisclosureControl
import GatewayCore
import PrivacyLedger
import VariantStore

/// Gene or region burden (as in the 100,000 Genomes burden analyses): per unit (a named
/// region), the people carrying at least one qualifying variant among the cases and among the
/// controls; the 2x2 table of carriers and non-carriers; a one-sided Fisher p-value (greater:
/// enrichment in the cases) and the odds ratio with Woolf's 95 % interval.
///
/// A qualifying variant has one of the rule's types, an alternate-allele frequency over the
/// cases and controls together strictly below its maximum and (by default) FILTER PASS.
/// Every unit's table goes through ``TableAirlock`` on counts of people; the odds ratio also
/// through ``ModelAirlock``. A released unit is charged to the disclosure ledger as carrier
/// counts of its qualifying-variant union over the cases and over the controls, a subject of
/// its own (`burden:13:32315508-32400268:DEL,INDEL,INS,MNV,SNV;af<0.01;pass`: the region and
/// the rule, not the member's name for it, so renaming a unit is the same subject).
///
/// Germline: each person counts once, by their normal sample.
public struct Burden: CaseControlAnalysis {
    public let parameters: BurdenParameters

    public init(parameters: JSONValue) throws(GatewayError) {
        self.parameters = try BurdenParameters(json: parameters)
    }

    public static let entry = AnalysisCatalogue.Entry(
        name: "burden",
        summary: "Gene or region burden: carriers of at least one qualifying variant per unit, cases against controls (100,000 Genomes conventions).",
        parameters: [
            "units": "1 to \(BurdenParameters.maximumUnits) named regions {name, referenceName, start, end} (1-based, inclusive; names unique, 1 to 64 characters; no two overlapping; at most \(BurdenParameters.maximumTotalBases) bases in all)",
            "cases": "1 to \(CancerTypeGroup.maximumTerms) cancer types (NCIT terms): the case group",
            "controls": "optional, 1 to \(CancerTypeGroup.maximumTerms) cancer types not among the cases; default: everyone else in the approval's cohort",
            "variantTypes": "optional list of variant types (SNV, MNV, INS, DEL, INDEL, DUP, ...); default SNV, MNV, INS, DEL, INDEL",
            "maximumFrequency": "optional, above 0 and at most 0.5 (default 0.01): a qualifying variant's alternate-allele frequency over cases and controls is strictly below it",
            "passOnly": "optional, default true: only variants with FILTER PASS qualify",
        ],
        output: "per unit: the 2x2 table [[case carriers, case non-carriers], [control carriers, control non-carriers]] (people), Fisher's exact p (one-sided, greater: enrichment in the cases), the odds ratio with Woolf's 95 % interval",
        airlock: [
            "a unit's table passes whole or not at all: a cell of 1 to k-1 people, a zero (or 100 %) cell in a non-empty group, or a group below k masks all four cells and the statistics",
            "the odds ratio and its interval leave only with at least 10 residual degrees of freedom and 2 parameters at most 0.33 x n (DataSHIELD nfilter.glm)",
            "how many variants qualify is not shown (a count of rare variants tells of their few carriers)",
            "every released unit is charged to the disclosure ledger as carrier counts of its qualifying-variant union over the cases and the controls",
        ],
        available: true
    )

    public var canonicalParameters: JSONValue { parameters.json }
    public var caseTypes: [String] { parameters.cases }
    public var controlTypes: [String]? { parameters.controls }
    public var regions: [GenomicRegion] { parameters.units.map(\.region) }

    public var countedUnits: [CountedUnit] {
        parameters.units.enumerated().map {
            CountedUnit(parameter: "units[\($0.offset)]", name: $0.element.name, region: $0.element.region, rule: parameters.rule)
        }
    }

    /// The released document.
    struct Output: Encodable {
        var analysis = Burden.name
        var rule: String
        var cases: Int
        var controls: Int
        var units: [UnitResult]
    }

    /// One unit's result.
    public struct UnitResult: Sendable, Hashable, Codable {
        public var name: String
        public var region: GenomicRegion
        /// `[[case carriers, case non-carriers], [control carriers, control non-carriers]]`; nil when masked.
        public var table: [[Int]]?
        public var oddsRatio: Double?
        public var oddsRatioLower: Double?
        public var oddsRatioUpper: Double?
        /// One-sided (greater) Fisher p.
        public var pValue: Double?
        public var airlock: [AirlockFinding]
    }

    public func run(_ input: AnalysisInput) throws(GatewayError) -> AnalysisOutcome {
        let (cases, controls) = try groups(in: input.cohort, control: input.control)
        let run = try Self.run(units: parameters.units, variants: input.variants, rule: parameters, cases: cases, controls: controls,
                               airlock: input.airlock, progress: input.progress)
        let composition = SubjectRelease.composition(of: [cases, controls])
        return try AnalysisOutcome(output: Output(rule: parameters.rule, cases: cases.count, controls: controls.count, units: run.results),
                                   findings: run.results.map(\.airlock), releases: composition + run.releases)
    }

    static let statistics = ["odds_ratio", "odds_ratio_ci", "p_value"]
    static let names = TableAirlock.Names(rows: ("cases", "controls"), columns: ("carriers", "non-carriers"))

    /// Whether `variant` qualifies under `rule`, its frequency taken over `people` (cases and controls).
    static func qualifies(_ variant: VariantRecord, rule: BurdenParameters, people: SampleSet) -> Bool {
        guard rule.variantTypes.contains(variant.variantType), !rule.passOnly || variant.passesFilters else { return false }
        let counts = variant.counts(in: people)
        guard counts.alleleNumber > 0 else { return false }
        return Double(counts.alleleCount) / Double(counts.alleleNumber) < rule.maximumFrequency
    }

    /// The results for `units` (`variants[i]` holds unit i's stored variants) between `cases`
    /// and `controls` (disjoint, one sample per person), and what they release for the ledger.
    public static func run(units: [NamedRegion], variants: [[VariantRecord]], rule: BurdenParameters, cases: SampleSet, controls: SampleSet,
                           airlock: TableAirlock, model: ModelAirlock = ModelAirlock(),
                           progress: JobProgress = JobProgress()) throws(GatewayError) -> (results: [UnitResult], releases: [SubjectRelease]) {
        let people = cases.union(controls)
        var results: [UnitResult] = []
        var releases: [SubjectRelease] = []
        progress.begin(total: units.count)
        for (index, unit) in units.enumerated() {
            try progress.checkCancelled()
            defer { progress.advance() }
            var carriers = SampleSet(capacity: people.capacity)
            for (offset, variant) in (index < variants.count ? variants[index] : []).enumerated() {
                // A unit may hold many variants: a stop is noticed within one unit too.
                if offset % 1_024 == 1_023 { try progress.checkCancelled() }
                guard qualifies(variant, rule: rule, people: people), let first = variant.genotypes.copies.first else { continue }
                carriers.formUnion(first.intersection(people))
            }
            let caseCarriers = carriers.intersectionCount(cases), controlCarriers = carriers.intersectionCount(controls)
            guard let table = TwoByTwoTable(a: caseCarriers, b: cases.count - caseCarriers, c: controlCarriers, d: controls.count - controlCarriers) else { continue }
            let decision = airlock.check(table, names: names, statistics: statistics)
            var result = UnitResult(name: unit.name, region: unit.region, airlock: decision.findings)
            if decision.released {
                result.table = [[table.a, table.b], [table.c, table.d]]
                result.pValue = FisherExactTest.pValue(table, alternative: .greater)
                let modelFindings = model.check(parameters: ModelAirlock.oddsRatioParameters, observations: table.total,
                                                statistics: ["odds_ratio", "odds_ratio_ci"])
                if modelFindings.isEmpty {
                    let ratio = OddsRatio(table)
                    result.oddsRatio = ratio.value.flatMap { $0.isFinite ? $0 : nil }
                    result.oddsRatioLower = ratio.lower
                    result.oddsRatioUpper = ratio.upper
                }
                result.airlock = modelFindings
                let subject = "burden:\(unit.region.subjectName):\(rule.rule)"
                releases.append(SubjectRelease(subject: subject, pools: [(cases, caseCarriers), (controls, controlCarriers)].map { group, count in
                    PoolRelease(samples: group, frequency: group.isEmpty ? 0 : Double(count) / Double(2 * group.count),
                                statistic: ReleasedStatistic.carrierPeople)
                }))
            }
            results.append(result)
        }
        return (results, releases)
    }
}
