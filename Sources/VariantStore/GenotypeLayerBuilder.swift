import CHTSlibShim

/// Turns one record's GT values into one ``AlleleGenotypes`` per alternate allele, reusing
/// its scratch memory from record to record.
///
/// Rules (they match `bcftools +fill-tags -t AC,AN`): an allele slot that is missing (`.`)
/// is not called; the vector-end marker ends a sample's ploidy; a record without GT leaves
/// every sample uncalled (deficit 2); an allele index beyond the record's alleles is an error.
struct GenotypeLayerBuilder {
    /// A sample's copies of one alternate allele.
    private struct Carrier {
        var sample: Int
        var copies: Int
    }

    private let vectorEnd = gg_bcf_int32_vector_end()
    private let missingValue = gg_bcf_int32_missing()
    private var carriers: [[Carrier]] = []
    private var homozygous: [[Int]] = []
    private var deficitBySample: [Carrier] = []
    private var surplusBySample: [Carrier] = []
    private var alleleCopies: [Int] = []
    private var touchedAlleles: [Int] = []

    /// What went wrong with one sample's GT.
    struct InvalidAllele: Error {
        var fileSampleIndex: Int
        var allele: Int
    }

    /// The summaries of alleles `1..<alleleCount` (or of the site alone, as one summary, when
    /// `alleleCount` is 1). `storeIndexes[i]` is the store index of the file's sample `i`;
    /// `capacity` is the store's sample count. `genotypes` is `nil` when the record has no GT.
    mutating func build(
        genotypes: (values: UnsafeBufferPointer<Int32>, valuesPerSample: Int)?,
        alleleCount: Int, storeIndexes: [Int], capacity: Int
    ) throws(InvalidAllele) -> [AlleleGenotypes] {
        let alternateCount = Swift.max(alleleCount - 1, 1)
        prepare(alleleCount: alleleCount, alternateCount: alternateCount)
        if let genotypes {
            try collect(genotypes, alleleCount: alleleCount, storeIndexes: storeIndexes)
        } else {
            for storeIndex in storeIndexes { deficitBySample.append(Carrier(sample: storeIndex, copies: 2)) }
        }
        let deficit = Self.layers(deficitBySample, capacity: capacity)
        let surplus = Self.layers(surplusBySample, capacity: capacity)
        return (0..<alternateCount).map { alternate in
            AlleleGenotypes(
                copies: Self.layers(carriers[alternate], capacity: capacity),
                homozygous: SampleSet(capacity: capacity, members: homozygous[alternate]),
                deficit: deficit,
                surplus: surplus
            )
        }
    }

    private mutating func prepare(alleleCount: Int, alternateCount: Int) {
        while carriers.count < alternateCount {
            carriers.append([])
            homozygous.append([])
        }
        for alternate in 0..<alternateCount {
            carriers[alternate].removeAll(keepingCapacity: true)
            homozygous[alternate].removeAll(keepingCapacity: true)
        }
        deficitBySample.removeAll(keepingCapacity: true)
        surplusBySample.removeAll(keepingCapacity: true)
        if alleleCopies.count < alleleCount { alleleCopies = [Int](repeating: 0, count: alleleCount) }
    }

    private mutating func collect(
        _ genotypes: (values: UnsafeBufferPointer<Int32>, valuesPerSample: Int), alleleCount: Int, storeIndexes: [Int]
    ) throws(InvalidAllele) {
        let values = genotypes.values, width = genotypes.valuesPerSample
        for fileSample in storeIndexes.indices {
            // Fast path: a diploid reference call (0/0 or 0|0; encoded allele 0 is 2 or 3) adds to
            // no layer. It is most of any cohort's genotypes.
            if width == 2, values[fileSample &* 2] >> 1 == 1, values[fileSample &* 2 &+ 1] >> 1 == 1 { continue }
            let storeIndex = storeIndexes[fileSample]
            var called = 0
            var hasMissing = false
            if !touchedAlleles.isEmpty { touchedAlleles.removeAll(keepingCapacity: true) }
            let start = fileSample * width
            for slot in start..<(start + width) {
                let value = values[slot]
                if value == vectorEnd { break }
                if value == missingValue || value >> 1 == 0 {
                    hasMissing = true
                    continue
                }
                let allele = Int(value >> 1) - 1
                guard allele >= 0, allele < alleleCount else {
                    for touched in touchedAlleles { alleleCopies[touched] = 0 }
                    throw InvalidAllele(fileSampleIndex: fileSample, allele: allele)
                }
                called += 1
                if alleleCopies[allele] == 0 { touchedAlleles.append(allele) }
                alleleCopies[allele] += 1
            }
            if called < 2 { deficitBySample.append(Carrier(sample: storeIndex, copies: 2 - called)) }
            if called > 2 { surplusBySample.append(Carrier(sample: storeIndex, copies: called - 2)) }
            for allele in touchedAlleles {
                let copies = alleleCopies[allele]
                alleleCopies[allele] = 0
                guard allele > 0 else { continue }
                carriers[allele - 1].append(Carrier(sample: storeIndex, copies: copies))
                if copies == called && !hasMissing { homozygous[allele - 1].append(storeIndex) }
            }
        }
    }

    /// Layer `k - 1` holds the samples with at least `k` (copies, deficit or surplus).
    private static func layers(_ members: [Carrier], capacity: Int) -> [SampleSet] {
        guard let deepest = members.lazy.map(\.copies).max() else { return [] }
        var result = [SampleSet](repeating: SampleSet(capacity: capacity), count: deepest)
        for member in members {
            for layer in 0..<member.copies { result[layer].insert(member.sample) }
        }
        return result
    }
}
