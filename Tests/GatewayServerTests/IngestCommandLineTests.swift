import Foundation
import GatewayTestSupport
import Testing

/// `genomegate demo-data`, `samples import` and `ingest`, run as an operator would.
@Suite("genomegate ingest command line")
struct IngestCommandLineTests {
    static let binary = CommandLineTests.binary

    @Test("demo-data, then samples import and ingest into a data folder; a second ingest is refused")
    func demoCohortIngests() async throws {
        let folder = DevPKI.temporaryFolder("ingest-cli")
        let written = try await Subprocess.run([Self.binary, "demo-data", "--samples", "40", "--sites", "300", "--out", folder + "/demo", "--seed", "7"])
        #expect(written.status == 0, "\(written.stderr)")
        let data = folder + "/data"
        let imported = try await Subprocess.run([Self.binary, "samples", "import", folder + "/demo/samples.tsv", "--data-dir", data])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("40 samples registered"), "\(imported.stdout)")
        let ingested = try await Subprocess.run([Self.binary, "ingest", folder + "/demo/cohort.vcf", "--dataset", "demo-wgs", "--data-dir", data])
        #expect(ingested.status == 0, "\(ingested.stderr)")
        #expect(ingested.stdout.contains("300 records, 40 samples (0 newly registered)"), "\(ingested.stdout)")
        #expect(FileManager.default.fileExists(atPath: data + "/variants.sqlite"))
        let again = try await Subprocess.run([Self.binary, "ingest", folder + "/demo/cohort.vcf", "--dataset", "demo-wgs", "--data-dir", data])
        #expect(again.status == 65)
        #expect(again.stderr.contains("file_already_ingested"), "\(again.stderr)")
    }

    @Test("a missing file and a malformed one exit non-zero with a message naming them")
    func badInput() async throws {
        let folder = DevPKI.temporaryFolder("ingest-bad")
        let missing = try await Subprocess.run([Self.binary, "ingest", folder + "/absent.vcf", "--dataset", "d", "--data-dir", folder + "/data"])
        #expect(missing.status == 66)
        #expect(missing.stderr.contains("absent.vcf"))
        try "##fileformat=VCFv4.2\n##contig=<ID=1>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n1\tten\t.\tA\tC\t.\tPASS\t.\n"
            .write(toFile: folder + "/broken.vcf", atomically: true, encoding: .utf8)
        let broken = try await Subprocess.run([Self.binary, "ingest", folder + "/broken.vcf", "--dataset", "d", "--data-dir", folder + "/data"])
        #expect(broken.status == 65)
        #expect(broken.stderr.contains("broken.vcf"), "\(broken.stderr)")
        #expect(broken.stderr.contains("POS is missing or not a positive number"), "\(broken.stderr)")
        #expect(broken.stderr.contains("Nothing from this file was stored"), "\(broken.stderr)")
        let badDataset = try await Subprocess.run([Self.binary, "ingest", folder + "/broken.vcf", "--dataset", "no spaces", "--data-dir", folder + "/data"])
        #expect(badDataset.status == 65)
        #expect(badDataset.stderr.contains("dataset id"))
    }
}
