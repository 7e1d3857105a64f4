/// The genotypes of one alternate allele at one site, as layered ``SampleSet``s, so that the
/// counts of any cohort are popcounts (``counts(in:)``).
///
/// Allele number rule: every stored sample counts as reference-called and diploid at every
/// site unless a layer says otherwise. Stores are built from per-case files, and a sample
/// absent from a file at a site another file reports is taken as reference-called there. So
/// `deficit` and `surplus` record how far a sample's called alleles fall below or exceed 2:
/// `./.` is deficit 2, `./1` and haploid `1` are deficit 1, triploid `0/0/1` is surplus 1.
public struct AlleleGenotypes: Sendable, Hashable {
    /// The most layers of one kind a stored summary may have (ploidy up to 257).
    static let maximumLayers = 255

    /// `copies[k - 1]`: samples with at least `k` copies of the allele.
    public var copies: [SampleSet]
    /// Samples whose called alleles are all this allele, with no missing allele (`1/1`, haploid `1`).
    public var homozygous: SampleSet
    /// `deficit[k - 1]`: samples with at least `k` fewer called alleles than 2.
    public var deficit: [SampleSet]
    /// `surplus[k - 1]`: samples with at least `k` more called alleles than 2.
    public var surplus: [SampleSet]

    public init(copies: [SampleSet], homozygous: SampleSet, deficit: [SampleSet], surplus: [SampleSet]) {
        self.copies = copies
        self.homozygous = homozygous
        self.deficit = deficit
        self.surplus = surplus
    }

    /// No sample carries the allele; every sample is reference-called diploid.
    public init(capacity: Int) {
        self.init(copies: [], homozygous: SampleSet(capacity: capacity), deficit: [], surplus: [])
    }

    /// Counts over `cohort`, which must hold only samples of the store (the allele number
    /// counts every cohort member as diploid unless a layer says otherwise).
    public func counts(in cohort: SampleSet) -> AlleleCounts {
        var alleleCount = 0
        for layer in copies { alleleCount += layer.intersectionCount(cohort) }
        var alleleNumber = 2 * cohort.count
        for layer in deficit { alleleNumber -= layer.intersectionCount(cohort) }
        for layer in surplus { alleleNumber += layer.intersectionCount(cohort) }
        return AlleleCounts(
            alleleCount: alleleCount,
            alleleNumber: alleleNumber,
            homozygous: homozygous.intersectionCount(cohort),
            carriers: copies.first?.intersectionCount(cohort) ?? 0
        )
    }

    /// The capacity shared by every layer.
    public var capacity: Int { homozygous.capacity }

    /// Adds the samples of `other` (samples of a later file; the two must be disjoint).
    /// Every layer of the result has the larger of the two capacities.
    public mutating func formUnion(_ other: AlleleGenotypes) {
        let newCapacity = Swift.max(capacity, other.capacity)
        Self.merge(&copies, other.copies)
        homozygous.formUnion(other.homozygous)
        Self.merge(&deficit, other.deficit)
        Self.merge(&surplus, other.surplus)
        for layerIndex in copies.indices { copies[layerIndex] = copies[layerIndex].resized(to: newCapacity) }
        homozygous = homozygous.resized(to: newCapacity)
        for layerIndex in deficit.indices { deficit[layerIndex] = deficit[layerIndex].resized(to: newCapacity) }
        for layerIndex in surplus.indices { surplus[layerIndex] = surplus[layerIndex].resized(to: newCapacity) }
    }

    private static func merge(_ layers: inout [SampleSet], _ others: [SampleSet]) {
        for (layerIndex, other) in others.enumerated() {
            if layerIndex < layers.count {
                layers[layerIndex].formUnion(other)
            } else {
                layers.append(other)
            }
        }
    }
}

/// Counts of one alternate allele over a cohort.
public struct AlleleCounts: Sendable, Hashable, Codable {
    /// AC: copies of the allele among the cohort's called alleles.
    public var alleleCount: Int
    /// AN: called alleles of the cohort at the site.
    public var alleleNumber: Int
    /// Cohort members homozygous for the allele.
    public var homozygous: Int
    /// Cohort members with at least one copy.
    public var carriers: Int

    public init(alleleCount: Int, alleleNumber: Int, homozygous: Int, carriers: Int) {
        self.alleleCount = alleleCount
        self.alleleNumber = alleleNumber
        self.homozygous = homozygous
        self.carriers = carriers
    }
}

extension AlleleGenotypes {
    /// Storage format version (first byte of the blob).
    static let formatVersion: UInt8 = 1

    /// The storage form: version, the three layer counts, then every set
    /// (copies, homozygous, deficit, surplus) in ``SampleSet`` storage form.
    public func serialized() -> [UInt8] {
        var bytes: [UInt8] = [Self.formatVersion]
        Varint.append(UInt64(copies.count), to: &bytes)
        Varint.append(UInt64(deficit.count), to: &bytes)
        Varint.append(UInt64(surplus.count), to: &bytes)
        for set in copies { set.append(to: &bytes) }
        homozygous.append(to: &bytes)
        for set in deficit { set.append(to: &bytes) }
        for set in surplus { set.append(to: &bytes) }
        return bytes
    }

    /// Decodes ``serialized()`` output; throws `malformed_blob` on anything inconsistent.
    public init(serialized bytes: [UInt8]) throws {
        var reader = ByteReader(bytes, what: "genotype summary")
        let version = try reader.readByte()
        guard version == Self.formatVersion else { throw reader.malformed("has format version \(version); this build reads version \(Self.formatVersion)") }
        let limit = UInt64(Self.maximumLayers)
        let copiesCount = Int(try reader.readVarint(limit: limit))
        let deficitCount = Int(try reader.readVarint(limit: limit))
        let surplusCount = Int(try reader.readVarint(limit: limit))
        var capacity: Int?
        func next() throws -> SampleSet {
            let set = try SampleSet.read(from: &reader)
            if let capacity, capacity != set.capacity { throw reader.malformed("mixes sample sets of capacity \(capacity) and \(set.capacity)") }
            capacity = set.capacity
            return set
        }
        let copies = try (0..<copiesCount).map { _ in try next() }
        let homozygous = try next()
        let deficit = try (0..<deficitCount).map { _ in try next() }
        let surplus = try (0..<surplusCount).map { _ in try next() }
        guard reader.isAtEnd else { throw reader.malformed("has \(reader.remainingCount) unexpected trailing bytes") }
        self.init(copies: copies, homozygous: homozygous, deficit: deficit, surplus: surplus)
    }
}
