import Foundation
import GatewayTestSupport
import Testing
@testable import VariantStore

/// Ingest semantics on small hand-written VCFs whose counts are worked out by hand.
@Suite("Ingest")
struct IngestTests {
    static let header = """
        ##fileformat=VCFv4.2
        ##contig=<ID=1,length=1000000>
        ##FILTER=<ID=q10,Description="Quality below 10">
        ##ALT=<ID=DEL,Description="Deletion">
        ##INFO=<ID=END,Number=1,Type=Integer,Description="End position">
        ##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">

        """

    /// Writes a VCF whose columns are separated by single spaces in `body` (turned into tabs).
    static func writeVCF(_ folder: String, _ name: String, samples: [String], _ body: String) throws -> String {
        let columns = ["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT"] + samples
        let text = header + columns.joined(separator: "\t") + "\n"
            + body.split(separator: "\n").map { $0.split(separator: " ").joined(separator: "\t") }.joined(separator: "\n") + "\n"
        let path = folder + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func counts(_ database: VariantDatabase) throws -> [String: AlleleCounts] {
        let cohort = try database.allSamples()
        var result: [String: AlleleCounts] = [:]
        for variant in try database.allVariants() {
            result["\(variant.chromosome):\(variant.position) \(variant.reference)>\(variant.alternate)"] = variant.counts(in: cohort)
        }
        return result
    }

    @Test("diploid, haploid, triploid, missing, phased, multi-allelic and symbolic calls are counted as bcftools does")
    func genotypeShapes() throws {
        let folder = DevPKI.temporaryFolder("ingest")
        let path = try Self.writeVCF(folder, "shapes.vcf", samples: ["S1", "S2", "S3", "S4"], """
            1 100 . A G . PASS . GT 0/1 1|1 ./. 0/0
            1 200 . C T,CA . q10 . GT 1/2 0 1 ./1
            1 300 . G <DEL> . . END=350 GT 0/1/1 0/0 0/1 0/0
            """)
        let database = try VariantDatabase(folder: folder + "/store")
        let summary = try database.ingest(file: path, dataset: "shapes")
        #expect(summary.samplesRegistered == 4)
        #expect(summary.allelesAdded == 4)
        #expect(summary.genotypes == 12)
        let counts = try Self.counts(database)
        #expect(counts["1:100 A>G"] == AlleleCounts(alleleCount: 3, alleleNumber: 6, homozygous: 1, carriers: 2))
        // S1 1/2, S2 haploid 0, S3 haploid 1, S4 ./1: AN = 2 + 1 + 1 + 1.
        #expect(counts["1:200 C>T"] == AlleleCounts(alleleCount: 3, alleleNumber: 5, homozygous: 1, carriers: 3))
        #expect(counts["1:200 C>CA"] == AlleleCounts(alleleCount: 1, alleleNumber: 5, homozygous: 0, carriers: 1))
        // Triploid S1 adds one called allele.
        #expect(counts["1:300 G><DEL>"] == AlleleCounts(alleleCount: 3, alleleNumber: 9, homozygous: 0, carriers: 2))

        let stored = try database.variants(chromosome: "chr1", from: 150, to: 400)
        #expect(stored.map(\.alternate) == ["T", "CA", "<DEL>"])
        #expect(stored.map(\.variantType) == [.snv, .insertion, .symbolicDeletion])
        #expect(stored[0].filters == ["q10"])
        #expect(stored[2].filters == nil)
        #expect(stored[2].end == 350)
        #expect(try database.variants(chromosome: "1", from: 100, to: 100).first?.passesFilters == true)
    }

    @Test("many ranges in one read, in the ranges' order (as visiting jobs read their regions)")
    func ranges() async throws {
        let folder = DevPKI.temporaryFolder("ingest")
        let path = try Self.writeVCF(folder, "ranges.vcf", samples: ["S1", "S2"], """
            1 100 . A G . PASS . GT 0/1 0/0
            1 200 . C T,CA . PASS . GT 1/2 0/0
            1 300 . G A . PASS . GT 0/1 0/1
            """)
        let database = try VariantDatabase(folder: folder + "/store")
        _ = try database.ingest(file: path, dataset: "ranges")
        let ranges = try await database.variants(inRanges: [("chr1", 150, 400), ("1", 100, 100), ("2", 1, 1000)])
        #expect(ranges.map { $0.map(\.alternate) } == [["T", "CA", "A"], ["G"], []])
        #expect(try await database.variantCount(inRanges: [("chr1", 150, 400), ("1", 100, 100)]) == 4)
        await #expect(throws: VariantStoreError.self) { try await database.variants(inRanges: [("1", 5, 4)]) }
    }

    @Test("per-case files merge into the counts of one multi-sample file; absent samples are reference-called")
    func perCaseFilesMerge() throws {
        let folder = DevPKI.temporaryFolder("merge")
        let first = try Self.writeVCF(folder, "case-a.vcf", samples: ["A1", "A2"], """
            1 100 . A G . PASS . GT 0/1 1/1
            1 150 . T C . PASS . GT 0/1 0/0
            """)
        let second = try Self.writeVCF(folder, "case-b.vcf", samples: ["B1"], """
            1 100 . A G . q10 . GT 0/1
            1 300 . G A . PASS . GT 1/1
            """)
        let combined = try Self.writeVCF(folder, "combined.vcf", samples: ["A1", "A2", "B1"], """
            1 100 . A G . PASS . GT 0/1 1/1 0/1
            1 150 . T C . PASS . GT 0/1 0/0 0/0
            1 300 . G A . PASS . GT 0/0 0/0 1/1
            """)
        let perCase = try VariantDatabase(folder: folder + "/per-case")
        _ = try perCase.ingest(file: first, dataset: "d")
        let merged = try perCase.ingest(file: second, dataset: "d")
        #expect(merged.allelesMerged == 1)
        #expect(merged.allelesAdded == 1)
        let single = try VariantDatabase(folder: folder + "/single")
        _ = try single.ingest(file: combined, dataset: "d")
        #expect(try Self.counts(perCase) == Self.counts(single))
        #expect(try Self.counts(perCase)["1:300 G>A"] == AlleleCounts(alleleCount: 2, alleleNumber: 6, homozygous: 1, carriers: 1))
        // FILTER of a merged site: PASS only if every file said PASS.
        #expect(try perCase.variants(chromosome: "1", from: 100, to: 100).first?.filters == ["q10"])
        #expect(try perCase.ingestedFiles().map(\.sampleCount) == [2, 1])
    }

    @Test("a bad record rolls back the whole file and names the file, line, position and reason")
    func badRecordRollsBack() throws {
        let folder = DevPKI.temporaryFolder("atomic")
        let good = try Self.writeVCF(folder, "good.vcf", samples: ["G1"], "1 100 . A G . PASS . GT 0/1")
        let bad = try Self.writeVCF(folder, "bad.vcf", samples: ["B1", "B2"], """
            1 100 . A G . PASS . GT 0/1 1/1
            1 200 . C T . PASS . GT 0/1 0/3
            """)
        let database = try VariantDatabase(folder: folder + "/store")
        _ = try database.ingest(file: good, dataset: "d")
        let before = try Self.counts(database)
        let error = #expect(throws: VariantStoreError.self) { try database.ingest(file: bad, dataset: "d") }
        #expect(error?.code == .invalidRecord)
        let message = error?.message ?? ""
        #expect(message.contains("bad.vcf"))
        #expect(message.contains("record 2"))
        #expect(message.contains("line 9"))
        #expect(message.contains("1:200"))
        #expect(message.contains("B2"))
        #expect(try Self.counts(database) == before)
        #expect(try database.sampleCount() == 1)
        #expect(try database.ingestedFiles().count == 1)
    }

    @Test("malformed files are refused with the reason and leave nothing behind", arguments: [
        ("columns.vcf", "1 100 . A G . PASS . GT 0/1 0/1 0/1", "columns"),
        ("position.vcf", "1 abc . A G . PASS . GT 0/1", "POS is missing or not a positive number"),
    ])
    func malformedFiles(name: String, body: String, expected: String) throws {
        let folder = DevPKI.temporaryFolder("malformed")
        let path = try Self.writeVCF(folder, name, samples: ["M1"], body)
        let database = try VariantDatabase(folder: folder + "/store")
        let error = #expect(throws: VariantStoreError.self) { try database.ingest(file: path, dataset: "d") }
        #expect(error?.message.contains(name) == true)
        #expect(error?.message.contains(expected) == true, "\(error?.message ?? "")")
        #expect(try database.sampleCount() == 0)
        #expect(try database.variantCount() == 0)
    }

    @Test("not a VCF at all is refused as such")
    func notAVCF() throws {
        let folder = DevPKI.temporaryFolder("notvcf")
        let path = folder + "/notes.txt"
        try "just some notes\n".write(toFile: path, atomically: true, encoding: .utf8)
        let database = try VariantDatabase(folder: folder + "/store")
        let error = #expect(throws: VariantStoreError.self) { try database.ingest(file: path, dataset: "d") }
        #expect(error?.code == .invalidHeader)
        #expect(try database.ingestedFiles().isEmpty)
    }

    @Test("a bgzipped VCF cut short at a block boundary is refused, not ingested as complete")
    func truncatedBGZF() async throws {
        let folder = DevPKI.temporaryFolder("truncated")
        let plain = try Self.writeVCF(folder, "whole.vcf", samples: ["T1"], "1 100 . A G . PASS . GT 0/1\n1 200 . C T . PASS . GT 1/1")
        let compressed = folder + "/whole.vcf.gz"
        #expect(try await Subprocess.run(["bgzip", "-k", plain]).status == 0)
        // BGZF's end-of-file marker is the last 28 bytes: without them the file ends at a block boundary.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: compressed))
        try bytes.prefix(bytes.count - 28).write(to: URL(fileURLWithPath: folder + "/cut.vcf.gz"))
        let database = try VariantDatabase(folder: folder + "/store")
        let error = #expect(throws: VariantStoreError.self) { try database.ingest(file: folder + "/cut.vcf.gz", dataset: "d") }
        #expect(error?.message.contains("truncated") == true, "\(error?.message ?? "")")
        #expect(try database.ingestedFiles().isEmpty)
        #expect(try database.ingest(file: compressed, dataset: "d").file.recordCount == 2, "the whole file ingests")
    }

    @Test("a pipe is refused: ingest needs a regular file")
    func pipeRefused() async throws {
        let folder = DevPKI.temporaryFolder("fifo")
        #expect(try await Subprocess.run(["mkfifo", folder + "/pipe.vcf"]).status == 0)
        let database = try VariantDatabase(folder: folder + "/store")
        let error = #expect(throws: VariantStoreError.self) { try database.ingest(file: folder + "/pipe.vcf", dataset: "d") }
        #expect(error?.message.contains("not a regular file") == true)
    }

    @Test("the same file twice is refused, never doubled; a sample's genotypes come from one file")
    func reingestRefused() throws {
        let folder = DevPKI.temporaryFolder("twice")
        let path = try Self.writeVCF(folder, "once.vcf", samples: ["S1"], "1 100 . A G . PASS . GT 1/1")
        let database = try VariantDatabase(folder: folder + "/store")
        _ = try database.ingest(file: path, dataset: "d")
        let again = #expect(throws: VariantStoreError.self) { try database.ingest(file: path, dataset: "d") }
        #expect(again?.code == .fileAlreadyIngested)
        let other = try Self.writeVCF(folder, "other.vcf", samples: ["S1"], "1 200 . C T . PASS . GT 0/1")
        let sameSample = #expect(throws: VariantStoreError.self) { try database.ingest(file: other, dataset: "d") }
        #expect(sameSample?.code == .sampleAlreadyIngested)
        #expect(try Self.counts(database)["1:100 A>G"] == AlleleCounts(alleleCount: 2, alleleNumber: 2, homozygous: 1, carriers: 1))
        #expect(try database.variantCount() == 1)
    }

    @Test("the file's SHA-256 is recorded as sha256sum computes it")
    func digestRecorded() async throws {
        let folder = DevPKI.temporaryFolder("digest")
        let path = try Self.writeVCF(folder, "digest.vcf", samples: ["D1"], "1 100 . A G . PASS . GT 0/1")
        let database = try VariantDatabase(folder: folder + "/store")
        let summary = try database.ingest(file: path, dataset: "d")
        let reference = try await Subprocess.run(["sha256sum", path])
        #expect(String(reference.stdout.prefix(64)) == summary.file.sha256)
        #expect(try database.ingestedFiles().map(\.sha256) == [summary.file.sha256])
    }

    @Test("with a sample sheet, every VCF sample must be in it; metadata comes from the sheet")
    func sampleSheet() throws {
        let folder = DevPKI.temporaryFolder("sheet")
        let sheet = folder + "/samples.tsv"
        try """
            sample_id\tparticipant_id\tdataset_id\ttissue\tcancer_type_id\tcancer_type_label\toverseas_consent\tmapping_rate\tduplicate_rate\tmean_insert_size\tmean_depth\tnt_check
            P1-T\tP1\td\ttumour\tNCIT:C4872\tBreast Carcinoma\tyes\t99.9\t12.1\t440\t118.0\tpass
            P1-N\tP1\td\tnormal\tNCIT:C4872\tBreast Carcinoma\tyes\t99.8\t11.0\t450\t31.0\tpass

            """.write(toFile: sheet, atomically: true, encoding: .utf8)
        let known = try Self.writeVCF(folder, "known.vcf", samples: ["P1-T", "P1-N"], "1 100 . A G . PASS . GT 0/1 0/0")
        let unknown = try Self.writeVCF(folder, "unknown.vcf", samples: ["P2-T"], "1 100 . A G . PASS . GT 0/1")
        let database = try VariantDatabase(folder: folder + "/store")
        let error = #expect(throws: VariantStoreError.self) { try database.ingest(file: unknown, dataset: "d", sampleSheet: sheet) }
        #expect(error?.code == .unknownSample)
        #expect(try database.sampleCount() == 0, "the sheet import is part of the failed transaction")
        let summary = try database.ingest(file: known, dataset: "d", sampleSheet: sheet)
        #expect(summary.samplesRegistered == 0)
        let samples = try database.samples()
        #expect(samples.map(\.sampleID) == ["P1-T", "P1-N"])
        #expect(samples[0].cancerType == OntologyTerm(id: "NCIT:C4872", label: "Breast Carcinoma"))
        #expect(samples[0].qcFlags() == [.lowDepth])
        #expect(samples[1].qcFlags().isEmpty)
        let otherAssembly = try Self.writeVCF(folder, "grch37.vcf", samples: ["X1"], "1 100 . A G . PASS . GT 0/1")
        let mixed = #expect(throws: VariantStoreError.self) { try database.ingest(file: otherAssembly, dataset: "e", assembly: "GRCh37") }
        #expect(mixed?.code == .assemblyMismatch)
    }
}
