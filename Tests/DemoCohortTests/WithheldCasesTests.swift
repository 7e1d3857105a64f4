import DemoCohort
import Foundation
import GatewayTestSupport
import Testing

@Suite("Demo cohort withheld cases")
struct WithheldCasesTests {
    private func text(_ folder: String, _ name: String) throws -> String {
        try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
    }

    /// The data rows of a VCF as columns.
    private func rows(_ vcf: String) -> (samples: [String], rows: [[Substring]]) {
        var samples: [String] = []
        var rows: [[Substring]] = []
        for line in vcf.split(separator: "\n") where !line.hasPrefix("##") {
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false)
            if line.hasPrefix("#CHROM") { samples = columns.dropFirst(9).map(String.init) } else { rows.append(columns) }
        }
        return (samples, rows)
    }

    /// Alternate alleles in a GT column (`./.` counts none).
    private func alternates(_ genotype: Substring) -> Int {
        genotype.split(separator: "/").reduce(0) { $0 + ($1 == "0" || $1 == "." ? 0 : 1) }
    }

    @Test("Withheld cases get their own VCF over the same sites and a list of ids; the cohort's sample sheet is unchanged")
    func withheldFiles() async throws {
        let plain = try await DemoCohortFixture.write(DemoCohortOptions(samples: 400, sites: 1200, seed: 5))
        let withheld = try await DemoCohortFixture.write(DemoCohortOptions(samples: 400, sites: 1200, seed: 5, withheldCases: 150))
        #expect(withheld.summary.withheldCases == 150)
        #expect(plain.summary.withheldCases == 0 && plain.summary.withheldVariantFile == nil)
        #expect(try text(plain.folder, DemoCohortGenerator.sampleSheetFileName) == text(withheld.folder, DemoCohortGenerator.sampleSheetFileName))
        let names = try FileManager.default.contentsOfDirectory(atPath: plain.folder)
        #expect(!names.contains(DemoCohortGenerator.withheldVariantFileName) && !names.contains(DemoCohortGenerator.withheldListFileName))

        let cohort = rows(try text(withheld.folder, DemoCohortGenerator.variantFileName))
        let others = rows(try text(withheld.folder, DemoCohortGenerator.withheldVariantFileName))
        #expect(cohort.samples.count == 400 && others.samples.count == 150)
        #expect(others.samples.first == "GG000201-N" && others.samples.last == "GG000350-N")
        #expect(cohort.rows.count == 1200 && others.rows.count == 1200)
        var cohortAlleles = 0
        var withheldAlleles = 0
        for (row, other) in zip(cohort.rows, others.rows) {
            #expect(row[0..<9] == other[0..<9], "site columns differ at \(row[0]):\(row[1])")
            if row[7] == "SOMATIC" {
                #expect(other.dropFirst(9).allSatisfy { $0 == "0/0" }, "a somatic site is carried by a withheld person")
                continue
            }
            #expect(!other.dropFirst(9).contains("./."), "withheld genotypes are never missing")
            // Normals only (odd columns): one column per person.
            cohortAlleles += stride(from: 10, to: row.count, by: 2).reduce(0) { $0 + alternates(row[$1]) }
            withheldAlleles += other.dropFirst(9).reduce(0) { $0 + alternates($1) }
        }
        // The same population: mean alternate alleles per person within 25 % of each other.
        let perCohortPerson = Double(cohortAlleles) / 200
        let perWithheldPerson = Double(withheldAlleles) / 150
        #expect(withheldAlleles > 0)
        #expect(abs(perCohortPerson - perWithheldPerson) < 0.25 * perCohortPerson,
                "cohort people carry \(perCohortPerson) alternate alleles, withheld people \(perWithheldPerson)")

        let list = try text(withheld.folder, DemoCohortGenerator.withheldListFileName).split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
        #expect(list.first == DemoCohortGenerator.withheldListColumns)
        #expect(list.dropFirst().map { $0[1] } == others.samples)
        #expect(list.dropFirst().allSatisfy { $0.count == 4 && $0[0] == "P" + $0[1].dropFirst(2).dropLast(2) && $0[2].hasPrefix("NCIT:") })
    }

    @Test("The same options with withheld cases give byte-identical files")
    func deterministic() async throws {
        let options = DemoCohortOptions(samples: 40, sites: 300, seed: 3, withheldCases: 7)
        let first = try await DemoCohortFixture.write(options)
        let second = try await DemoCohortFixture.write(options)
        for name in [DemoCohortGenerator.variantFileName, DemoCohortGenerator.withheldVariantFileName, DemoCohortGenerator.withheldListFileName] {
            #expect(try text(first.folder, name) == text(second.folder, name), "\(name) differs between two runs")
        }
    }

    @Test("A negative or too large withheld case count is refused and named", arguments: [-1, DemoCohortOptions.maximumWithheldCases + 1])
    func badCount(count: Int) throws {
        let folder = DevPKI.temporaryFolder("demo-bad")
        do {
            try DemoCohortGenerator.write(options: DemoCohortOptions(samples: 4, sites: 10, withheldCases: count), to: folder)
            Issue.record("withheld case count \(count) was accepted")
        } catch {
            #expect(error.code == .invalidWithheldCaseCount)
            #expect(error.message.contains("withhold-cases") && error.message.contains("\(count)"))
        }
        #expect(!FileManager.default.fileExists(atPath: folder + "/" + DemoCohortGenerator.variantFileName))
    }
}
