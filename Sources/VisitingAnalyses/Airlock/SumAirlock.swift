/// The airlock's rules for a statistic that is a sum of non-negative contributions (a total,
/// or a mean with its count shown), as SACRO/ACRO define them:
///
/// - **(n, k) dominance**: the `n` largest contributors must not make up more than `k` of the
///   sum (n = 2, k = 90 %): else the sum is close to what those few contributed.
/// - **p-ratio**: the sum less the two largest contributions must be at least `p` of the
///   largest (p = 10 %): else the second-largest contributor, subtracting their own value,
///   learns the largest within p %.
///
/// And, as for any count, fewer than the threshold contributors withholds it.
public struct SumAirlock: Sendable, Hashable {
    /// How many of the largest contributors the dominance rule adds up (2).
    public var dominanceContributors: Int
    /// The share of the sum those may not exceed (0.9).
    public var dominanceShare: Double
    /// The share of the largest contribution the rest must reach (0.1).
    public var pRatio: Double
    /// The fewest contributors a released sum has (the gateway's k).
    public var minimumContributors: Int

    public init(minimumContributors: Int, dominanceContributors: Int = 2, dominanceShare: Double = 0.9, pRatio: Double = 0.1) {
        self.minimumContributors = minimumContributors
        self.dominanceContributors = dominanceContributors
        self.dominanceShare = dominanceShare
        self.pRatio = pRatio
    }

    /// Nothing when the sum of `contributions` (each at least 0; NaN and infinite values are
    /// the caller's to leave out) may be released as `statistic`; else the findings withholding it.
    public func check(_ contributions: [Double], statistic: String) -> [AirlockFinding] {
        guard contributions.count >= minimumContributors else {
            return [AirlockFinding(rule: .threshold, cells: [statistic], outcome: .withheld, reason: "fewer than \(minimumContributors) contributors")]
        }
        let values = contributions.map { Swift.max(0, $0) }
        let sum = values.reduce(0, +)
        // All zero: no one dominates a sum no one contributes to.
        guard sum > 0 else { return [] }
        // The few largest, without sorting everything.
        var largest: [Double] = []
        let needed = Swift.max(2, dominanceContributors)
        for value in values {
            if largest.count < needed {
                largest.append(value)
                largest.sort(by: >)
            } else if value > largest[needed - 1] {
                largest[needed - 1] = value
                largest.sort(by: >)
            }
        }
        var findings: [AirlockFinding] = []
        let top = largest.prefix(dominanceContributors).reduce(0, +)
        if top > dominanceShare * sum {
            findings.append(AirlockFinding(rule: .dominance, cells: [statistic], outcome: .withheld,
                                           reason: "its \(dominanceContributors) largest contributors make up more than \(Int((dominanceShare * 100).rounded())) % of it"))
        }
        let rest = sum - largest[0] - (largest.count > 1 ? largest[1] : 0)
        if rest < pRatio * largest[0] {
            findings.append(AirlockFinding(rule: .pRatio, cells: [statistic], outcome: .withheld,
                                           reason: "the rest, less the two largest contributors, is under \(Int((pRatio * 100).rounded())) % of the largest"))
        }
        return findings
    }
}
