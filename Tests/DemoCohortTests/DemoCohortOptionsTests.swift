import DemoCohort
import Foundation
import GatewayTestSupport
import Testing

@Suite("Demo cohort options and errors")
struct DemoCohortOptionsTests {
    /// The error `write` throws for `options` into `folder`, or nil if it succeeded.
    private func failure(writing options: DemoCohortOptions, to folder: String) -> DemoCohortError? {
        do {
            try DemoCohortGenerator.write(options: options, to: folder)
            return nil
        } catch {
            return error
        }
    }

    @Test("An odd, zero or too large sample count is refused and named", arguments: [3, 1, 0, -2, DemoCohortOptions.maximumSamples + 2])
    func badSampleCount(samples: Int) throws {
        let folder = DevPKI.temporaryFolder("demo-bad")
        let error = try #require(failure(writing: DemoCohortOptions(samples: samples, sites: 10), to: folder))
        #expect(error.code == .invalidSampleCount)
        #expect(error.message.contains("samples") && error.message.contains("\(samples)"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/" + DemoCohortGenerator.variantFileName))
    }

    @Test("Zero, negative or too many sites are refused and named", arguments: [0, -1, DemoCohortOptions.maximumSites + 1])
    func badSiteCount(sites: Int) throws {
        let error = try #require(failure(writing: DemoCohortOptions(samples: 4, sites: sites), to: DevPKI.temporaryFolder("demo-bad")))
        #expect(error.code == .invalidSiteCount)
        #expect(error.message.contains("sites") && error.message.contains("\(sites)"))
    }

    @Test("A dataset id that would break the sample sheet is refused", arguments: ["", "demo\twgs", "demo wgs", "a/b"])
    func badDataset(dataset: String) throws {
        let options = DemoCohortOptions(samples: 4, sites: 10, dataset: dataset)
        let error = try #require(failure(writing: options, to: DevPKI.temporaryFolder("demo-bad")))
        #expect(error.code == .invalidDataset)
        #expect(error.message.contains("dataset"))
    }

    @Test("A folder that cannot be created is refused and named")
    func unwritableFolder() throws {
        let parent = DevPKI.temporaryFolder("demo-bad")
        let file = parent + "/not-a-folder"
        #expect(FileManager.default.createFile(atPath: file, contents: Data("x".utf8)))
        for folder in [file, file + "/cohort"] {
            let error = try #require(failure(writing: DemoCohortOptions(samples: 4, sites: 10), to: folder))
            #expect(error.code == .unwritableFolder)
            #expect(error.message.contains(file))
        }
    }

    @Test("A missing folder is created with its parents and the files are complete")
    func createsFolder() throws {
        let folder = DevPKI.temporaryFolder("demo-new") + "/nested/cohort"
        let summary = try DemoCohortGenerator.write(options: DemoCohortOptions(samples: 2, sites: 1), to: folder)
        #expect(summary.samples == 2 && summary.cases == 1 && summary.sites == 1 && summary.genotypes == 2)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(names == [DemoCohortGenerator.variantFileName, DemoCohortGenerator.sampleSheetFileName].sorted())
    }
}
