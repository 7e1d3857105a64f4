/// How many copies of an alternate allele a germline site has among the cohort's
/// chromosomes: a mix of the neutral spectrum (weight 1/k, Watterson) and a steeper
/// 1/k^2 spectrum for the excess of very rare variants a growing population has.
///
/// With 1,000 people: about 44 % of sites are singletons, about 80 % have an allele
/// count of at most 2 % of the chromosomes, and about 13 % are common (>= 5 %).
struct AlleleCountSpectrum: Sendable {
    /// Weight of the neutral 1/k part; the rest is 1/k^2.
    static let neutralShare = 0.35

    /// Chromosomes in the cohort (two per person).
    let chromosomes: Int
    /// Cumulative weights of counts 1...(chromosomes - 1).
    private let cumulativeWeights: [Double]

    init(chromosomes: Int) {
        precondition(chromosomes >= 2)
        self.chromosomes = chromosomes
        let counts = 1..<max(2, chromosomes)
        let harmonic = counts.reduce(0.0) { $0 + 1.0 / Double($1) }
        let squares = counts.reduce(0.0) { $0 + 1.0 / (Double($1) * Double($1)) }
        cumulativeWeights = counts.map { count in
            let value = Double(count)
            return Self.neutralShare / value / harmonic + (1 - Self.neutralShare) / (value * value) / squares
        }.cumulativeSums()
    }

    /// An allele count from 1 to `chromosomes - 1`.
    func draw(using generator: inout SeededGenerator) -> Int {
        1 + generator.pick(cumulativeWeights: cumulativeWeights)
    }
}
