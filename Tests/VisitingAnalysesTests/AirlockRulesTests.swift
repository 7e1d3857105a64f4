import Testing
@testable import VisitingAnalyses

/// The sum and model rules of the airlock alone (SACRO/ACRO and DataSHIELD's definitions).
@Suite("Visiting analyses: sum and model airlock rules")
struct AirlockRulesTests {
    @Test("(2, 90 %) dominance and the 10 % p-ratio", arguments: [
        ([10, 10, 10, 10, 10], [String]()),
        ([100, 1, 1, 1, 1], ["dominance", "p-ratio"]),      // the two largest are 97 % of 104; the rest 3 < 10
        ([50, 45, 2, 2, 2], ["dominance"]),                 // 95 of 101; the rest 6 >= 5
        ([50, 40, 4, 3, 3], []),                            // exactly 90 % is allowed; the rest 10 >= 5
        ([0, 0, 0, 0, 0], []),                              // no one contributes
        ([10, 10, 10, 10], ["threshold"]),                  // fewer than k = 5 contributors
    ] as [([Double], [String])])
    func sums(values: [Double], rules: [String]) {
        let findings = SumAirlock(minimumContributors: 5).check(values, statistic: "mean")
        #expect(findings.map(\.rule.rawValue) == rules, "\(values): \(findings)")
        #expect(findings.allSatisfy { $0.cells == ["mean"] && $0.outcome == .withheld })
    }

    @Test("the p-ratio alone, with a looser dominance share")
    func pRatioAlone() {
        // Two largest 100 + 90 of 199: 95 %, allowed at k = 99 %; the rest 9 < 10 % of 100.
        let findings = SumAirlock(minimumContributors: 3, dominanceShare: 0.99).check([100, 90, 3, 3, 3], statistic: "sum")
        #expect(findings.map(\.rule) == [.pRatio])
    }

    @Test("a model needs 10 residual degrees of freedom and parameters at most 0.33 n", arguments: [
        (2, 12, true), (2, 11, false), (2, 7, false), (3, 13, true), (5, 15, false), (2, 0, false), (2, Int.max, true), (2, Int.min, false), (Int.min, 12, false),
    ])
    func model(parameters: Int, observations: Int, released: Bool) {
        let findings = ModelAirlock().check(parameters: parameters, observations: observations, statistics: ["odds_ratio"])
        #expect(findings.isEmpty == released, "\(parameters) over \(observations)")
        #expect(findings.allSatisfy { $0.rule == .degreesOfFreedom && $0.outcome == .withheld })
    }
}
