/// One stored alternate allele at one site, with its genotype summary.
///
/// A VCF record with several ALT alleles becomes one `VariantRecord` per allele (same
/// chromosome, position and FILTER). A record whose ALT is `.` becomes one record with
/// ``alternate`` `.` and type ``VariantType/noAlternate``, so its allele number is kept.
public struct VariantRecord: Sendable, Hashable {
    /// The row id in the store.
    public var id: Int64
    /// CHROM as the first file that reported the site spelled it.
    public var chromosome: String
    /// POS, 1-based.
    public var position: Int
    /// END, 1-based inclusive: INFO/END when the record had one, else the last base of REF.
    public var end: Int
    public var reference: String
    public var alternate: String
    /// 1 for the first record of a file giving this site and allele; a file that repeats a
    /// site and allele in several records (VCF allows it) keeps one row per repetition,
    /// numbered 2, 3, ...; the n-th such record of a later file merges into occurrence n.
    public var occurrence: Int
    public var variantType: VariantType
    /// FILTER: `["PASS"]`, the failed filters, or `nil` when FILTER was `.`. When files are
    /// merged the list is the union of theirs, with PASS only if every file said PASS.
    public var filters: [String]?
    public var genotypes: AlleleGenotypes

    public init(
        id: Int64, chromosome: String, position: Int, end: Int, reference: String, alternate: String,
        occurrence: Int, variantType: VariantType, filters: [String]?, genotypes: AlleleGenotypes
    ) {
        self.id = id
        self.chromosome = chromosome
        self.position = position
        self.end = end
        self.reference = reference
        self.alternate = alternate
        self.occurrence = occurrence
        self.variantType = variantType
        self.filters = filters
        self.genotypes = genotypes
    }

    /// Whether FILTER is PASS.
    public var passesFilters: Bool { filters == ["PASS"] }

    /// AC, AN, homozygous and carrier counts of this allele over `cohort` (a subset of the store's samples).
    public func counts(in cohort: SampleSet) -> AlleleCounts { genotypes.counts(in: cohort) }

    /// The variant as the disclosure ledger, the cell keys and the visiting analyses name it:
    /// `chr1:12345:A:G` (1-based VCF position), with its end and occurrence when they tell two
    /// stored records apart (`chr1:12345:N:<DEL>:end=13000`, `...:#2`).
    public var subject: String {
        var name = "\(chromosome):\(position):\(reference):\(alternate)"
        if end != position + reference.count - 1 { name += ":end=\(end)" }
        if occurrence > 1 { name += ":#\(occurrence)" }
        return name
    }
}

/// A dataset of the store and the reference assembly its coordinates are on.
public struct DatasetRecord: Sendable, Hashable, Codable {
    public var id: String
    /// E.g. `GRCh38`. Every dataset of one store has the same assembly.
    public var assembly: String

    public init(id: String, assembly: String) {
        self.id = id
        self.assembly = assembly
    }
}

/// A VCF/BCF file the store ingested.
public struct IngestedFileRecord: Sendable, Hashable {
    public var id: Int64
    /// The path as given to ``VariantDatabase/ingest(file:dataset:assembly:sampleSheet:progress:)``.
    public var path: String
    /// SHA-256 of the file's bytes, lowercase hex. The same content is never ingested twice.
    public var sha256: String
    public var datasetID: String
    public var recordCount: Int
    public var sampleCount: Int
    /// When the ingest committed, seconds since 1970 (UTC).
    public var ingestedAt: Double

    public init(id: Int64, path: String, sha256: String, datasetID: String, recordCount: Int, sampleCount: Int, ingestedAt: Double) {
        self.id = id
        self.path = path
        self.sha256 = sha256
        self.datasetID = datasetID
        self.recordCount = recordCount
        self.sampleCount = sampleCount
        self.ingestedAt = ingestedAt
    }
}
