import DisclosureControl
import GatewayCore
import Testing

@Suite("Cell-key perturbation")
struct CellKeyPerturbationTests {
    static let secret = (0..<32).map { UInt8($0) }

    static func perturbation(noise: Int = 2, k: Int = 5, secret: [UInt8] = secret) -> CellKeyPerturbation {
        try! CellKeyPerturbation(secret: secret, maximumNoise: noise, minimumCellCount: k)
    }

    /// `count` 64-bit cell keys from a fixed seed.
    static func cellKeys(_ count: Int, seed: UInt64 = 1) -> [UInt64] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in generator.next() }
    }

    @Test("record keys are SipHash-2-4 of the index under the first half of the secret (process-independent)")
    func recordKeyIsPublishedSipHash() {
        // Key 00..0f and message 00..07 is the reference vector for 8 bytes.
        #expect(Self.perturbation().recordKey(ofSample: 0x0706_0504_0302_0100) == 0x93f5_f579_9a93_2462)
    }

    @Test("deterministic: two instances with one secret agree, and agree with values pinned from another run",
          arguments: [(Set([1, 2, 3, 40, 41]), "carriers", "chr1:12345:A:G", 1000, 1000),
                      (Set(0..<200), "alleleCount", "summary", 77, 76),
                      (Set([7]), "homozygous", "chrX:5:C:T", 12, 13)])
    func deterministic(contributors: Set<Int>, statistic: String, subject: String, count: Int, pinned: Int) {
        let first = Self.perturbation(), second = Self.perturbation()
        let key = first.cellKey(contributors: contributors)
        #expect(key == second.cellKey(contributors: contributors))
        let answer = first.perturb(count, cellKey: key, statistic: statistic, subject: subject)
        #expect(answer == second.perturb(count, cellKey: key, statistic: statistic, subject: subject))
        #expect(answer == pinned, "the noise must not depend on the process (no Swift Hasher)")
    }

    /// Pinned values, checked against an independent SipHash-2-4 in Python: noise =
    /// floor(SipHash(secret[16..<32], LE64(cellKey) LE64(len) "carriers" LE64(len) "summary") * 41 / 2^64) - 20.
    @Test("noise over D = 20 (41 values) matches the specified construction", arguments: [(UInt64(0), -12), (0x0123_4567_89ab_cdef, 5), (.max, -15)])
    func pinnedNoise(cellKey: UInt64, pinned: Int) {
        #expect(Self.perturbation(noise: 20).noise(cellKey: cellKey, statistic: "carriers", subject: "summary") == pinned)
    }

    @Test("zero stays zero", arguments: [1, 2, 20])
    func zeroStaysZero(noise: Int) {
        let perturbation = Self.perturbation(noise: noise)
        for key in Self.cellKeys(2000) {
            #expect(perturbation.perturb(0, cellKey: key, statistic: "carriers", subject: "s") == 0)
        }
    }

    @Test("counts in 1..<k are returned as they are (callers suppress them)", arguments: [2, 5, 11])
    func smallCountsUnchanged(k: Int) {
        let perturbation = Self.perturbation(noise: 20, k: k)
        for key in Self.cellKeys(200) {
            for count in 1..<k {
                #expect(perturbation.perturb(count, cellKey: key, statistic: "carriers", subject: "s") == count)
            }
        }
    }

    @Test("a count >= k is never released below k, and moves by at most D",
          arguments: [(2, 5), (5, 5), (20, 5), (20, 2), (3, 50)])
    func neverBelowK(noise: Int, k: Int) {
        let perturbation = Self.perturbation(noise: noise, k: k)
        var sawFloor = false
        for key in Self.cellKeys(3000) {
            for count in k...(k + noise + 2) {
                let released = perturbation.perturb(count, cellKey: key, statistic: "alleleCount", subject: "s")
                #expect(released >= k)
                #expect(abs(released - count) <= noise)
                if released == k && count > k { sawFloor = true }
            }
        }
        #expect(sawFloor, "the floor at k is reached (the noise does push counts down)")
    }

    @Test("noise is uniform on -D...D: mean ~ 0, every value, variance D(D+1)/3",
          arguments: [1, 2, 3, 5, 20])
    func distribution(noise: Int) {
        let perturbation = Self.perturbation(noise: noise)
        let draws = 100_000
        var histogram = [Int](repeating: 0, count: 2 * noise + 1)
        var sum = 0.0, sumOfSquares = 0.0
        for key in Self.cellKeys(draws, seed: UInt64(noise)) {
            let e = perturbation.perturb(1_000_000, cellKey: key, statistic: "carriers", subject: "chr2:1:G:A") - 1_000_000
            histogram[e + noise] += 1
            sum += Double(e)
            sumOfSquares += Double(e * e)
        }
        let mean = sum / Double(draws)
        let variance = sumOfSquares / Double(draws) - mean * mean
        // |mean| < 0.05 as the design asks; for D = 20 (sd 11.8) that is 1.3 standard errors,
        // so allow 4 standard errors there.
        let meanBound = max(0.05, 4 * (perturbation.noiseVariance / Double(draws)).squareRoot())
        #expect(abs(mean) < meanBound, "mean \(mean)")
        #expect(abs(variance - perturbation.noiseVariance) / perturbation.noiseVariance < 0.02, "variance \(variance)")
        #expect(histogram.allSatisfy { $0 > 0 }, "every value in -D...D appears: \(histogram)")
        // Chi-square against uniform: far below any plausible quantile only if uniform.
        let expected = Double(draws) / Double(histogram.count)
        let chiSquare = histogram.reduce(0.0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
        let degrees = Double(histogram.count - 1)
        #expect(chiSquare < degrees + 6 * (2 * degrees).squareRoot() + 10, "chi-square \(chiSquare) over \(degrees) df")
    }

    @Test("noise variance is D(D+1)/3", arguments: [(0, 0.0), (1, 2.0 / 3), (2, 2.0), (20, 140.0)])
    func noiseVariance(noise: Int, variance: Double) {
        #expect(abs(Self.perturbation(noise: noise).noiseVariance - variance) < 1e-12)
    }

    enum Change: String, CaseIterable { case statistic, subject, oneMoreContributor, oneContributorSwapped }

    @Test("a different statistic, subject or contributor set gives independent noise", arguments: Change.allCases)
    func independence(change: Change) {
        let perturbation = Self.perturbation(noise: 2)
        let table = perturbation.recordKeys(capacity: 10_000)
        var firsts: [Double] = [], seconds: [Double] = []
        for start in stride(from: 0, to: 9_000, by: 3) {
            let members = Array(start..<(start + 30))
            let key = table.cellKey(contributors: members)
            let subject = "chr1:\(start):A:G"
            let first = perturbation.noise(cellKey: key, statistic: "carriers", subject: subject)
            let second = switch change {
            case .statistic: perturbation.noise(cellKey: key, statistic: "alleleCount", subject: subject)
            case .subject: perturbation.noise(cellKey: key, statistic: "carriers", subject: "chr1:\(start):A:T")
            case .oneMoreContributor:
                perturbation.noise(cellKey: table.cellKey(contributors: members + [9_999]), statistic: "carriers", subject: subject)
            case .oneContributorSwapped:
                perturbation.noise(cellKey: table.cellKey(contributors: members.dropLast() + [9_999]), statistic: "carriers", subject: subject)
            }
            firsts.append(Double(first))
            seconds.append(Double(second))
        }
        // 3,000 pairs: the standard error of a correlation is about 0.018.
        let r = correlation(firsts, seconds)
        #expect(abs(r) < 0.075, "correlation \(r)")
        let agreeing = zip(firsts, seconds).filter { $0 == $1 }.count
        #expect(Double(agreeing) / Double(firsts.count) < 0.3, "agreement by chance is 1/5")
    }

    @Test("maximumNoise 0 leaves every count exact")
    func off() {
        let perturbation = Self.perturbation(noise: 0)
        #expect(!perturbation.isEnabled)
        #expect(perturbation.noiseVariance == 0)
        for (index, key) in Self.cellKeys(500).enumerated() {
            #expect(perturbation.perturb(index, cellKey: key, statistic: "carriers", subject: "s") == index)
            #expect(perturbation.noise(cellKey: key, statistic: "carriers", subject: "s") == 0)
        }
    }

    @Test("a different secret gives different record keys and noise")
    func secretChangesNoise() {
        let original = Self.perturbation()
        let other = Self.perturbation(secret: Self.secret.map { $0 ^ 0x5a })
        let keys = Self.cellKeys(2000)
        #expect(original.recordKey(ofSample: 3) != other.recordKey(ofSample: 3))
        let agreeing = keys.filter {
            original.noise(cellKey: $0, statistic: "carriers", subject: "s") == other.noise(cellKey: $0, statistic: "carriers", subject: "s")
        }.count
        #expect(Double(agreeing) / Double(keys.count) < 0.3, "agreement by chance is 1/5, got \(agreeing) of 2000")
        // Only the second half changed: record keys stay, noise changes.
        let halfChanged = Self.perturbation(secret: Array(Self.secret[0..<16]) + [UInt8](repeating: 9, count: 16))
        #expect(halfChanged.recordKey(ofSample: 3) == original.recordKey(ofSample: 3))
        #expect(keys.contains { halfChanged.noise(cellKey: $0, statistic: "c", subject: "s") != original.noise(cellKey: $0, statistic: "c", subject: "s") })
    }

    @Test("averaging attack: the same question asked 1000 times, in any order or path, gets one value")
    func averagingAttack() {
        let perturbation = Self.perturbation(noise: 2)
        let table = perturbation.recordKeys(capacity: 500)
        var generator = SeededGenerator(seed: 42)
        let members = Array(Set((0..<60).map { _ in Int.random(in: 0..<500, using: &generator) }))
        var answers = Set<Int>()
        for attempt in 0..<1000 {
            let order = members.shuffled(using: &generator)
            let key = attempt % 2 == 0 ? perturbation.cellKey(contributors: order) : table.cellKey(contributors: order)
            answers.insert(perturbation.perturb(members.count, cellKey: key, statistic: "carriers", subject: "chr3:9:T:C"))
        }
        #expect(answers.count == 1)
        #expect(abs(answers.first! - members.count) <= 2)
    }
}

/// Pearson's correlation coefficient.
func correlation(_ xs: [Double], _ ys: [Double]) -> Double {
    let n = Double(xs.count)
    let meanX = xs.reduce(0, +) / n, meanY = ys.reduce(0, +) / n
    var covariance = 0.0, varianceX = 0.0, varianceY = 0.0
    for (x, y) in zip(xs, ys) {
        covariance += (x - meanX) * (y - meanY)
        varianceX += (x - meanX) * (x - meanX)
        varianceY += (y - meanY) * (y - meanY)
    }
    return covariance / (varianceX * varianceY).squareRoot()
}

/// A wider noise for one count (a frequency's allele count may move by a share of its allele
/// number): bounded by the D given, spread over it, and deterministic.
@Test func widerNoiseIsBoundedAndDeterministic() throws {
    let perturbation = try CellKeyPerturbation(secret: [UInt8](repeating: 7, count: 32), maximumNoise: 2, minimumCellCount: 5)
    var seen = Set<Int>()
    for key in 0..<5000 {
        let value = perturbation.perturb(1000, cellKey: UInt64(key) &* 0x9E37_79B9_7F4A_7C15, statistic: "alleleCount", subject: "s", maximumNoise: 40)
        #expect(abs(value - 1000) <= 40)
        #expect(value == perturbation.perturb(1000, cellKey: UInt64(key) &* 0x9E37_79B9_7F4A_7C15, statistic: "alleleCount", subject: "s", maximumNoise: 40))
        seen.insert(value - 1000)
    }
    #expect(seen.count == 81, "every offset in -40...40 appears")
    #expect(perturbation.perturb(1000, cellKey: 1, statistic: "a", subject: "s", maximumNoise: 0) == 1000)
    let huge = perturbation.perturb(1000, cellKey: 1, statistic: "a", subject: "s", maximumNoise: Int.max)
    #expect(huge >= 5, "a huge D neither traps nor goes below k")
}
