import Foundation
import Testing
@testable import VisitingAnalyses

/// The statistics of the visiting analyses against an independent computation: the expected
/// values were computed with scipy 1.17.1 (`fisher_exact`, `chi2_contingency(correction=False)`,
/// `contingency.odds_ratio(kind="sample")`, `false_discovery_control(method="bh")`) and are copied here (scripts to recompute them:
/// Tests/VisitingAnalysesTests/scipy-reference.py).
@Suite("Visiting analyses: statistics against scipy")
struct StatisticsTests {
    struct Reference: Sendable, CustomStringConvertible {
        var table: (Int, Int, Int, Int)
        var twoSided: Double, less: Double, greater: Double
        var chiSquare: Double?, chiSquareP: Double?
        var description: String { "\(table)" }
    }

    static let references: [Reference] = [
        .init(table: (3, 1, 1, 3), twoSided: 0.48571428571428565, less: 0.9857142857142858, greater: 0.24285714285714283, chiSquare: 2.0, chiSquareP: 0.15729920705028105),
        .init(table: (10, 2, 3, 15), twoSided: 0.0005367241191434357, less: 0.9999845190186861, greater: 0.000465180943362905, chiSquare: 13.031674208144796, chiSquareP: 0.00030626663018354963),
        .init(table: (0, 5, 5, 0), twoSided: 0.007936507936507938, less: 0.003968253968253969, greater: 1.0, chiSquare: 10.0, chiSquareP: 0.001565402258002549),
        .init(table: (12, 5, 7, 20), twoSided: 0.005313763698481829, less: 0.9994592418704544, greater: 0.00444124567386249, chiSquare: 8.481137484233457, chiSquareP: 0.0035884765704548983),
        .init(table: (1, 9, 11, 3), twoSided: 0.0027594561852200836, less: 0.0013797280926100418, greater: 0.9999663480953022, chiSquare: 10.971428571428572, chiSquareP: 0.000925274037119762),
        .init(table: (25, 30, 15, 40), twoSided: 0.07382441900761719, less: 0.9856844087213227, greater: 0.036912209503808587, chiSquare: 3.928571428571429, chiSquareP: 0.047472255142918154),
        .init(table: (7, 0, 3, 12), twoSided: 0.000703630734590487, less: 1.0, greater: 0.0007036307345904869, chiSquare: 12.320000000000004, chiSquareP: 0.0004481307010414609),
        .init(table: (100, 200, 150, 250), twoSided: 0.26532192481235267, less: 0.14479914615802986, greater: 0.8885543328460491, chiSquare: 1.2962962962962963, chiSquareP: 0.25489085754716406),
        .init(table: (2, 40, 1, 60), twoSided: 0.5653968595031977, less: 0.935086598322882, greater: 0.36189221434993313, chiSquare: 0.8576632838927923, chiSquareP: 0.35439343216236463),
        .init(table: (0, 10, 0, 10), twoSided: 1, less: 1, greater: 1, chiSquare: nil, chiSquareP: nil),
    ]

    static func close(_ value: Double?, _ expected: Double?, relative: Double = 1e-9) -> Bool {
        switch (value, expected) {
        case (nil, nil): return true
        case let (value?, expected?): return abs(value - expected) <= relative * max(abs(expected), 1e-300) || abs(value - expected) < 1e-15
        default: return false
        }
    }

    @Test("Fisher's exact test, two-sided and one-sided", arguments: references)
    func fisher(reference: Reference) throws {
        let (a, b, c, d) = reference.table
        let table = try #require(TwoByTwoTable(a: a, b: b, c: c, d: d))
        #expect(Self.close(FisherExactTest.pValue(table), reference.twoSided), "two-sided \(FisherExactTest.pValue(table))")
        #expect(Self.close(FisherExactTest.pValue(table, alternative: .less), reference.less))
        #expect(Self.close(FisherExactTest.pValue(table, alternative: .greater), reference.greater))
    }

    @Test("Pearson's chi-square without continuity correction", arguments: references)
    func chiSquare(reference: Reference) throws {
        let (a, b, c, d) = reference.table
        let result = ChiSquareTest.test(try #require(TwoByTwoTable(a: a, b: b, c: c, d: d)))
        #expect(Self.close(result?.statistic, reference.chiSquare))
        #expect(Self.close(result?.pValue, reference.chiSquareP, relative: 1e-7))
    }

    @Test("odds ratio and Woolf's 95 % interval; undefined where a cell is 0", arguments: [
        ((10, 2, 3, 15), 25.0, 3.5215873523304366, 177.47678460578325),
        ((25, 30, 15, 40), 2.2222222222222223, 1.0023693646308935, 4.926598696236802),
    ] as [((Int, Int, Int, Int), Double, Double, Double)])
    func oddsRatio(table: (Int, Int, Int, Int), value: Double, lower: Double, upper: Double) throws {
        let ratio = OddsRatio(try #require(TwoByTwoTable(a: table.0, b: table.1, c: table.2, d: table.3)))
        #expect(Self.close(ratio.value, value, relative: 1e-7))
        #expect(Self.close(ratio.lower, lower, relative: 1e-6) && Self.close(ratio.upper, upper, relative: 1e-6), "\(ratio)")
    }

    @Test("zero cells: an infinite, zero or undefined odds ratio and no interval")
    func zeroCells() throws {
        let infinite = OddsRatio(try #require(TwoByTwoTable(a: 7, b: 0, c: 3, d: 12)))
        #expect(infinite.value == .infinity && infinite.lower == nil && infinite.log2Value == .infinity)
        let zero = OddsRatio(try #require(TwoByTwoTable(a: 0, b: 5, c: 5, d: 3)))
        #expect(zero.value == 0 && zero.log2Value == -.infinity)
        #expect(OddsRatio(try #require(TwoByTwoTable(a: 0, b: 10, c: 0, d: 10))).value == nil)
    }

    @Test("Benjamini-Hochberg q-values")
    func benjaminiHochberg() {
        let q = BenjaminiHochberg.qValues([0.01, 0.04, 0.03, 0.005, 0.5, 0.2, 0.04])
        let expected = [0.035, 0.055999999999999994, 0.055999999999999994, 0.035, 0.5, 0.23333333333333336, 0.055999999999999994]
        #expect(zip(q, expected).allSatisfy { Self.close($0, $1, relative: 1e-12) }, "\(q)")
        #expect(BenjaminiHochberg.qValues([]).isEmpty)
        #expect(BenjaminiHochberg.qValues([.nan, 0.2]) == [1, 0.4])
    }

    @Test("tables refuse negative or huge counts; huge legal tables stay finite", arguments: [
        (-1, 0, 0, 0), (0, TwoByTwoTable.maximumCount + 1, 0, 0),
    ])
    func bounds(a: Int, b: Int, c: Int, d: Int) {
        #expect(TwoByTwoTable(a: a, b: b, c: c, d: d) == nil)
    }

    @Test("the largest tables give finite p-values in bounded time")
    func largest() throws {
        let table = try #require(TwoByTwoTable(a: 5_000, b: 1_000_000, c: 4_000, d: 1_000_000))
        let p = FisherExactTest.pValue(table)
        #expect(p.isFinite && (0...1).contains(p))
        #expect(ChiSquareTest.test(table).map { $0.pValue.isFinite } == true)
    }
}
