import ArgumentParser
import Foundation
import VariantStore

/// `genomegate ingest`: adds one VCF, bgzipped VCF or BCF file to the variant store.
struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Add a VCF, bgzipped VCF or BCF file to the variant store.",
        discussion: """
            One transaction per file: an error leaves the store exactly as it was and names the file, \
            the record (number, line, CHROM:POS) and the reason. Samples the store does not know are \
            registered with minimal metadata, unless --samples gives a sample sheet: then every sample \
            of the file must be in it. Files may arrive one case at a time: a sample absent from a \
            file at a site other files report counts as reference-called there. The same content is \
            never ingested twice, and a sample's genotypes come from one file.
            """
    )

    @Argument(help: "The file: .vcf, .vcf.gz or .bcf.") var file: String
    @Option(help: "Dataset id the file's samples belong to.") var dataset: String
    @Option(help: "Sample sheet (TSV) to import in the same transaction.") var samples: String?
    @Option(name: .customLong("data-dir"), help: "The gateway's data folder (the store is variants.sqlite in it).") var dataDir: String = ".genomegate"
    @Option(help: "Reference assembly of the file's coordinates.") var assembly: String = "GRCh38"
    @Option(help: "Extra threads decompressing .vcf.gz and .bcf input.") var threads: Int = 1

    func validate() throws {
        guard (0...16).contains(threads) else { throw ValidationError("--threads must be between 0 and 16") }
    }

    func run() throws {
        let reporter = ProgressReporter(label: (file as NSString).lastPathComponent)
        do {
            let store = try VariantDatabase(folder: dataDir)
            let summary = try store.ingest(
                file: file, dataset: dataset, assembly: assembly, sampleSheet: samples, threads: threads
            ) { reporter.report(records: $0.records, done: $0.bytesRead, total: $0.totalBytes) }
            reporter.finish()
            print(
                "genomegate: ingested \(file) into \(store.path): \(summary.file.recordCount) records, "
                    + "\(summary.file.sampleCount) samples (\(summary.samplesRegistered) newly registered), "
                    + "\(summary.allelesAdded) new alleles, \(summary.allelesMerged) merged, \(summary.genotypes) genotypes "
                    + "in \(reporter.elapsedText)"
            )
        } catch let error as VariantStoreError {
            reporter.abandon()
            throw StoreFailure.exit(error)
        }
    }
}

/// `genomegate samples`: the sample registry.
struct SamplesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "samples",
        abstract: "Manage the sample registry of the variant store.",
        subcommands: [ImportSamples.self]
    )

    struct ImportSamples: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Register the samples of a sample sheet (TSV), in one transaction.",
            discussion: """
                Columns: \(["sample_id", "participant_id", "dataset_id", "tissue", "cancer_type_id", "cancer_type_label", "overseas_consent", "mapping_rate", "duplicate_rate", "mean_insert_size", "mean_depth", "nt_check"].joined(separator: " ")). \
                Re-importing identical rows changes nothing; a sample registered with other values is refused.
                """
        )

        @Argument(help: "The sample sheet.") var sheet: String
        @Option(name: .customLong("data-dir"), help: "The gateway's data folder.") var dataDir: String = ".genomegate"
        @Option(help: "Reference assembly of the datasets the sheet names.") var assembly: String = "GRCh38"

        func run() throws {
            do {
                let store = try VariantDatabase(folder: dataDir)
                let result = try store.importSampleSheet(sheet, assembly: assembly)
                print("genomegate: \(sheet): \(result.added) samples registered, \(result.unchanged) already registered")
            } catch let error as VariantStoreError {
                throw StoreFailure.exit(error)
            }
        }
    }
}

/// How the CLI reports a store error: the message and code on stderr, then a sysexits status
/// (66 for a missing input, 74 for the database, 65 for anything wrong with the data).
enum StoreFailure {
    static func exit(_ error: VariantStoreError) -> ExitCode {
        FileHandle.standardError.write(Data("genomegate: error: \(error.message) [\(error.code)]\n".utf8))
        switch error.code {
        case .unreadableFile: return ExitCode(66)
        case .databaseError: return ExitCode(74)
        default: return ExitCode(65)
        }
    }
}
