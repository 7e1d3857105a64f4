import DisclosureControl
import Foundation
import Testing

@Suite("Disclosure control")
struct DisclosureControlTests {
    let control = DisclosureControl(policy: DisclosurePolicy(minimumCellCount: 5, minimumAlleleNumberForFrequency: 50, minimumCohortSize: 20))

    @Test("single counts", arguments: [(0, "0"), (1, "<5"), (4, "<5"), (5, "5"), (1234, "1234")])
    func singleCount(count: Int, shown: String) {
        #expect(control.count(count).description == shown)
    }

    @Test("a stratum of 3 carriers is never visible, directly or by subtraction from the total")
    func threeCarriersNeverVisible() {
        // strata: breast T, breast N, lung T, lung N; measures: samples, carriers
        let table = StratifiedTable(measures: ["samples", "carriers"], values: [[40, 12], [40, 9], [30, 3], [30, 20]])
        let protected = control.protect(table)
        #expect(protected.cells[2].allSatisfy { $0.isSuppressed })
        // Not recoverable: total minus the shown cells covers at least two strata and k carriers.
        let shownCarriers = protected.cells.compactMap { $0[1].value }.reduce(0, +)
        if let total = protected.totals[1].value {
            #expect(protected.suppressedStrata.count >= 2)
            #expect(total - shownCarriers >= 5)
        }
        #expect(protected.cells[2][1] == .suppressed(threshold: 5))
    }

    @Test("complementary suppression hides the smallest other stratum")
    func complementary() {
        let table = StratifiedTable(measures: ["carriers"], values: [[50], [45], [7], [2]])
        let protected = control.protect(table)
        #expect(protected.suppressedStrata == [2, 3])
        #expect(protected.totals[0] == .value(104))
        #expect(protected.cells[0][0] == .value(50))
    }

    @Test("a hidden group whose combined value is small hides more")
    func hiddenGroupTooSmall() {
        let table = StratifiedTable(measures: ["carriers"], values: [[50], [1], [1], [30]])
        let protected = control.protect(table)
        // 1 + 1 = 2 < 5: the 30 must go too.
        #expect(protected.suppressedStrata == [1, 2, 3])
        #expect(protected.totals[0] == .value(82))
    }

    @Test("with nothing left to hide, the total is hidden")
    func totalHidden() {
        let table = StratifiedTable(measures: ["carriers"], values: [[3]])
        let protected = control.protect(table)
        #expect(protected.cells[0][0].isSuppressed)
        #expect(protected.totals[0].isSuppressed)
    }

    @Test("a stratum hidden for one measure is hidden for every measure, and stays unrecoverable in each")
    func acrossMeasures() {
        // Stratum 1 has only 3 samples (but 0 carriers): hide it; its samples must not follow from the total.
        let table = StratifiedTable(measures: ["samples", "carriers", "alleleNumber"],
                                    values: [[100, 20, 200], [3, 0, 6], [60, 8, 120]],
                                    sensitiveMeasures: ["samples", "carriers"])
        let protected = control.protect(table)
        #expect(protected.suppressedStrata.contains(1))
        for measure in 0..<3 {
            guard let total = protected.totals[measure].value else { continue }
            let shown = protected.cells.compactMap { $0[measure].value }.reduce(0, +)
            let hiddenValues = protected.suppressedStrata.map { table.values[$0][measure] }
            #expect(protected.suppressedStrata.count >= 2)
            #expect(total - shown == hiddenValues.reduce(0, +))
            #expect(total - shown >= 5)
        }
    }

    @Test("a measure that is 0 everywhere (no homozygotes) does not force hiding the whole table")
    func allZeroMeasure() {
        let table = StratifiedTable(measures: ["samples", "carriers", "homozygous"],
                                    values: [[10, 10, 0], [10, 10, 0], [10, 3, 0], [10, 0, 0], [9, 9, 0], [9, 9, 0]])
        let protected = control.protect(table)
        #expect(protected.suppressedStrata.contains(2))
        #expect(protected.suppressedStrata.count == 2, "the 3-carrier stratum and one complement: \(protected.suppressedStrata)")
        #expect(protected.totals[2] == .value(0))
        #expect(protected.totals[1] == .value(41))
    }

    @Test("frequencies need a shown count and enough alleles")
    func frequency() {
        #expect(control.frequency(alleleCount: .value(10), alleleNumber: .value(100)) == 0.1)
        #expect(control.frequency(alleleCount: .value(10), alleleNumber: .value(40)) == nil)
        #expect(control.frequency(alleleCount: .suppressed(threshold: 5), alleleNumber: .value(100)) == nil)
    }

    @Test("cohort size minimum")
    func cohortSize() {
        #expect(!control.admitsCohort(size: 19))
        #expect(control.admitsCohort(size: 20))
    }

    @Test("suppressed counts encode as \"<k\"")
    func encoding() throws {
        let data = try JSONEncoder().encode([DisclosedCount.value(7), .suppressed(threshold: 5)])
        #expect(String(decoding: data, as: UTF8.self) == #"[7,"<5"]"#)
        #expect(try JSONDecoder().decode([DisclosedCount].self, from: data) == [.value(7), .suppressed(threshold: 5)])
    }

    @Test("randomised: no hidden stratum is ever recoverable", arguments: 0..<200)
    func randomised(seed: Int) {
        var generator = SeededGenerator(seed: UInt64(seed))
        let strata = Int.random(in: 1...8, using: &generator)
        let values = (0..<strata).map { _ in [Int.random(in: 0...40, using: &generator), Int.random(in: 0...12, using: &generator)] }
        let table = StratifiedTable(measures: ["samples", "carriers"], values: values)
        let protected = control.protect(table)
        for (stratum, row) in values.enumerated() where row.contains(where: { $0 > 0 && $0 < 5 }) {
            #expect(protected.suppressedStrata.contains(stratum))
        }
        for measure in 0..<2 {
            if let total = protected.totals[measure].value {
                #expect(total == 0 || total >= 5)
                if !protected.suppressedStrata.isEmpty {
                    let shown = protected.cells.compactMap { $0[measure].value }.reduce(0, +)
                    let hiddenSum = total - shown
                    // Either only zeros are hidden (nothing to recover), or no single stratum nor small group can be.
                    #expect(hiddenSum == 0 || (protected.suppressedStrata.count >= 2 && hiddenSum >= 5))
                }
            }
        }
    }
}

/// SplitMix64, for reproducible random tables.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
