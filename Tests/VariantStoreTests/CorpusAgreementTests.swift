import Foundation
import GatewayTestSupport
import Testing
@testable import VariantStore

/// Every file of bcftools' own test corpus (copied into Fixtures/vcf-corpus with its licence)
/// either ingests or is refused with a named error; for every file bcftools accepts, the
/// store's per-allele AC and AN over all samples equal bcftools' (see ``bcftoolsCounts(_:)``).
@Suite("VCF corpus agrees with bcftools")
struct CorpusAgreementTests {
    static let corpus = DevPKI.repositoryRoot + "/Tests/VariantStoreTests/Fixtures/vcf-corpus"

    static var corpusFiles: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: corpus)) ?? []
        return names.filter { $0.hasSuffix(".vcf") || $0.hasSuffix(".vcf.gz") }.sorted()
    }

    /// One row per ALT allele as bcftools counts it.
    struct Expected: Equatable, CustomStringConvertible {
        var chromosome: String
        var position: Int
        var reference: String
        var alternate: String
        var alleleCount: Int?
        var alleleNumber: Int
        var description: String { "\(chromosome):\(position) \(reference)>\(alternate) AC=\(alleleCount.map(String.init) ?? ".") AN=\(alleleNumber)" }
    }

    /// Files htslib reads leniently that the store refuses on purpose, with what the refusal must say.
    /// setGT.4.vcf has a data line with more sample columns than the #CHROM line declares
    /// (FORMAT `GT` and `DP` separated by a tab): htslib would shift every genotype.
    static let refusedOnPurpose = ["setGT.4.vcf": "it has 13 columns, but the header's #CHROM line declares 12"]

    /// bcftools' counts from the genotypes (any INFO/AC and AN in the file removed first), or nil
    /// when bcftools refuses the file. `+fill-tags` counts only the first two alleles of a
    /// polyploid call; for files with such calls the reference is `+fill-AN-AC`, which counts
    /// every allele as htslib's `bcf_calc_ac` does (and as the store does).
    static func bcftoolsCounts(_ path: String) async throws -> [Expected]? {
        let fill = try await hasPolyploidCall(path) ? "+fill-AN-AC - -Ou" : "+fill-tags - -Ou -- -t AC,AN"
        let script = "set -o pipefail; bcftools annotate -x INFO/AC,INFO/AN \"$1\" -Ou | bcftools \(fill) | bcftools query -f '%CHROM\\t%POS\\t%REF\\t%ALT\\t%INFO/AC\\t%INFO/AN\\n'"
        let result = try await Subprocess.run(["bash", "-c", script, "bash", path])
        guard result.status == 0 else { return nil }
        var rows: [Expected] = []
        for line in result.stdout.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 6, let position = Int(fields[1]) else { throw TestFailure("unexpected bcftools line: \(line)") }
            let alternates = fields[3].split(separator: ",").map(String.init)
            let counts = fields[4].split(separator: ",").map { Int($0) }
            let alleleNumber = Int(fields[5]) ?? 0  // '.' when the file has no samples
            for (offset, alternate) in alternates.enumerated() {
                let count = alternate == "." ? nil : (offset < counts.count ? counts[offset] : nil) ?? 0
                rows.append(Expected(chromosome: fields[0], position: position, reference: fields[2], alternate: alternate,
                                     alleleCount: count, alleleNumber: alleleNumber))
            }
        }
        return rows
    }

    /// Whether any sample has a call of more than two alleles (bcftools' view of the GTs).
    static func hasPolyploidCall(_ path: String) async throws -> Bool {
        let result = try await Subprocess.run(["bcftools", "query", "-f", "[%GT\\n]", path])
        return result.stdout.split(separator: "\n").contains { $0.count(where: { $0 == "/" || $0 == "|" }) >= 2 }
    }

    /// The store's rows of a freshly ingested file, in file order.
    static func storedCounts(_ database: VariantDatabase) throws -> [Expected] {
        let cohort = try database.allSamples()
        return try database.allVariants().map { variant in
            let counts = variant.counts(in: cohort)
            return Expected(chromosome: variant.chromosome, position: variant.position, reference: variant.reference,
                            alternate: variant.alternate, alleleCount: variant.alternate == "." ? nil : counts.alleleCount,
                            alleleNumber: counts.alleleNumber)
        }
    }

    /// What happened to one file.
    enum Outcome: Sendable {
        case agreed(alleles: Int)
        case refusedByBoth(String)
        case refusedByStoreOnly(String)
        case ingestedWhereBcftoolsRefused
        case mismatch(String)
    }

    static func check(_ name: String) async throws -> Outcome {
        let path = corpus + "/" + name
        let expected = try await bcftoolsCounts(path)
        let folder = DevPKI.temporaryFolder("corpus")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let database = try VariantDatabase(folder: folder)
        do {
            _ = try database.ingest(file: path, dataset: "corpus")
        } catch let error as VariantStoreError {
            // A refusal must leave the store empty and name the file.
            guard error.message.contains(name), try database.variantCount() == 0, try await database.sampleCount() == 0,
                  try database.ingestedFiles().isEmpty else {
                return .mismatch("refusal left data behind or does not name the file: \(error)")
            }
            return expected == nil ? .refusedByBoth(error.message) : .refusedByStoreOnly(error.message)
        }
        guard let expected else { return .ingestedWhereBcftoolsRefused }
        let stored = try storedCounts(database)
        guard stored == expected else {
            let firstDifference = zip(stored, expected).first { $0 != $1 }
            return .mismatch("store \(stored.count) alleles, bcftools \(expected.count); first difference: store \(firstDifference.map { "\($0.0)" } ?? "-") vs bcftools \(firstDifference.map { "\($0.1)" } ?? "-")")
        }
        return .agreed(alleles: stored.count)
    }

    @Test("every corpus file ingests with bcftools' AC and AN, or is refused with a named error")
    func wholeCorpus() async throws {
        let files = Self.corpusFiles
        #expect(files.count == 421, "the corpus copy should hold bcftools' 421 test VCFs")
        var outcomes: [(String, Outcome)] = []
        try await withThrowingTaskGroup(of: (String, Outcome).self) { group in
            var iterator = files.makeIterator()
            for _ in 0..<4 { if let name = iterator.next() { group.addTask { (name, try await Self.check(name)) } } }
            while let outcome = try await group.next() {
                outcomes.append(outcome)
                if let name = iterator.next() { group.addTask { (name, try await Self.check(name)) } }
            }
        }
        var agreed = 0, alleles = 0, refusedByBoth = 0
        for (name, outcome) in outcomes.sorted(by: { $0.0 < $1.0 }) {
            switch outcome {
            case .agreed(let count):
                agreed += 1
                alleles += count
            case .refusedByBoth:
                refusedByBoth += 1
            case .refusedByStoreOnly(let message):
                if let reason = Self.refusedOnPurpose[name], message.contains(reason) { break }
                Issue.record("\(name): bcftools reads it, the store refused it: \(message)")
            case .ingestedWhereBcftoolsRefused:
                break  // The store may be more lenient than bcftools' plugin; nothing to compare.
            case .mismatch(let detail):
                Issue.record("\(name): \(detail)")
            }
        }
        #expect(agreed >= 390, "most of the corpus must be compared, not skipped (\(agreed) agreed)")
        #expect(alleles > 5000)
        print("corpus: \(outcomes.count) files, \(agreed) agree with bcftools on \(alleles) alleles, \(refusedByBoth) refused by both")
    }

    @Test("bgzipped VCF and BCF give the same counts as the plain VCF", arguments: ["view.vcf", "norm.vcf", "many-alts.vcf", "mpileup.vcf"])
    func compressedForms(name: String) async throws {
        let folder = DevPKI.temporaryFolder("forms")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let source = Self.corpus + "/" + name
        var counts: [[Expected]] = []
        for (suffix, format) in [("vcf", "v"), ("vcf.gz", "z"), ("bcf", "b")] {
            let converted = "\(folder)/\(name).\(suffix)"
            let result = try await Subprocess.run(["bcftools", "view", "-O", format, "-o", converted, source])
            #expect(result.status == 0, "bcftools view -O\(format): \(result.stderr)")
            let database = try VariantDatabase(folder: "\(folder)/store-\(suffix)")
            let summary = try database.ingest(file: converted, dataset: "forms", threads: 1)
            #expect(summary.file.recordCount > 0)
            counts.append(try Self.storedCounts(database))
        }
        #expect(counts[0] == counts[1])
        #expect(counts[0] == counts[2])
        #expect(counts[0] == (try await Self.bcftoolsCounts(source)))
    }
}
