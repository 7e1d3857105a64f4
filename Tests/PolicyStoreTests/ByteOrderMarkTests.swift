import Foundation
import GatewayCore
import GatewayPolicy
import GatewayTestSupport
import PolicyStore
import Testing

/// Spreadsheet programs save CSV with a UTF-8 byte order mark and CRLF line ends: policy
/// files read the same with and without them (issue 9, finding 7).
@Suite("Byte order marks and line ends in policy files")
struct ByteOrderMarkTests {
    static let now = time("2026-11-27T00:00:00Z")

    @Test("a withdrawals CSV reads the same with or without a BOM, with LF or CRLF", arguments: [
        // header, rows, BOM, line end
        ("participant_id,effective_at", ["JPWGS-000001,2026-11-20", "JPWGS-000002,"], false, "\n"),
        ("participant_id,effective_at", ["JPWGS-000001,2026-11-20", "JPWGS-000002,"], true, "\n"),
        ("participant_id,effective_at", ["JPWGS-000001,2026-11-20", "JPWGS-000002,"], false, "\r\n"),
        ("participant_id,effective_at", ["JPWGS-000001,2026-11-20", "JPWGS-000002,"], true, "\r\n"),
        ("participant_id", ["JPWGS-000001", "JPWGS-000002"], true, "\r\n"),
        ("participant_id", ["JPWGS-000001", "JPWGS-000002"], true, "\n"),
    ])
    func withdrawals(header: String, rows: [String], bom: Bool, lineEnd: String) throws {
        let text = (bom ? "\u{FEFF}" : "") + ([header] + rows).joined(separator: lineEnd) + lineEnd
        let parsed = try WithdrawalCSV.parse(text, source: "withdrawals.csv", now: Self.now)
        #expect(parsed.map(\.participantID) == ["JPWGS-000001", "JPWGS-000002"])
        #expect(parsed.last?.effectiveAt == Self.now)
    }

    @Test("only a leading BOM is skipped: one inside a participant id is still refused, naming the line")
    func innerBOM() {
        let error = #expect(throws: GatewayError.self) {
            try WithdrawalCSV.parse("\u{FEFF}participant_id\r\n\u{FEFF}JPWGS-000001\r\n", source: "withdrawals.csv", now: Self.now)
        }
        #expect(error?.message.hasPrefix("withdrawals.csv line 2, field participant_id") == true, "\(error?.message ?? "")")
    }

    @Test("a policy folder whose YAML and CSV files start with a BOM and end lines in CRLF imports")
    func importFolder() throws {
        let folder = DevPKI.temporaryFolder("policy-bom")
        for name in ["organizations.yaml", "members.yaml", "datasets.yaml", "approvals.yaml", "jurisdictions.yaml"] {
            let text = try String(contentsOfFile: SeededStore.examples + "/" + name, encoding: .utf8)
            let saved = "\u{FEFF}" + text.replacingOccurrences(of: "\n", with: "\r\n")
            try Data(saved.utf8).write(to: URL(fileURLWithPath: folder + "/" + name))
        }
        try Data("\u{FEFF}participant_id,effective_at\r\nJPWGS-000123,2026-11-20\r\n".utf8)
            .write(to: URL(fileURLWithPath: folder + "/withdrawals.csv"))
        let imported = try PolicyImport(folder: folder)
        let plain = try PolicyImport(folder: SeededStore.examples)
        #expect(imported.state.approvals == plain.state.approvals)
        #expect(imported.state.members == plain.state.members)
        #expect(imported.state.withdrawals.keys.sorted() == ["JPWGS-000123"])
    }
}
