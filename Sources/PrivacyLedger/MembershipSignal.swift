import Foundation

/// How much one released statistic tells a likelihood-ratio attacker about one person's
/// membership (Sankararaman et al., Nat Genet 2009): the squared shift, in standard
/// deviations, that one person's genotype makes to the test statistic.
///
/// Pure functions; every input is sanitised (non-finite or out-of-range values are replaced
/// by the worst case), so no client-influenced number can trap or produce NaN.
public enum MembershipSignal {
    /// The charge of a count or frequency released over a cell of `cellSamples` samples:
    /// `max(2f(1 - f), (1 - 2f)^2) / (2 m f (1 - f) + V)`, with `f` folded to `min(f, 1 - f)` and
    /// clamped to at least `1 / (2m)`, `m = cellSamples`, `V = noiseVariance`.
    ///
    /// The numerator is the larger of what the site tells about a person on average (over
    /// Hardy-Weinberg genotypes, `2f(1 - f)`: the untargeted attack's 1/n per site) and what it
    /// tells about a carrier of its rarer allele (`(1 - 2f)^2`: the attacker who asks for a
    /// person's rarest alleles first). A common site costs about `1 / m`, a rare one about
    /// `1 / (2 m f + V)`, up to about `1 / (1 + V)`. (A person homozygous for the rarer allele
    /// stands out more, `(2 - 2f)^2`; README "Privacy" says what that leaves open.)
    /// `cellSamples < 1` is treated as 1; a NaN frequency as the rarest; a negative or NaN
    /// variance as 0 (exact).
    public static func charge(frequency: Double, cellSamples: Int, noiseVariance: Double) -> Double {
        let samples = Double(max(1, cellSamples))
        let floor = 1 / (2 * samples)
        var folded = frequency.isNaN ? 0 : min(max(frequency, 0), 1)
        folded = min(folded, 1 - folded)
        let f = max(folded, floor)
        let variance = noiseVariance.isNaN || noiseVariance < 0 ? 0 : noiseVariance
        let average = 2 * f * (1 - f), carrier = (1 - 2 * f) * (1 - 2 * f)
        return max(average, carrier) / (2 * samples * f * (1 - f) + variance)
    }

    /// The most a presence indicator "at least `k` carriers" can tell about one person: the
    /// largest Fisher information of that indicator about a Poisson carrier count,
    /// `max over mu of pmf(k - 1; mu)^2 / (P(N >= k) (1 - P(N >= k)))` (about 0.16 for k = 5,
    /// 2 for k = 2, unbounded for k = 1). `k` is clamped to `1...1000`.
    public static func presenceCap(minimumCount k: Int) -> Double {
        let k = min(max(k, 1), 1000)
        guard k > 1 else { return .infinity }
        // Scan mu on a log grid, then refine around the best point by golden-section search.
        let low = log(1e-6), high = log(Double(4 * k + 40))
        let steps = 4000
        var bestLogMu = low, best = 0.0
        for step in 0...steps {
            let logMu = low + (high - low) * Double(step) / Double(steps)
            let value = indicatorInformation(k: k, mu: exp(logMu))
            if value > best { best = value; bestLogMu = logMu }
        }
        let width = (high - low) / Double(steps)
        var a = bestLogMu - width, b = bestLogMu + width
        let ratio = (sqrt(5.0) - 1) / 2
        for _ in 0..<60 {
            let c = b - ratio * (b - a), d = a + ratio * (b - a)
            if indicatorInformation(k: k, mu: exp(c)) > indicatorInformation(k: k, mu: exp(d)) { b = d } else { a = c }
        }
        return max(best, indicatorInformation(k: k, mu: exp((a + b) / 2)))
    }

    /// `pmf(k - 1; mu)^2 / (P(N >= k) P(N < k))` for a Poisson count `N` with mean `mu`,
    /// computed in log space (stable up to k = 1000).
    static func indicatorInformation(k: Int, mu: Double) -> Double {
        let logMu = log(mu)
        var logFactorial = 0.0
        var below = 0.0  // P(N < k)
        var logPMFAtKMinus1 = 0.0
        for j in 0..<k {
            if j > 0 { logFactorial += log(Double(j)) }
            let logPMF = -mu + Double(j) * logMu - logFactorial
            below += exp(logPMF)
            if j == k - 1 { logPMFAtKMinus1 = logPMF }
        }
        var atLeast: Double  // P(N >= k)
        if mu < Double(k) {
            // The upper tail directly (1 - below would lose all precision when it is tiny).
            var term = exp(logPMFAtKMinus1 + logMu - log(Double(k)))
            atLeast = 0
            var j = k
            while term > atLeast * 1e-17 && j < k + 10_000 {
                atLeast += term
                j += 1
                term *= mu / Double(j)
            }
            below = 1 - atLeast
        } else {
            below = min(max(below, 0), 1)
            atLeast = 1 - below
        }
        let denominator = atLeast * below
        guard denominator > 0, denominator.isFinite else { return 0 }
        let value = exp(2 * logPMFAtKMinus1) / denominator
        return value.isFinite ? value : 0
    }
}
