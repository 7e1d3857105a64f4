import DisclosureControl
import Testing
@testable import VisitingAnalyses

/// The airlock's 2x2 rule: a table passes whole or not at all, and a masked table takes its
/// statistics with it; the findings name each rule and cell, never a hidden value.
@Suite("Visiting analyses: the 2x2 airlock")
struct TableAirlockTests {
    static let names = TableAirlock.Names(rows: ("cases", "controls"), columns: ("alternate", "reference"))
    static let statistics = ["odds_ratio", "p_fisher", "p_chisq"]

    @Test("tables", arguments: [
        // (a, b, c, d), released, rules
        ((12, 30, 9, 41), true, []),
        // A masked table says only that it is masked: which cell was small or zero is not said.
        ((3, 30, 9, 41), false, ["disclosive-table", "derived-statistics"]),
        ((0, 30, 9, 41), false, ["disclosive-table", "derived-statistics"]),
        ((12, 0, 9, 41), false, ["disclosive-table", "derived-statistics"]),   // 100 % carriers among cases
        ((2, 2, 40, 40), false, ["disclosive-table", "derived-statistics"]),  // cells and the cases' total
        ((0, 0, 9, 41), true, []),   // an empty row says nothing about anyone
    ] as [((Int, Int, Int, Int), Bool, [String])])
    func decide(counts: (Int, Int, Int, Int), released: Bool, rules: [String]) throws {
        let table = try #require(TwoByTwoTable(a: counts.0, b: counts.1, c: counts.2, d: counts.3))
        let decision = TableAirlock(control: DisclosureControl(policy: DisclosurePolicy(minimumCellCount: 5))).check(table, names: Self.names, statistics: Self.statistics)
        #expect(decision.released == released, "\(table): \(decision.findings)")
        #expect(decision.findings.map(\.rule.rawValue) == rules, "\(table): \(decision.findings)")
        if !released {
            // Every cell is masked by some finding, and the statistics are withheld.
            let covered = Set(decision.findings.flatMap(\.cells))
            #expect(Self.names.cells.allSatisfy(covered.contains), "\(covered)")
            #expect(decision.findings.last?.cells == Self.statistics && decision.findings.last?.outcome == .withheld)
            // No finding's words carry a count: the only number in them is the threshold.
            #expect(decision.findings.allSatisfy { $0.reason.filter(\.isNumber).allSatisfy { $0 == "5" } }, "\(decision.findings)")
        }
    }

    @Test("zeros can be declared expected; small cells cannot")
    func zerosByPolicy() throws {
        let airlock = TableAirlock(control: DisclosureControl(policy: DisclosurePolicy(minimumCellCount: 5)), zerosAreDisclosive: false)
        #expect(airlock.check(try #require(TwoByTwoTable(a: 0, b: 30, c: 9, d: 41)), names: Self.names, statistics: []).released)
        #expect(!airlock.check(try #require(TwoByTwoTable(a: 1, b: 30, c: 9, d: 41)), names: Self.names, statistics: []).released)
    }
}
