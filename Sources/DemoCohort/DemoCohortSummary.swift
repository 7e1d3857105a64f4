/// What ``DemoCohortGenerator/write(options:to:progress:)`` wrote.
public struct DemoCohortSummary: Sendable, Hashable {
    /// Samples (VCF columns and sample sheet rows).
    public var samples: Int
    /// Cases (participants), each with a tumour and a normal sample.
    public var cases: Int
    /// Cases whose tumour and normal come from different people (`nt_check` = `mismatch`).
    public var mismatchedCases: Int
    /// Cases whose participant consented to overseas provision.
    public var overseasConsentCases: Int
    /// Variant sites (VCF records).
    public var sites: Int
    /// Sites carried only by tumours (flagged `SOMATIC`).
    public var somaticSites: Int
    /// Sites with two alternate alleles.
    public var multiallelicSites: Int
    /// Genotypes written (`samples * sites`).
    public var genotypes: Int
    /// Genotypes written as missing (`./.`).
    public var missingGenotypes: Int
    /// Path of the VCF.
    public var variantFile: String
    /// Path of the sample sheet.
    public var sampleSheetFile: String
    /// Size of the VCF in bytes.
    public var variantFileBytes: Int
    /// Cases drawn from the population but left out of the cohort files.
    public var withheldCases: Int
    /// Path of the withheld cases' germline VCF, when there are any.
    public var withheldVariantFile: String?

    public init(
        samples: Int, cases: Int, mismatchedCases: Int, overseasConsentCases: Int,
        sites: Int, somaticSites: Int, multiallelicSites: Int, genotypes: Int, missingGenotypes: Int,
        variantFile: String, sampleSheetFile: String, variantFileBytes: Int,
        withheldCases: Int = 0, withheldVariantFile: String? = nil
    ) {
        self.samples = samples
        self.cases = cases
        self.mismatchedCases = mismatchedCases
        self.overseasConsentCases = overseasConsentCases
        self.sites = sites
        self.somaticSites = somaticSites
        self.multiallelicSites = multiallelicSites
        self.genotypes = genotypes
        self.missingGenotypes = missingGenotypes
        self.variantFile = variantFile
        self.sampleSheetFile = sampleSheetFile
        self.variantFileBytes = variantFileBytes
        self.withheldCases = withheldCases
        self.withheldVariantFile = withheldVariantFile
    }
}
