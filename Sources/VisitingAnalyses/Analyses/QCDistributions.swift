import DisclosureControl
import GatewayCore
import PrivacyLedger
import VariantStore

/// Sequencing-quality distributions per tissue: for the tumour and the normal samples of the
/// approval's cohort (one per person), optionally of some cancer types, a histogram of each QC
/// metric over fixed bins (``Metric/edges``) and its mean.
///
/// Bins are counts of people: one of 1 to k-1 reads "<k", and since the histogram's total is
/// shown, complementary suppression (``DisclosureControl/protect(_:)``) hides further bins
/// until the hidden ones neither follow one from another nor add up to fewer than k. The mean
/// is a sum over people: it leaves only through ``SumAirlock`` ((2, 90 %) dominance, 10 %
/// p-ratio) and with its total shown. A tissue group below the minimum cohort size is withheld.
public struct QCDistributions: VisitingAnalysis {
    public let groupTerms: [String]?

    static let analysis = "qc-distributions"

    /// A QC metric, with the bins its histogram uses.
    public enum Metric: String, Sendable, CaseIterable, Codable {
        case mappingRate = "mapping_rate"
        case duplicateRate = "duplicate_rate"
        case meanInsertSize = "mean_insert_size"
        case meanDepth = "mean_depth"

        /// Bin edges: bin 0 is below the first edge, bin i is [edge i-1, edge i), the last bin at or above the last edge.
        public var edges: [Double] {
            switch self {
            case .mappingRate: [90, 95, 98, 99, 99.5, 99.9]
            case .duplicateRate: [5, 10, 15, 20, 30]
            case .meanInsertSize: [250, 300, 350, 400, 450, 500, 600]
            case .meanDepth: [20, 30, 40, 60, 80, 100]
            }
        }

        public var unit: String {
            switch self {
            case .mappingRate, .duplicateRate: "%"
            case .meanInsertSize: "bp"
            case .meanDepth: "x"
            }
        }

        public func value(_ metrics: QCMetrics) -> Double {
            switch self {
            case .mappingRate: metrics.mappingRate
            case .duplicateRate: metrics.duplicateRate
            case .meanInsertSize: metrics.meanInsertSize
            case .meanDepth: metrics.meanDepth
            }
        }

        /// The bins' labels: `<90`, `90-95`, ..., `>=99.9`.
        public var labels: [String] {
            func text(_ edge: Double) -> String { edge == edge.rounded() ? String(Int(edge)) : String(edge) }
            var labels = ["<" + text(edges[0])]
            for index in 1..<edges.count { labels.append("\(text(edges[index - 1]))-\(text(edges[index]))") }
            labels.append(">=" + text(edges[edges.count - 1]))
            return labels
        }

        /// The bin `value` falls in.
        public func bin(_ value: Double) -> Int { edges.filter { $0 <= value }.count }
    }

    public init(parameters: JSONValue) throws(GatewayError) {
        guard case .object(let object) = parameters else { throw Self.bad("parameters", "must be an object") }
        if let unknown = object.keys.sorted().first(where: { $0 != "cancerTypes" }) {
            throw Self.bad(String(unknown.prefix(40)), "is not a parameter of qc-distributions (cancerTypes)")
        }
        groupTerms = try object["cancerTypes"].map { value throws(GatewayError) in
            try CancerTypeGroup.terms(value, parameter: "cancerTypes", analysis: Self.analysis)
        }
    }

    public static let entry = AnalysisCatalogue.Entry(
        name: "qc-distributions",
        summary: "Sequencing-quality distributions per tissue: a histogram and the mean of each QC metric.",
        parameters: [
            "cancerTypes": "optional, 1 to \(CancerTypeGroup.maximumTerms) cancer types (NCIT terms); default: the whole cohort. One sample per person and tissue",
        ],
        output: "per tissue (tumour, normal) and metric, people per bin (" + Metric.allCases.map { "\($0.rawValue) \($0.unit): \($0.labels.joined(separator: ", "))" }.joined(separator: "; ") + "; a bin holds values from its lower edge up to, not including, its upper edge), their total, and the mean rounded to 0.1",
        airlock: [
            "a bin of 1 to k-1 people reads \"<k\"; as the total is shown, further bins are hidden until the hidden ones hold at least k people and are at least two",
            "the mean leaves only when the total is shown and neither (2, 90 %) dominance nor the 10 % p-ratio rule fires (SACRO/ACRO)",
            "a tissue group below the minimum cohort size is withheld whole",
            "each tissue group is charged to the disclosure ledger as the cohort's composition",
        ],
        available: true
    )

    public var canonicalParameters: JSONValue {
        groupTerms.map { .object(["cancerTypes": .array($0.map(JSONValue.string))]) } ?? .object([:])
    }

    public var cancerTypes: [String] { groupTerms ?? [] }
    public var regions: [GenomicRegion] { [] }

    /// Each tissue's group (one sample per person); nil for one below the minimum cohort size.
    func groups(in cohort: AnalysisCohort, control: DisclosureControl) throws(GatewayError) -> [(tissue: Tissue, samples: SampleSet?)] {
        let groups = [Tissue.tumour, .normal].map { tissue in
            let group = cohort.group(cancerTypes: groupTerms, tissue: tissue)
            return (tissue, control.admitsCohort(size: group.count) ? Optional(group) : nil)
        }
        guard groups.contains(where: { $0.1 != nil }) else {
            let largest = groups.map { cohort.group(cancerTypes: groupTerms, tissue: $0.0) }.max { $0.count < $1.count } ?? SampleSet(capacity: cohort.capacity)
            try cohort.requireGroup(largest, parameter: "cancerTypes", analysis: Self.analysis, control: control)
            return groups
        }
        return groups
    }

    public func contributors(in cohort: AnalysisCohort, control: DisclosureControl) throws(GatewayError) -> SampleSet {
        var all = SampleSet(capacity: cohort.capacity)
        for group in try groups(in: cohort, control: control) { if let samples = group.samples { all.formUnion(samples) } }
        return all
    }

    struct Bin: Encodable {
        var bin: String
        var people: DisclosedCount
    }

    struct Distribution: Encodable {
        var tissue: String
        var metric: String
        var unit: String
        var bins: [Bin]?
        var total: DisclosedCount?
        var mean: Double?
        var airlock: [AirlockFinding]
    }

    struct Output: Encodable {
        var analysis = QCDistributions.analysis
        var distributions: [Distribution]
    }

    public func run(_ input: AnalysisInput) throws(GatewayError) -> AnalysisOutcome {
        let groups = try groups(in: input.cohort, control: input.control)
        let distributions = try Self.run(groups: groups, qualityControl: input.cohort.qualityControl, control: input.control, progress: input.progress)
        let composition = SubjectRelease.composition(of: groups.compactMap(\.samples))
        return try AnalysisOutcome(output: Output(distributions: distributions), findings: distributions.map(\.airlock),
                                   releases: composition)
    }

    /// The distributions of every metric in each group (`samples` nil: withheld).
    static func run(groups: [(tissue: Tissue, samples: SampleSet?)], qualityControl: [QCMetrics?], control: DisclosureControl,
                    progress: JobProgress = JobProgress()) throws(GatewayError) -> [Distribution] {
        let k = control.policy.minimumCellCount
        let sums = SumAirlock(minimumContributors: k)
        var distributions: [Distribution] = []
        progress.begin(total: groups.count * Metric.allCases.count)
        for (tissue, samples) in groups {
            for metric in Metric.allCases {
                try progress.checkCancelled()
                defer { progress.advance() }
                guard let samples else {
                    distributions.append(Distribution(tissue: tissue.rawValue, metric: metric.rawValue, unit: metric.unit, airlock: [
                        AirlockFinding(rule: .threshold, cells: [tissue.rawValue], outcome: .withheld,
                                       reason: "a group below the minimum cohort size of \(control.policy.minimumCohortSize)"),
                    ]))
                    continue
                }
                var values: [Double] = []
                for sample in samples where sample < qualityControl.count {
                    if let metrics = qualityControl[sample], metric.value(metrics).isFinite { values.append(metric.value(metrics)) }
                }
                var counts = [Int](repeating: 0, count: metric.edges.count + 1)
                for value in values { counts[metric.bin(value)] += 1 }
                let protected = control.protect(StratifiedTable(measures: ["people"], values: counts.map { [$0] }))
                let labels = metric.labels
                var findings: [AirlockFinding] = []
                // Every hidden bin in one finding: naming which were small and which only hidden
                // beside them would tell (two hidden bins adding up to k + 1 are 1 and k).
                let hidden = protected.suppressedStrata.sorted()
                if !hidden.isEmpty {
                    findings.append(AirlockFinding(rule: .threshold, cells: hidden.map { labels[$0] }, outcome: .masked,
                                                   reason: "fewer than \(k) people, or hidden so that none follows from the total; which is which is not said"))
                }
                var mean: Double?
                if protected.totals[0].isSuppressed {
                    findings.append(AirlockFinding(rule: .threshold, cells: ["total", "mean"], outcome: .masked, reason: "fewer than \(k) people"))
                } else {
                    let sumFindings = sums.check(values, statistic: "mean")
                    findings += sumFindings
                    if sumFindings.isEmpty, !values.isEmpty {
                        mean = (values.reduce(0, +) / Double(values.count) * 10).rounded() / 10
                    }
                }
                distributions.append(Distribution(
                    tissue: tissue.rawValue, metric: metric.rawValue, unit: metric.unit,
                    bins: zip(labels, protected.cells).map { Bin(bin: $0, people: $1[0]) }, total: protected.totals[0], mean: mean, airlock: findings))
            }
        }
        return distributions
    }

    private static func bad(_ parameter: String, _ problem: String) -> GatewayError {
        GatewayError(.badRequest, "qc-distributions parameter \(parameter) \(problem)")
    }
}
