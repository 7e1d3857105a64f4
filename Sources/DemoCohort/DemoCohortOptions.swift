/// What to generate: how many samples and variant sites, from which seed, under which dataset id.
///
/// The same options always produce byte-identical files, on any machine.
public struct DemoCohortOptions: Sendable, Hashable {
    /// Largest accepted ``samples`` (500,000 tumour/normal cases).
    public static let maximumSamples = 1_000_000
    /// Largest accepted ``sites``.
    public static let maximumSites = 100_000_000
    /// Largest accepted ``withheldCases``.
    public static let maximumWithheldCases = 1_000_000
    /// Longest accepted ``dataset`` id.
    public static let maximumDatasetLength = 128

    /// Number of samples: every case (participant) has a tumour and a matched normal,
    /// so this must be even and at least 2; there are `samples / 2` cases.
    public var samples: Int
    /// Number of variant sites (VCF records) across chr1 to chr22 and chrX.
    public var sites: Int
    /// Seed of every random draw.
    public var seed: UInt64
    /// Dataset id written in the sample sheet's `dataset_id` column.
    public var dataset: String
    /// Extra cases drawn from the same population (the allele counts are spread over
    /// them too) but left out of the cohort files: their germline genotypes go to
    /// ``DemoCohortGenerator/withheldVariantFileName``, for privacy attacks that need
    /// people outside the cohort and a reference panel independent of it. 0 (the
    /// default) writes exactly what a run without withheld cases writes.
    public var withheldCases: Int

    public init(samples: Int, sites: Int, seed: UInt64 = 42, dataset: String = "demo-wgs", withheldCases: Int = 0) {
        self.samples = samples
        self.sites = sites
        self.seed = seed
        self.dataset = dataset
        self.withheldCases = withheldCases
    }

    /// Number of cases (participants), each with one tumour and one normal sample.
    public var cases: Int { samples / 2 }

    /// Checks every option and names the first one that is out of range.
    public func validate() throws(DemoCohortError) {
        guard samples >= 2, samples % 2 == 0, samples <= Self.maximumSamples else {
            throw DemoCohortError(
                .invalidSampleCount,
                "samples must be an even number from 2 to \(Self.maximumSamples) (a tumour and a normal per case), got \(samples)"
            )
        }
        guard sites >= 1, sites <= Self.maximumSites else {
            throw DemoCohortError(.invalidSiteCount, "sites must be from 1 to \(Self.maximumSites), got \(sites)")
        }
        guard withheldCases >= 0, withheldCases <= Self.maximumWithheldCases else {
            throw DemoCohortError(
                .invalidWithheldCaseCount,
                "withhold-cases must be from 0 to \(Self.maximumWithheldCases), got \(withheldCases)"
            )
        }
        let allowed = dataset.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2D || byte == 0x2E || byte == 0x5F
        }
        guard !dataset.isEmpty, dataset.utf8.count <= Self.maximumDatasetLength, allowed else {
            throw DemoCohortError(
                .invalidDataset,
                "dataset must be 1 to \(Self.maximumDatasetLength) letters, digits, '.', '_' or '-', got '\(dataset)'"
            )
        }
    }
}
