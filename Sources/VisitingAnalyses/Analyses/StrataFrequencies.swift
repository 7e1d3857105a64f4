import DisclosureControl
import GatewayCore
import PrivacyLedger
import VariantStore

/// Allele frequencies by stratum (cancer type x tissue) over a region: per variant, the
/// samples, allele count, allele number and frequency of each stratum and of the whole cohort,
/// the same numbers the allele-frequency query shows, without its noise. The table goes through
/// ``DisclosureControl/protect(_:)`` exactly as the query's does (every count of people or
/// their alleles, and what follows from them, is sensitive; complementary suppression keeps
/// hidden strata from following from the totals); frequencies only where the allele number is
/// large enough. A variant carried by fewer than k people of the cohort is not listed at all.
public struct StrataFrequencies: VisitingAnalysis {
    public let region: GenomicRegion
    public let groupTerms: [String]?

    static let analysis = "strata-frequencies"
    /// The longest region one job covers (1 Mb).
    public static let maximumRegionLength = 1_000_000

    public init(parameters: JSONValue) throws(GatewayError) {
        guard case .object(let object) = parameters else { throw Self.bad("parameters", "must be an object") }
        if let unknown = object.keys.sorted().first(where: { !["region", "cancerTypes"].contains($0) }) {
            throw Self.bad(String(unknown.prefix(40)), "is not a parameter of strata-frequencies (region, cancerTypes)")
        }
        region = try GenomicRegion(json: object["region"], parameter: "region", analysis: Self.analysis, maximumLength: Self.maximumRegionLength)
        groupTerms = try object["cancerTypes"].map { value throws(GatewayError) in
            try CancerTypeGroup.terms(value, parameter: "cancerTypes", analysis: Self.analysis)
        }
    }

    public static let entry = AnalysisCatalogue.Entry(
        name: "strata-frequencies",
        summary: "Allele frequencies by stratum (cancer type x tissue) for every variant of a region.",
        parameters: [
            "region": "{referenceName, start, end}: 1-based, inclusive, at most \(maximumRegionLength) bases",
            "cancerTypes": "optional, 1 to \(CancerTypeGroup.maximumTerms) cancer types (NCIT terms); default: the whole cohort",
        ],
        output: "per variant: per stratum (cancer type x tissue) and in total, the samples, allele count, allele number and allele frequency",
        airlock: [
            "a variant carried by fewer than k people of the cohort is not listed",
            "a stratum with a count of 1 to k-1 (samples, carriers, alleles, homozygous, heterozygous, non-carriers, uncalled alleles) reads \"<k\"; complementary suppression hides further strata until no hidden one follows from the totals; a total that cannot be protected reads \"<k\"",
            "a frequency is shown only where its allele count is shown and its allele number is at least the policy's minimum",
            "every listed variant is charged to the disclosure ledger as allele counts over the cohort and each shown stratum",
        ],
        available: true
    )

    public var canonicalParameters: JSONValue {
        var object: [String: JSONValue] = ["region": region.json]
        if let groupTerms { object["cancerTypes"] = .array(groupTerms.map(JSONValue.string)) }
        return .object(object)
    }

    public var cancerTypes: [String] { groupTerms ?? [] }
    public var regions: [GenomicRegion] { [region] }

    /// Every allowed sample (tumour and normal) of the named cancer types, or of any.
    public func contributors(in cohort: AnalysisCohort, control: DisclosureControl) throws(GatewayError) -> SampleSet {
        var samples = cohort.samples
        if let groupTerms {
            var typed = SampleSet(capacity: cohort.capacity)
            for type in groupTerms { if let set = cohort.byCancerType[type] { typed.formUnion(set) } }
            samples = samples.intersection(typed)
        }
        try cohort.requireGroup(samples, parameter: "cancerTypes", analysis: Self.analysis, control: control)
        return samples
    }

    /// A stratum of the cohort.
    struct Stratum {
        var cancerType: String
        var tissue: Tissue
        var samples: SampleSet
        var name: String { "\(cancerType)/\(tissue.rawValue)" }
    }

    /// The non-empty strata of `samples`, in a stable order (as the allele-frequency query).
    static func strata(of samples: SampleSet, in cohort: AnalysisCohort) -> [Stratum] {
        var result: [Stratum] = []
        for cancerType in cohort.byCancerType.keys.sorted() {
            for tissue in [Tissue.tumour, .normal] {
                let set = cohort.byCancerType[cancerType]!.intersection(cohort.byTissue[tissue] ?? SampleSet(capacity: cohort.capacity)).intersection(samples)
                if !set.isEmpty { result.append(Stratum(cancerType: cancerType, tissue: tissue, samples: set)) }
            }
        }
        return result
    }

    struct Counts: Encodable {
        var samples: DisclosedCount
        var alleleCount: DisclosedCount
        var alleleNumber: DisclosedCount
        var alleleFrequency: Double?
    }

    struct StratumCounts: Encodable {
        var cancerType: String
        var cancerTypeLabel: String
        var tissue: String
        var counts: Counts
    }

    struct VariantFrequencies: Encodable {
        var variant: String
        var variantType: String
        var total: Counts
        var strata: [StratumCounts]
        var airlock: [AirlockFinding]
    }

    struct Output: Encodable {
        var analysis = StrataFrequencies.analysis
        var region: GenomicRegion
        var variants: [VariantFrequencies]
        var disclosure: String
    }

    static let measures = ["samples", "carriers", "alleleCount", "homozygous", "alleleNumber", "heterozygous", "nonCarriers", "uncalledAlleles"]
    static let sensitive: Set<String> = ["samples", "carriers", "alleleCount", "homozygous", "heterozygous", "nonCarriers", "uncalledAlleles"]

    public func run(_ input: AnalysisInput) throws(GatewayError) -> AnalysisOutcome {
        let cohort = try contributors(in: input.cohort, control: input.control)
        let run = try Self.run(variants: input.variants.first ?? [], cohort: cohort, in: input.cohort, airlock: input.airlock, progress: input.progress)
        let k = input.control.policy.minimumCellCount
        return try AnalysisOutcome(output: Output(region: region, variants: run.shown, disclosure: "variants carried by fewer than \(k) people are not listed; counts of 1 to \(k - 1) read \"<\(k)\", with complementary suppression"),
                                   findings: run.findings, releases: run.releases)
    }

    /// The listed variants, their findings, and what the listing decisions and the listed
    /// variants' figures release.
    static func run(variants: [VariantRecord], cohort samples: SampleSet, in cohort: AnalysisCohort, airlock: TableAirlock,
                    progress: JobProgress = JobProgress()) throws(GatewayError) -> (shown: [VariantFrequencies], findings: [[AirlockFinding]], releases: [SubjectRelease]) {
        let control = airlock.control
        let strata = strata(of: samples, in: cohort)
        var shown: [VariantFrequencies] = []
        var findings: [[AirlockFinding]] = []
        var releases: [SubjectRelease] = []
        progress.begin(total: variants.count)
        for variant in variants {
            try progress.checkCancelled()
            defer { progress.advance() }
            // Not listed, and not counted among the outputs either: their number would tell how
            // many rare variants the region holds. The listing decision is charged.
            guard VariantListing.isListed(variant, in: samples, cohort: cohort, k: control.policy.minimumCellCount) else {
                releases.append(VariantListing.release(variant, over: samples, k: control.policy.minimumCellCount))
                continue
            }
            let rows = strata.map { stratum -> [Int] in
                let counts = variant.counts(in: stratum.samples), size = stratum.samples.count
                return [size, counts.carriers, counts.alleleCount, counts.homozygous, counts.alleleNumber,
                        counts.carriers - counts.homozygous, size - counts.carriers, 2 * size - counts.alleleNumber]
            }
            let protected = control.protect(StratifiedTable(measures: measures, values: rows, sensitiveMeasures: sensitive))
            func counts(_ cells: [DisclosedCount]) -> Counts {
                Counts(samples: cells[0], alleleCount: cells[2], alleleNumber: cells[4],
                       alleleFrequency: control.frequency(alleleCount: cells[2], alleleNumber: cells[4]))
            }
            var variantFindings: [AirlockFinding] = []
            // Every hidden stratum in one finding: naming which were small and which only hidden
            // beside them would tell (a hidden pair adding up to k + 1 is 1 and k).
            let hidden = protected.suppressedStrata.sorted()
            if !hidden.isEmpty {
                variantFindings.append(AirlockFinding(rule: .threshold, cells: hidden.map { strata[$0].name }, outcome: .masked,
                                                      reason: "a count of 1 to \(control.policy.minimumCellCount - 1), or hidden so that none follows from the totals; which is which is not said"))
            }
            let hiddenTotals = [0, 2, 4].filter { protected.totals[$0].isSuppressed }
            if !hiddenTotals.isEmpty {
                variantFindings.append(AirlockFinding(rule: .complementary, cells: hiddenTotals.map { "total/\(measures[$0])" }, outcome: .masked,
                                                      reason: "the shown strata would give a masked total back, or it is below the threshold"))
            }
            var pools: [PoolRelease] = []
            let total = counts(protected.totals)
            if let count = total.alleleCount.value, let number = total.alleleNumber.value {
                pools.append(PoolRelease(samples: samples, frequency: number > 0 ? Double(count) / Double(number) : 0))
            }
            var shownStrata: [StratumCounts] = []
            for (index, stratum) in strata.enumerated() {
                let cells = counts(protected.cells[index])
                shownStrata.append(StratumCounts(cancerType: stratum.cancerType, cancerTypeLabel: cohort.cancerTypeLabels[stratum.cancerType] ?? stratum.cancerType,
                                                 tissue: stratum.tissue.rawValue, counts: cells))
                if let count = cells.alleleCount.value, let number = cells.alleleNumber.value {
                    pools.append(PoolRelease(samples: stratum.samples, frequency: number > 0 ? Double(count) / Double(number) : 0))
                }
            }
            if !pools.isEmpty { releases.append(SubjectRelease(subject: variant.subject, pools: pools)) }
            else { releases.append(VariantListing.release(variant, over: samples, k: control.policy.minimumCellCount)) }
            shown.append(VariantFrequencies(variant: variant.subject, variantType: BurdenParameters.beaconName(variant.variantType),
                                            total: total, strata: shownStrata, airlock: variantFindings))
            findings.append(variantFindings)
        }
        return (shown, findings, releases)
    }

    private static func bad(_ parameter: String, _ problem: String) -> GatewayError {
        GatewayError(.badRequest, "strata-frequencies parameter \(parameter) \(problem)")
    }
}
