import DisclosureControl
import GatewayCore
import Testing

@Suite("Cell-key perturbation: settings, limits, record key tables")
struct CellKeyPerturbationLimitsTests {
    static let secret = CellKeyPerturbationTests.secret

    @Test("out-of-range settings are refused, naming the setting",
          arguments: [(32, -1, 5, "privacy.noise_maximum"), (32, 21, 5, "privacy.noise_maximum"),
                      (32, Int.max, 5, "privacy.noise_maximum"), (32, Int.min, 5, "privacy.noise_maximum"),
                      (32, 2, 1, "disclosure.minimum_cell_count"), (32, 2, 1001, "disclosure.minimum_cell_count"),
                      (32, 2, Int.min, "disclosure.minimum_cell_count"),
                      (0, 2, 5, "32 random bytes"), (31, 2, 5, "32 random bytes"), (33, 2, 5, "32 random bytes")])
    func refused(secretLength: Int, noise: Int, k: Int, named: String) {
        let secret = [UInt8](repeating: 7, count: secretLength)
        do {
            _ = try CellKeyPerturbation(secret: secret, maximumNoise: noise, minimumCellCount: k)
            Issue.record("accepted secret of \(secretLength) bytes, D = \(noise), k = \(k)")
        } catch {
            #expect(error.code == .invalidConfiguration)
            #expect(error.message.contains(named), "\(error.message)")
        }
    }

    @Test("the edges of the accepted ranges are accepted", arguments: [(0, 2), (20, 2), (2, 1000), (0, 1000)])
    func accepted(noise: Int, k: Int) throws {
        let perturbation = try CellKeyPerturbation(secret: Self.secret, maximumNoise: noise, minimumCellCount: k)
        #expect(perturbation.maximumNoise == noise)
        #expect(perturbation.minimumCellCount == k)
    }

    @Test("huge counts and odd indexes never trap; results are clamped",
          arguments: [Int.max / 2, Int.max - 1, Int.max, Int.min, -1])
    func neverTraps(count: Int) {
        let perturbation = CellKeyPerturbationTests.perturbation(noise: 20)
        for key in CellKeyPerturbationTests.cellKeys(300) {
            let released = perturbation.perturb(count, cellKey: key, statistic: "carriers", subject: "s")
            if count < 0 {
                #expect(released == count)
            } else {
                #expect(released >= 5)
                #expect(released >= count - 20)
                #expect(count > Int.max - 20 || released <= count + 20)
            }
        }
        let table = perturbation.recordKeys(capacity: -3)
        #expect(table.capacity == 0)
        let odd = [Int.min, -1, Int.max, 1 << 40]
        #expect(table.cellKey(contributors: odd) == perturbation.cellKey(contributors: odd))
    }

    @Test("the precomputed table gives the same cell keys as hashing each index", arguments: [0, 1, 63, 64, 65, 1000])
    func tableMatchesDirect(capacity: Int) {
        let perturbation = CellKeyPerturbationTests.perturbation()
        let table = perturbation.recordKeys(capacity: capacity)
        #expect(table.capacity == capacity)
        // Members inside and beyond the table.
        let members = [0, 5, 62, 63, 64, 100, 999, 1000, 1500].filter { $0 < capacity + 600 }
        #expect(table.cellKey(contributors: members) == perturbation.cellKey(contributors: members))
        for index in members { #expect(table.recordKey(ofSample: index) == perturbation.recordKey(ofSample: index)) }
        // The same members as bitset words (bit i % 64 of word i / 64).
        var words = [UInt64](repeating: 0, count: 24)
        for index in members { words[index / 64] |= 1 << UInt64(index % 64) }
        #expect(table.cellKey(bitsetWords: words) == perturbation.cellKey(contributors: members))
    }

    @Test("the cell key is the wrapping sum of record keys, so it is additive over disjoint groups")
    func additive() {
        let perturbation = CellKeyPerturbationTests.perturbation()
        let left = Array(0..<50), right = Array(50..<130)
        #expect(perturbation.cellKey(contributors: left + right)
            == perturbation.cellKey(contributors: left) &+ perturbation.cellKey(contributors: right))
        #expect(perturbation.cellKey(contributors: []) == 0)
        #expect(perturbation.cellKey(contributors: [9]) == perturbation.recordKey(ofSample: 9))
    }
}
