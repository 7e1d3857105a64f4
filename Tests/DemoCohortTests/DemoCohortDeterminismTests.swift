import DemoCohort
import Foundation
import Testing

@Suite("Demo cohort determinism")
struct DemoCohortDeterminismTests {
    private func bytes(_ folder: String, _ name: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
    }

    @Test("The same options give byte-identical files; another seed gives other files")
    func sameSeedSameBytes() async throws {
        let options = DemoCohortOptions(samples: 40, sites: 1500, seed: 7)
        let first = try await DemoCohortFixture.write(options)
        let second = try await DemoCohortFixture.write(options)
        var reseeded = options
        reseeded.seed = 8
        let other = try await DemoCohortFixture.write(reseeded)
        for name in [DemoCohortGenerator.variantFileName, DemoCohortGenerator.sampleSheetFileName] {
            #expect(try bytes(first.folder, name) == bytes(second.folder, name), "\(name) differs between two runs")
            #expect(try bytes(first.folder, name) != bytes(other.folder, name), "\(name) ignores the seed")
        }
        #expect(first.summary == DemoCohortSummary(
            samples: second.summary.samples, cases: second.summary.cases, mismatchedCases: second.summary.mismatchedCases,
            overseasConsentCases: second.summary.overseasConsentCases, sites: second.summary.sites,
            somaticSites: second.summary.somaticSites, multiallelicSites: second.summary.multiallelicSites,
            genotypes: second.summary.genotypes, missingGenotypes: second.summary.missingGenotypes,
            variantFile: first.summary.variantFile, sampleSheetFile: first.summary.sampleSheetFile,
            variantFileBytes: second.summary.variantFileBytes
        ))
    }

    @Test("The sample sheet does not depend on the number of sites")
    func sampleSheetIndependentOfSites() async throws {
        let few = try await DemoCohortFixture.write(DemoCohortOptions(samples: 20, sites: 10, seed: 11))
        let many = try await DemoCohortFixture.write(DemoCohortOptions(samples: 20, sites: 400, seed: 11))
        let name = DemoCohortGenerator.sampleSheetFileName
        #expect(try bytes(few.folder, name) == bytes(many.folder, name))
    }

    @Test("The dataset id only changes the sample sheet's dataset column")
    func datasetColumn() async throws {
        let folder = try await DemoCohortFixture.write(DemoCohortOptions(samples: 6, sites: 5, dataset: "pilot.2023_cell-lines")).folder
        let (_, rows) = try DemoCohortFixture.sampleSheetRows(in: folder)
        #expect(rows.allSatisfy { $0[2] == "pilot.2023_cell-lines" })
    }
}
