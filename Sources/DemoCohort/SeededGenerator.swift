/// A small, fast pseudo-random generator (xoshiro256**) seeded through SplitMix64.
///
/// Every draw uses only integer operations and correctly rounded floating-point
/// arithmetic, so a given seed gives the same numbers on every machine and Swift
/// version (unlike `SystemRandomNumberGenerator` or the standard library's
/// `random(in:using:)`, whose algorithms are not fixed).
struct SeededGenerator {
    private var state0: UInt64
    private var state1: UInt64
    private var state2: UInt64
    private var state3: UInt64

    /// A generator for one independent `stream` of draws under `seed`: the sample
    /// sheet and each chromosome draw from their own stream, so changing the number
    /// of sites does not change the cohort, and vice versa.
    init(seed: UInt64, stream: UInt64) {
        var mixer = Self.mix(seed) ^ Self.mix(stream &+ 0x6A09_E667_F3BC_C908)
        func nextSplitMix() -> UInt64 {
            mixer &+= 0x9E37_79B9_7F4A_7C15
            return Self.mix(mixer)
        }
        state0 = nextSplitMix()
        state1 = nextSplitMix()
        state2 = nextSplitMix()
        state3 = nextSplitMix()
    }

    /// The SplitMix64 finaliser: a fast, well-distributed 64-bit hash.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The next 64 random bits.
    @inline(__always)
    mutating func next() -> UInt64 {
        let result = rotateLeft(state1 &* 5, by: 7) &* 9
        let shifted = state1 << 17
        state2 ^= state0
        state3 ^= state1
        state1 ^= state2
        state0 ^= state3
        state2 ^= shifted
        state3 = rotateLeft(state3, by: 45)
        return result
    }

    /// A uniform number in [0, 1) with 53 random bits.
    @inline(__always)
    mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A uniform integer in 0..<`bound` (`bound` > 0), by Lemire's multiply-shift.
    @inline(__always)
    mutating func nextInt(below bound: Int) -> Int {
        Int(truncatingIfNeeded: UInt64(bound).multipliedFullWidth(by: next()).high)
    }

    /// A uniform integer in `range`.
    mutating func nextInt(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + nextInt(below: range.upperBound - range.lowerBound + 1)
    }

    /// True with the given probability.
    @inline(__always)
    mutating func chance(_ probability: Double) -> Bool {
        nextUnit() < probability
    }

    /// The index of the bucket a uniform draw falls into, given cumulative weights
    /// (ascending, last one the total).
    mutating func pick(cumulativeWeights: [Double]) -> Int {
        let target = nextUnit() * cumulativeWeights[cumulativeWeights.count - 1]
        var low = 0
        var high = cumulativeWeights.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulativeWeights[middle] > target { high = middle } else { low = middle + 1 }
        }
        return low
    }

    @inline(__always)
    private func rotateLeft(_ value: UInt64, by amount: UInt64) -> UInt64 {
        (value << amount) | (value >> (64 - amount))
    }
}

extension Array where Element == Double {
    /// Running sums of the weights, for ``SeededGenerator/pick(cumulativeWeights:)``.
    func cumulativeSums() -> [Double] {
        var total = 0.0
        return map { weight in
            total += weight
            return total
        }
    }
}
