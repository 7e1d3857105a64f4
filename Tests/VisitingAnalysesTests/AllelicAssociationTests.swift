import DisclosureControl
import PrivacyLedger
import Testing
import VariantStore
@testable import VisitingAnalyses

/// Allelic association on a synthetic cohort whose tables are known: 40 cases (samples 0-39)
/// and 60 controls (samples 40-99), one sample per person.
@Suite("Visiting analyses: allelic association")
struct AllelicAssociationTests {
    static let capacity = 100
    static let cases = SampleSet(capacity: capacity, members: 0..<40)
    static let controls = SampleSet(capacity: capacity, members: 40..<100)

    /// A biallelic SNV whose heterozygous and homozygous carriers are given.
    static func variant(_ position: Int, heterozygous: [Int], homozygous: [Int]) -> VariantRecord {
        let atLeastOne = SampleSet(capacity: capacity, members: heterozygous + homozygous)
        let two = SampleSet(capacity: capacity, members: homozygous)
        return VariantRecord(id: Int64(position), chromosome: "chr1", position: position, end: position, reference: "A", alternate: "G",
                             occurrence: 1, variantType: .snv, filters: ["PASS"],
                             genotypes: AlleleGenotypes(copies: [atLeastOne, two], homozygous: two, deficit: [], surplus: []))
    }

    @Test("a released table: its counts, and statistics equal to the 2x2 functions'; it is charged over cases and controls")
    func released() throws {
        // Cases: 10 heterozygous, 5 homozygous -> 20 alternate of 80 alleles; controls: 8 heterozygous, 1 homozygous -> 10 of 120.
        let variant = Self.variant(100, heterozygous: Array(0..<10) + Array(40..<48), homozygous: Array(10..<15) + [48])
        let run = try AllelicAssociation.run(variants: [variant], cases: Self.cases, controls: Self.controls, airlock: TableAirlock(control: DisclosureControl(policy: DisclosurePolicy(minimumCellCount: 5))))
        let result = try #require(run.results.first)
        #expect(result.table == [[20, 60], [10, 110]] && result.airlock.isEmpty, "\(result)")
        let table = try #require(TwoByTwoTable(a: 20, b: 60, c: 10, d: 110))
        #expect(result.pFisher == FisherExactTest.pValue(table))
        #expect(result.pChiSquare == ChiSquareTest.test(table)?.pValue)
        #expect(result.oddsRatio == OddsRatio(table).value && result.oddsRatioLower == OddsRatio(table).lower)
        #expect(run.releases == [SubjectRelease(subject: "chr1:100:A:G", pools: [
            PoolRelease(samples: Self.cases, frequency: 0.25), PoolRelease(samples: Self.controls, frequency: 10.0 / 120),
        ])])
    }

    @Test("masked tables: fewer than k carriers (though more alleles), or none among the cases; only the listing is charged", arguments: [
        ([Int](), [0, 1, 2, 40, 41, 42, 43, 44, 45], "disclosive-table"),        // 3 homozygous cases: 6 alleles, 3 people (9 carriers: listed)
        ([40, 41, 42, 43, 44, 45], [Int](), "disclosive-table"),                  // no case carries it
    ])
    func masked(heterozygous: [Int], homozygous: [Int], rule: String) throws {
        let variant = Self.variant(200, heterozygous: heterozygous, homozygous: homozygous)
        let run = try AllelicAssociation.run(variants: [variant], cases: Self.cases, controls: Self.controls, airlock: TableAirlock(control: DisclosureControl(policy: DisclosurePolicy(minimumCellCount: 5))))
        let result = try #require(run.results.first)
        #expect(result.table == nil && result.pFisher == nil && result.oddsRatio == nil && result.chiSquare == nil, "\(result)")
        #expect(result.airlock.first?.rule.rawValue == rule, "\(result.airlock)")
        #expect(result.airlock.contains { $0.rule == .derivedStatistics })
        #expect(run.releases.map(\.subject) == ["\(variant.subject)|listed>=5"] && run.releases.allSatisfy { $0.pools.allSatisfy { $0.presenceOnly } },
                "a masked table releases only that the variant is listed: \(run.releases)")
    }

    @Test("a variant carried by fewer than k people of the groups is not listed at all; leaving it out is charged as a listing")
    func unlisted() throws {
        let variant = Self.variant(300, heterozygous: [0, 41, 42, 43], homozygous: [])
        let run = try AllelicAssociation.run(variants: [variant], cases: Self.cases, controls: Self.controls, airlock: TableAirlock(control: DisclosureControl(policy: DisclosurePolicy(minimumCellCount: 5))))
        #expect(run.results.isEmpty, "\(run.results)")
        #expect(run.releases.map(\.subject) == ["\(variant.subject)|listed>=5"])
        #expect(run.releases.first?.pools.first?.samples == Self.cases.union(Self.controls))
    }
}
