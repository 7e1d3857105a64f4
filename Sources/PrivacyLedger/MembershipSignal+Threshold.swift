import Foundation

extension MembershipSignal {
    /// What a threshold decision actually told about one person who would add `shift` to a count:
    /// the squared log-likelihood ratio of the outcome seen, "`count` is at least `threshold`"
    /// (`above`) or "below it", between that person being in the pool and not, with the others'
    /// count Poisson around `count` (at least 0.5).
    ///
    /// Listing a variant only when at least k people carry it is such a decision (shift 1, the
    /// person's own carrying), and so is showing a rare allele's count only as "below R". Far
    /// from the threshold the outcome is the same either way and tells almost nothing: a variant
    /// nobody in the cohort carries costs about 3e-6, one carried by one person 2e-4, by three
    /// 0.05 (k = 5). Close to it, the outcome is telling: up to about 0.14. An outcome that
    /// would be impossible with the person in the pool reads as certain and costs
    /// ``impossibleOutcomeCharge``. Never NaN; inputs are clamped.
    public static func threshold(count: Int, threshold: Int, shift: Int = 1, above: Bool) -> Double {
        let t = min(max(threshold, 0), 1_000_000), d = min(max(shift, 1), 1000)
        let mu = max(Double(min(max(count, 0), 10_000_000)), 0.5)
        let ratio: Double
        if above {
            // P(others >= t - d) / P(others >= t)
            let numerator = upperTail(from: t - d, mu: mu), denominator = upperTail(from: t, mu: mu)
            guard denominator > 0 else { return impossibleOutcomeCharge }
            ratio = numerator / denominator
        } else {
            // P(others <= t - 1 - d) / P(others <= t - 1)
            guard t - 1 - d >= 0 else { return impossibleOutcomeCharge }
            let numerator = 1 - upperTail(from: t - d, mu: mu), denominator = 1 - upperTail(from: t, mu: mu)
            guard numerator > 0, denominator > 0 else { return impossibleOutcomeCharge }
            ratio = numerator / denominator
        }
        let value = log(ratio)
        return value.isFinite ? min(value * value, impossibleOutcomeCharge) : impossibleOutcomeCharge
    }

    /// The charge of an outcome that says for certain whether the person is in the pool: more
    /// than any budget allows.
    public static let impossibleOutcomeCharge = 1000.0

    /// P(N >= n) for N Poisson with mean `mu` (1 for n <= 0), summed in log space.
    static func upperTail(from n: Int, mu: Double) -> Double {
        guard n > 0 else { return 1 }
        // Sum the lower tail P(N < n) when n is at most about the mean, else the upper tail directly.
        let logMu = log(mu)
        func logPMF(_ j: Int) -> Double { -mu + Double(j) * logMu - lgamma(Double(j) + 1) }
        if Double(n) <= mu + 1 {
            var below = 0.0
            for j in 0..<n { below += exp(logPMF(j)) }
            return min(max(1 - below, 0), 1)
        }
        var above = 0.0
        var j = n
        while j < n + 10_000 {
            let term = exp(logPMF(j))
            above += term
            if term < above * 1e-17 { break }
            j += 1
        }
        return min(max(above, 0), 1)
    }
}

extension MembershipSignal {
    /// What a listing decision ("at least `threshold` people carry it": listed, or not) tells
    /// about one person on average, summed over many such answers: the Fisher information of the
    /// indicator about a carrier's membership, `pmf(t - 1; mu)^2 / (P(N >= t) P(N < t))` with the
    /// carriers Poisson around `carriers` (at least 0.5). Far from the threshold (a variant
    /// carried by nobody or by many) it is about 0; next to it up to about 0.19 (t = 5). An
    /// attacker asking about a person's rarest alleles gains evidence answer by answer, so these
    /// are charged whatever the outcome.
    public static func presence(carriers: Int, threshold: Int) -> Double {
        let t = min(max(threshold, 1), 1_000_000)
        let mu = max(Double(min(max(carriers, 0), 10_000_000)), 0.5)
        return indicatorInformation(k: t, mu: mu)
    }
}
