import Foundation
import GatewayCore
import GatewayTestSupport
import Testing
@testable import VariantStore

@Suite("Sample sheet parsing")
struct SampleSheetTests {
    static let sheet = """
        sample_id\tparticipant_id\tdataset_id\ttissue\tcancer_type_id\tcancer_type_label\toverseas_consent\tmapping_rate\tduplicate_rate\tmean_insert_size\tmean_depth\tnt_check
        P1-T\tP1\td\ttumour\tNCIT:C4872\tBreast Carcinoma\tyes\t99.9\t12.1\t440\t118.0\tpass
        P1-N\tP1\td\tnormal\tNCIT:C4872\tBreast Carcinoma\tyes\t99.8\t11.0\t450\t31.0\tpass

        """

    // Found while seeding the sample-sheet fuzz target: "\r\n" is a single Character in Swift, so a
    // sheet saved with Windows line ends was read as one header line and refused as missing
    // every column after the last one on the first line.
    @Test("a sheet with CRLF line ends reads as the same samples", arguments: ["\n", "\r\n"])
    func lineEnds(_ lineEnd: String) throws {
        let text = Self.sheet.replacingOccurrences(of: "\n", with: lineEnd)
        let folder = DevPKI.temporaryFolder("sheet-crlf")
        let path = folder + "/samples.tsv"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let sheet = try SampleSheet(contentsOf: path)
        #expect(sheet.entries.map(\.sample.sampleID) == ["P1-T", "P1-N"])
        #expect(sheet.entries.map(\.line) == [2, 3])
        #expect(sheet.entries.map(\.sample.identityCheck) == [.pass, .pass])
    }

    @Test("a CRLF sheet with a bad value names the right line")
    func crlfErrorLine() throws {
        let text = Self.sheet.replacingOccurrences(of: "118.0", with: "deep").replacingOccurrences(of: "\n", with: "\r\n")
        let error = #expect(throws: VariantStoreError.self) { try SampleSheet(text: text, path: "s.tsv") }
        #expect(error?.message.contains("s.tsv line 2, column 11 (mean_depth)") == true, "\(error?.message ?? "")")
    }
}
