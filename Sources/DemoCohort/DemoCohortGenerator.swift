import Foundation

/// Writes a deterministic synthetic cancer cohort for demos, tests and benchmarks:
/// a sample sheet (``sampleSheetFileName``) and a multi-sample VCF (``variantFileName``).
///
/// Every case has a tumour and a matched normal whole genome. The sample sheet carries
/// each sample's participant, dataset, tissue, cancer type (NCIt), overseas-provision
/// consent, QC metrics drawn to match the data centre's QC table, and the tumour/normal
/// identity check (about 0.77 % of cases `mismatch`, as in the programme). The VCF
/// (VCFv4.2, GRCh38 contig names, GT only) has mostly rare SNVs plus indels, a few
/// multi-allelic and somatic (tumour-only) sites, some missing genotypes and `LowQual`
/// sites; a case's tumour and normal share germline genotypes unless the case is
/// mismatched. The same ``DemoCohortOptions`` always give byte-identical files.
public enum DemoCohortGenerator {
    /// Name of the VCF inside the output folder.
    public static let variantFileName = "cohort.vcf"
    /// Name of the sample sheet inside the output folder.
    public static let sampleSheetFileName = "samples.tsv"
    /// Name of the withheld cases' germline VCF (written only with withheld cases): the
    /// cohort's sites, one column per withheld case (its normal sample id).
    public static let withheldVariantFileName = "withheld.vcf"
    /// Name of the withheld cases' list (written only with withheld cases): tab-separated
    /// ``withheldListColumns``, one row per withheld case, in the VCF's column order.
    public static let withheldListFileName = "withheld.tsv"
    /// The withheld list's header columns, in order.
    public static let withheldListColumns = ["participant_id", "sample_id", "cancer_type_id", "cancer_type_label"]
    /// The sample sheet's tab-separated header columns, in order. Rates are percentages,
    /// insert size is in base pairs, depth in x; `tissue` is `tumour` or `normal`,
    /// `overseas_consent` is `yes` or `no`, `nt_check` is `match` or `mismatch`.
    public static let sampleSheetColumns = SampleSheetWriter.columns

    /// Validates `options`, creates `folder` (with its parents) if needed, and writes
    /// the sample sheet and the VCF into it, replacing earlier ones.
    /// - Parameter progress: called after each chromosome with the number of sites written so far.
    /// - Throws: ``DemoCohortError`` naming a bad option, an unwritable folder or a failed write.
    @discardableResult
    public static func write(
        options: DemoCohortOptions, to folder: String, progress: ((Int) -> Void)? = nil
    ) throws(DemoCohortError) -> DemoCohortSummary {
        try options.validate()
        try createFolder(folder)
        let plan = CohortPlan(options: options)
        let sampleSheetPath = folder + "/" + sampleSheetFileName
        let variantPath = folder + "/" + variantFileName
        try SampleSheetWriter.write(plan: plan, dataset: options.dataset, to: sampleSheetPath)
        let withheldPath = plan.withheldCases.isEmpty ? nil : folder + "/" + withheldVariantFileName
        if !plan.withheldCases.isEmpty { try writeWithheldList(plan, to: folder + "/" + withheldListFileName) }
        let (counts, bytes) = try CohortVCFWriter(options: options, plan: plan)
            .write(to: variantPath, withheldPath: withheldPath, progress: progress)
        return DemoCohortSummary(
            samples: options.samples,
            cases: options.cases,
            mismatchedCases: plan.mismatchedCases,
            overseasConsentCases: plan.cases.reduce(0) { $0 + ($1.overseasConsent ? 1 : 0) },
            sites: options.sites,
            somaticSites: counts.somaticSites,
            multiallelicSites: counts.multiallelicSites,
            genotypes: options.samples * options.sites,
            missingGenotypes: counts.missingGenotypes,
            variantFile: variantPath,
            sampleSheetFile: sampleSheetPath,
            variantFileBytes: bytes,
            withheldCases: plan.withheldCases.count,
            withheldVariantFile: withheldPath
        )
    }

    private static func writeWithheldList(_ plan: CohortPlan, to path: String) throws(DemoCohortError) {
        let writer = try BufferedFileWriter(path: path, capacity: 1 << 20)
        let header = withheldListColumns.joined(separator: "\t") + "\n"
        try writer.reserve(header.utf8.count)
        writer.append(header)
        for withheld in plan.withheldCases {
            let row = [CohortPlan.participantID(withheld.number), CohortPlan.normalSampleID(withheld.number),
                       withheld.cancerType.id, withheld.cancerType.label].joined(separator: "\t") + "\n"
            try writer.reserve(row.utf8.count)
            writer.append(row)
        }
        try writer.finish()
    }

    private static func createFolder(_ folder: String) throws(DemoCohortError) {
        guard !folder.isEmpty else { throw DemoCohortError(.unwritableFolder, "the output folder path is empty") }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw DemoCohortError(.unwritableFolder, "output folder \(folder) exists and is not a folder")
            }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw DemoCohortError(.unwritableFolder, "cannot create output folder \(folder): \(error.localizedDescription)")
        }
    }
}
