import DisclosureControl
import PrivacyLedger
import Testing
import VariantStore
@testable import VisitingAnalyses

/// Co-occurrence on a 60-person cohort whose carriers are set so that some pairs co-occur,
/// one leans to exclusivity and three are perfectly exclusive (masked: a zero cell). The
/// expected p- and q-values were computed with scipy 1.17.1 (`fisher_exact` one-sided in the
/// odds ratio's direction, `false_discovery_control(method="bh")` over the released pairs).
@Suite("Visiting analyses: co-occurrence")
struct CoOccurrenceTests {
    static let capacity = 60
    static func variant(_ position: Int, carriers: [Int]) -> VariantRecord {
        let set = SampleSet(capacity: capacity, members: carriers)
        return VariantRecord(id: Int64(position), chromosome: "chr2", position: position, end: position, reference: "C", alternate: "T",
                             occurrence: 1, variantType: .snv, filters: ["PASS"],
                             genotypes: AlleleGenotypes(copies: [set], homozygous: SampleSet(capacity: capacity), deficit: [], surplus: []))
    }

    @Test("pairs: counts, log2 odds ratio, one-sided p, q over released pairs; zero cells masked; releases")
    func pairs() throws {
        let variants = [Self.variant(1, carriers: Array(0..<20)), Self.variant(2, carriers: Array(10..<30)),
                        Self.variant(3, carriers: Array(25..<45)), Self.variant(4, carriers: Array(0..<10) + Array(50..<55))]
        let run = CoOccurrence.run(variants: variants, cohort: SampleSet.all(capacity: Self.capacity),
                                   airlock: TableAirlock(control: DisclosureControl(policy: DisclosurePolicy(minimumCellCount: 5))))
        #expect(run.results.count == 6)
        let expected: [String: (counts: [Int], log2: Double, tendency: String, p: Double, q: Double)] = [
            "1|2": ([10, 10, 10, 30], 1.584962500721156, "co-occurrence", 0.051010844033469685, 0.07651626605020453),
            "1|4": ([10, 10, 5, 35], 2.807354922057604, "co-occurrence", 0.0025985482155960558, 0.007795644646788167),
            "2|3": ([5, 15, 15, 25], -0.84799690655495, "mutual-exclusivity", 0.25135303493582956, 0.25135303493582956),
        ]
        for result in run.results {
            let key = "\(result.first.split(separator: ":")[1])|\(result.second.split(separator: ":")[1])"
            if let want = expected[key] {
                #expect(result.counts == want.counts && result.tendency == want.tendency && result.airlock.isEmpty, "\(key)")
                #expect(abs((result.log2OddsRatio ?? .nan) - want.log2) < 1e-12, "\(key)")
                #expect(abs((result.pValue ?? .nan) - want.p) <= 1e-9 * want.p, "\(key): \(result.pValue as Any)")
                #expect(abs((result.qValue ?? .nan) - want.q) <= 1e-9 * want.q, "\(key): \(result.qValue as Any)")
            } else {
                // 1|3, 2|4, 3|4: no one carries both, a statement about everyone carrying either.
                #expect(result.counts == nil && result.pValue == nil && result.qValue == nil, "\(key)")
                #expect(result.airlock.first?.rule == .disclosiveTable, "\(key)")
            }
        }
        // Three released pairs, three subjects each.
        #expect(run.releases.count == 9)
        #expect(run.releases.contains { $0.subject == "chr2:1:C:T&chr2:2:C:T" && $0.pools.first?.statistic == ReleasedStatistic.carrierPeople })
        #expect(!run.releases.contains { $0.subject == "chr2:1:C:T&chr2:3:C:T" }, "a masked pair releases nothing")
    }

    @Test("at most 20 variants are paired")
    func bound() {
        let variants = (1...25).map { Self.variant($0, carriers: Array(0..<30)) }
        let run = CoOccurrence.run(variants: variants, cohort: SampleSet.all(capacity: Self.capacity),
                                   airlock: TableAirlock(control: DisclosureControl(policy: DisclosurePolicy(minimumCellCount: 5))))
        #expect(run.results.count == 190)
    }
}
