import GatewayCore

/// The chromosomes sites are placed on (GRCh38 names and lengths) and a synthetic,
/// self-consistent reference sequence: the base at a position is a hash of the seed,
/// chromosome and position, so overlapping records (an SNV inside a deletion) always
/// agree on the reference, without shipping a genome.
struct SyntheticGenome: Sendable {
    /// GRCh38 primary autosomes and chrX (no sex is modelled, so chrX is diploid and chrY is left out).
    static let contigs: [(name: String, length: Int)] = GRCh38Chromosomes.primary
        .filter { $0.name != "Y" && $0.name != "MT" }.map { ("chr" + $0.name, $0.length) }

    /// Bases kept free at each chromosome end, so a deletion's reference never runs off it.
    static let endMargin = 10_000

    let seed: UInt64

    /// Base codes: 0 = A, 1 = C, 2 = G, 3 = T.
    static let baseLetters: [UInt8] = Array("ACGT".utf8)

    /// The reference base code at 1-based `position` of contig `contig`, with the
    /// human genome's composition (about 41 % G+C).
    @inline(__always)
    func base(contig: Int, position: Int) -> UInt8 {
        let hash = SeededGenerator.mix(seed ^ 0x5245_4645_5245_4E43 ^ (UInt64(contig) << 40) ^ UInt64(position))
        let draw = hash >> 32  // 0..<2^32
        switch draw {
        case ..<1_267_015_352: return 0  // A 29.5 %
        case ..<2_147_483_648: return 1  // C 20.5 %
        case ..<3_027_951_944: return 2  // G 20.5 %
        default: return 3  // T 29.5 %
        }
    }

    /// The reference letters of `length` bases from `position`.
    func sequence(contig: Int, position: Int, length: Int) -> [UInt8] {
        (0..<length).map { Self.baseLetters[Int(base(contig: contig, position: position + $0))] }
    }

    /// Splits `sites` over the contigs in proportion to their length (largest remainders
    /// get the leftover sites, ties to the earlier contig).
    static func sitesPerContig(_ sites: Int) -> [Int] {
        let total = contigs.reduce(0) { $0 + $1.length }
        var counts = contigs.map { sites * $0.length / total }
        let remainders = contigs.indices.map { (index: $0, remainder: sites * contigs[$0].length % total) }
        let leftover = sites - counts.reduce(0, +)
        let ranked = remainders.sorted { $0.remainder != $1.remainder ? $0.remainder > $1.remainder : $0.index < $1.index }
        for entry in ranked.prefix(leftover) { counts[entry.index] += 1 }
        return counts
    }

    /// `count` distinct, ascending, uniformly placed positions on contig `contig`.
    static func positions(count: Int, contig: Int, using generator: inout SeededGenerator) -> [Int] {
        let usable = contigs[contig].length - 2 * endMargin
        var positions = (0..<count).map { _ in endMargin + 1 + generator.nextInt(below: usable) }
        positions.sort()
        for index in positions.indices.dropFirst() where positions[index] <= positions[index - 1] {
            positions[index] = positions[index - 1] + 1
        }
        return positions
    }
}
