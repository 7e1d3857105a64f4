import ArgumentParser
import DemoCohort
import Foundation

/// `genomegate demo-data`: writes a deterministic synthetic cohort (sample sheet and
/// multi-sample VCF) for demos, tests and benchmarks.
struct DemoDataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo-data",
        abstract: "Write a synthetic tumour/normal cohort: samples.tsv and cohort.vcf.",
        discussion: """
            Every case has a tumour (-T) and a matched normal (-N) sample, so --samples must be even. \
            The same --samples, --sites, --seed and --dataset always give byte-identical files. \
            The data are synthetic, not real genomes.
            """
    )

    @Option(help: "Number of samples (even, at least 2): a tumour and a normal per case.") var samples: Int
    @Option(help: "Number of variant sites (VCF records).") var sites: Int
    @Option(help: "Output folder (created if missing); existing cohort files in it are replaced.") var out: String
    @Option(help: "Seed of every random draw.") var seed: UInt64 = 42
    @Option(help: "Dataset id written in the sample sheet.") var dataset: String = "demo-wgs"
    @Option(name: .customLong("withhold-cases"),
            help: "Extra cases (0 to 1,000,000) from the same population, left out of the cohort: their germline genotypes go to withheld.vcf and their ids to withheld.tsv.")
    var withholdCases: Int = 0

    func run() throws {
        let options = DemoCohortOptions(samples: samples, sites: sites, seed: seed, dataset: dataset, withheldCases: withholdCases)
        let showProgress = isatty(STDERR_FILENO) == 1
        let clock = ContinuousClock()
        let start = clock.now
        let summary: DemoCohortSummary
        do {
            summary = try DemoCohortGenerator.write(options: options, to: out) { sitesWritten in
                guard showProgress else { return }
                FileHandle.standardError.write(Data("\rgenomegate: \(sitesWritten) of \(options.sites) sites".utf8))
            }
        } catch {
            if showProgress { FileHandle.standardError.write(Data("\n".utf8)) }
            switch error.code {
            case .invalidSampleCount, .invalidSiteCount, .invalidDataset, .invalidWithheldCaseCount:
                throw ValidationError(error.message)
            case .unwritableFolder, .writeFailed:
                FileHandle.standardError.write(Data("genomegate: error: \(error.message)\n".utf8))
                throw ExitCode(74)  // EX_IOERR
            }
        }
        if showProgress { FileHandle.standardError.write(Data("\n".utf8)) }
        let elapsed = start.duration(to: clock.now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let megabytes = Double(summary.variantFileBytes) / 1_000_000
        print(
            "genomegate: wrote \(summary.samples) samples (\(summary.cases) cases, \(summary.mismatchedCases) mismatched, "
                + "\(summary.overseasConsentCases) overseas consent), \(summary.sites) sites (\(summary.somaticSites) somatic, "
                + "\(summary.multiallelicSites) multi-allelic), \(summary.genotypes) genotypes to \(out) "
                + "(\(DemoCohortGenerator.variantFileName) \(String(format: "%.1f", megabytes)) MB, "
                + "\(DemoCohortGenerator.sampleSheetFileName)) in \(String(format: "%.1f", seconds)) s"
        )
        if summary.withheldCases > 0 {
            print("genomegate: withheld \(summary.withheldCases) cases from the cohort: \(DemoCohortGenerator.withheldVariantFileName), \(DemoCohortGenerator.withheldListFileName)")
        }
    }
}
