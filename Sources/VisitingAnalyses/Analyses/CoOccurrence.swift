import GatewayCore
import PrivacyLedger
import VariantStore

/// Co-occurrence and mutual exclusivity of pairs of variants in a cohort, as cBioPortal shows
/// them: per pair, the four counts of people (both, only the first, only the second, neither),
/// the log2 odds ratio, a one-sided Fisher p-value in the direction the odds ratio points
/// (greater: co-occurrence; less: mutual exclusivity) and a Benjamini-Hochberg q-value over
/// the released pairs.
///
/// The cohort holds one sample per person. Each pair's table goes through the airlock; a zero
/// cell is class disclosure (no one with the first carries the second is a statement about
/// everyone who carries the first), so a perfectly exclusive pair is masked like a small cell.
/// A released pair is charged as carrier counts of each variant and of the two together.
public enum CoOccurrence {
    /// One pair's result.
    public struct PairResult: Sendable, Hashable, Codable {
        public var first: String
        public var second: String
        /// People with both, only the first, only the second, neither; nil when masked.
        public var counts: [Int]?
        public var log2OddsRatio: Double?
        /// `co-occurrence` or `mutual-exclusivity`, by the sign of the log2 odds ratio.
        public var tendency: String?
        public var pValue: Double?
        public var qValue: Double?
        public var airlock: [AirlockFinding]
    }

    /// The most variants one job pairs (190 pairs).
    public static let maximumVariants = 20

    static let statistics = ["log2_odds_ratio", "p_value", "q_value"]

    /// One thing paired: a variant or a named region, with the ledger's name for it and its carriers.
    public struct Unit: Sendable, Hashable {
        /// What the output calls it (`chr2:1:C:T`, or the member's name of a region).
        public var name: String
        /// What the disclosure ledger calls it (the variant's subject, or the region's).
        public var subject: String
        /// Its carriers (any samples: ``run(units:cohort:airlock:progress:)`` restricts them to the cohort).
        public var carriers: SampleSet

        public init(name: String, subject: String, carriers: SampleSet) {
            self.name = name
            self.subject = subject
            self.carriers = carriers
        }
    }

    /// The pairs of `variants` (in order) over `cohort`, and what they release.
    public static func run(variants: [VariantRecord], cohort: SampleSet, airlock: TableAirlock) -> (results: [PairResult], releases: [SubjectRelease]) {
        let units = variants.map { Unit(name: $0.subject, subject: $0.subject, carriers: $0.genotypes.copies.first ?? SampleSet(capacity: cohort.capacity)) }
        // A fresh progress is never stopped, so this cannot throw.
        return (try? run(units: units, cohort: cohort, airlock: airlock)) ?? ([], [])
    }

    /// The pairs of `units` (in order, at most ``maximumVariants``) over `cohort` (one sample per
    /// person), and what they release; stops when `progress` is stopped.
    public static func run(units: [Unit], cohort: SampleSet, airlock: TableAirlock,
                           progress: JobProgress = JobProgress()) throws(GatewayError) -> (results: [PairResult], releases: [SubjectRelease]) {
        let variants = Array(units.prefix(maximumVariants))
        let carriers = variants.map { $0.carriers.intersection(cohort) }
        let people = cohort.count
        progress.begin(total: variants.count * (variants.count - 1) / 2)
        var results: [PairResult] = []
        var releases: [SubjectRelease] = []
        var released: [(index: Int, p: Double)] = []
        for i in variants.indices {
            for j in variants.indices where j > i {
                try progress.checkCancelled()
                defer { progress.advance() }
                let both = carriers[i].intersectionCount(carriers[j])
                let onlyFirst = carriers[i].count - both, onlySecond = carriers[j].count - both
                let neither = people - both - onlyFirst - onlySecond
                guard let table = TwoByTwoTable(a: both, b: onlyFirst, c: onlySecond, d: neither) else { continue }
                let names = TableAirlock.Names(rows: ("with \(variants[i].name)", "without \(variants[i].name)"),
                                               columns: ("with \(variants[j].name)", "without \(variants[j].name)"))
                let decision = airlock.check(table, names: names, statistics: statistics)
                var result = PairResult(first: variants[i].name, second: variants[j].name, airlock: decision.findings)
                if decision.released {
                    let ratio = OddsRatio(table)
                    let log2 = ratio.log2Value
                    let exclusive = (log2 ?? 0) < 0
                    result.counts = [table.a, table.b, table.c, table.d]
                    result.log2OddsRatio = log2.flatMap { $0.isFinite ? $0 : nil }
                    result.tendency = exclusive ? "mutual-exclusivity" : "co-occurrence"
                    let p = FisherExactTest.pValue(table, alternative: exclusive ? .less : .greater)
                    result.pValue = p
                    released.append((results.count, p))
                    let fraction = { (count: Int) in people > 0 ? Double(count) / Double(2 * people) : 0 }
                    for (subject, count) in [(variants[i].subject, carriers[i].count), (variants[j].subject, carriers[j].count),
                                             ("\(variants[i].subject)&\(variants[j].subject)", both)] {
                        releases.append(SubjectRelease(subject: subject, pools: [PoolRelease(samples: cohort, frequency: fraction(count),
                                                                                             statistic: ReleasedStatistic.carrierPeople)]))
                    }
                }
                results.append(result)
            }
        }
        // q-values over the released pairs only: masked pairs' p-values are not shown.
        for (position, q) in BenjaminiHochberg.qValues(released.map(\.p)).enumerated() { results[released[position].index].qValue = q }
        return (results, releases)
    }
}
