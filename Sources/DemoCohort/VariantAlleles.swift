/// The REF and ALT alleles of one site, as VCF letters.
struct VariantAlleles {
    var reference: [UInt8]
    var alternates: [[UInt8]]
}

/// Designs the alleles of a site against the ``SyntheticGenome``: mostly SNVs (about
/// two thirds transitions, giving a whole-genome Ti/Tv near 2), some short insertions
/// and deletions (left-padded with the reference base, as VCF requires), lengths
/// skewed towards 1 bp.
struct VariantAlleleDesigner: Sendable {
    /// Share of sites that are SNVs, deletions and insertions.
    static let snvShare = 0.87
    static let deletionShare = 0.07
    /// Share of SNVs that are transitions (A<->G, C<->T).
    static let transitionShare = 0.67
    /// Cumulative weights of indel lengths 1...30.
    static let indelLengthWeights: [Double] = {
        let weights: [Double] = [0.45, 0.18, 0.09, 0.08]
            + Array(repeating: 0.025, count: 6)  // 5...10
            + Array(repeating: 0.0025, count: 20)  // 11...30
        return weights.cumulativeSums()
    }()

    let genome: SyntheticGenome

    func design(contig: Int, position: Int, alternates alternateCount: Int, using generator: inout SeededGenerator) -> VariantAlleles {
        let kind = generator.nextUnit()
        if kind < Self.snvShare {
            return snv(contig: contig, position: position, alternates: alternateCount, using: &generator)
        }
        if kind < Self.snvShare + Self.deletionShare {
            return deletion(contig: contig, position: position, alternates: alternateCount, using: &generator)
        }
        return insertion(contig: contig, position: position, alternates: alternateCount, using: &generator)
    }

    private func snv(contig: Int, position: Int, alternates alternateCount: Int, using generator: inout SeededGenerator) -> VariantAlleles {
        let reference = genome.base(contig: contig, position: position)
        // Base codes A=0 C=1 G=2 T=3: a transition flips bit 1, a transversion is b^1 or b^3.
        let first: UInt8 = generator.chance(Self.transitionShare) ? reference ^ 2 : (generator.chance(0.5) ? reference ^ 1 : reference ^ 3)
        var alternates = [[SyntheticGenome.baseLetters[Int(first)]]]
        if alternateCount > 1 {
            let remaining = (0..<UInt8(4)).filter { $0 != reference && $0 != first }
            let second = remaining[generator.nextInt(below: remaining.count)]
            alternates.append([SyntheticGenome.baseLetters[Int(second)]])
        }
        return VariantAlleles(reference: [SyntheticGenome.baseLetters[Int(reference)]], alternates: alternates)
    }

    private func deletion(contig: Int, position: Int, alternates alternateCount: Int, using generator: inout SeededGenerator) -> VariantAlleles {
        var lengths = [indelLength(using: &generator)]
        while lengths.count < alternateCount {
            let length = indelLength(using: &generator)
            if !lengths.contains(length) { lengths.append(length) }
        }
        let reference = genome.sequence(contig: contig, position: position, length: lengths.max()! + 1)
        let alternates = lengths.map { length in [reference[0]] + reference[(1 + length)...] }
        return VariantAlleles(reference: reference, alternates: alternates)
    }

    private func insertion(contig: Int, position: Int, alternates alternateCount: Int, using generator: inout SeededGenerator) -> VariantAlleles {
        let reference = genome.sequence(contig: contig, position: position, length: 1)
        var alternates: [[UInt8]] = []
        while alternates.count < alternateCount {
            let length = indelLength(using: &generator)
            let inserted = (0..<length).map { _ in SyntheticGenome.baseLetters[generator.nextInt(below: 4)] }
            let alternate = reference + inserted
            if !alternates.contains(alternate) { alternates.append(alternate) }
        }
        return VariantAlleles(reference: reference, alternates: alternates)
    }

    private func indelLength(using generator: inout SeededGenerator) -> Int {
        1 + generator.pick(cumulativeWeights: Self.indelLengthWeights)
    }
}
