import Foundation
import GatewayTestSupport
import Testing

/// The secretariat's pages in a real browser (chromium through Playwright, BrowserHarness) over
/// mutual TLS: an approval created and amended through the forms, in force for the next API
/// request; a withdrawals CSV chosen as a file and uploaded, the researcher's next count
/// excluding the withdrawn; the history's diffs, in English and Japanese. Screenshots go to
/// `.build/console-screenshots/secretariat-*.png`.
@Suite("Web console: the secretariat's pages in a real browser", .serialized)
struct ConsoleSecretariatBrowserTests {
    static let shots = ConsoleBrowserTests.shots

    @Test("create and amend an approval through the forms, upload a withdrawals CSV, read the history's diffs")
    func secretariatPages() async throws {
        let data = try BeaconCohort.makeDataFolder()
        let csv = DevPKI.temporaryFolder("withdrawals") + "/withdrawals.csv"
        try "participant_id,effective_at\nC10,2026-11-01\nC98,\n".write(toFile: csv, atomically: true, encoding: .utf8)
        try await TestGateway.with(dataDirectory: data) { gateway in
            let me = "secretariat"
            let fields: [(String, String)] = [
                ("id", "A-2026-010"), ("decision_reference", "DURC-2026-010"), ("decision_date", "2026-06-01"),
                ("title", "Joint academic study of tumour mutational burden"), ("members", "researcher-us"), ("datasets", "demo-wgs"),
                ("query_kinds", "beacon-count, beacon-boolean"), ("valid_from", "2026-06-01"), ("valid_until", "2030-03-31"),
            ]
            var steps: [BrowserHarness.Step] = [
                .open("/console/secretariat/approvals", as: me),                                              // 0
                .click("#new-approval", as: me),                                                              // 1
            ]
            steps += fields.map { .fill("#field-\($0.0)", with: $0.1, as: me) }                               // 2...10
            steps += [
                .select("#field-organization", value: "example-therapeutics", as: me),                        // 11
                .select("#field-purpose", value: "causal-gene-research", as: me),                              // 12
                .select("#field-legal_basis", value: "academic-research", as: me),                            // 13
                .screenshot(Self.shots + "/secretariat-create.png", as: me),                                  // 14
                .submit("#approval-form", as: me),                                                            // 15
                .text("#approval-detail", as: me),                                                            // 16
                .open("/api/biosamples?referenceName=1&start=2999&alternateBases=A&requestedGranularity=count&approval=A-2026-010", as: "researcher-us"), // 17
                .click("#amend", as: me),                                                                     // 18
                .fill("#field-valid_until", with: "2029-03-31", as: me),                                      // 19
                .submit("#approval-form", as: me),                                                            // 20
                .text("ol.history", as: me),                                                                  // 21
                .screenshot(Self.shots + "/secretariat-approval.png", as: me),                                // 22
                .open("/console/secretariat/members", as: me),                                                // 23
                .screenshot(Self.shots + "/secretariat-members.png", as: me),                                 // 24
                .open("/console/secretariat/withdrawals", as: me),                                            // 25
                .upload("#upload-withdrawals input[type=file]", file: csv, as: me),                           // 26
                .submit("#upload-withdrawals", as: me),                                                       // 27
                .text("#withdrawal-outcome", as: me),                                                         // 28
                .screenshot(Self.shots + "/secretariat-withdrawals.png", as: me),                             // 29
                .open("/api/biosamples?referenceName=1&start=2999&alternateBases=A&requestedGranularity=count", as: "researcher-jp"), // 30
                .open("/console/secretariat/history", as: me),                                                // 31
                .screenshot(Self.shots + "/secretariat-history.png", as: me),                                 // 32
                .open("/console/secretariat/history?lang=ja", as: me),                                        // 33
                .screenshot(Self.shots + "/secretariat-history-ja.png", as: me),                              // 34
                .open("/console/secretariat/withdrawals", as: "researcher-jp"),                               // 35
            ]
            let run = try await BrowserHarness.run(steps, against: gateway)
            let results = run.results
            let failed = results.enumerated().filter { !$0.element.ok }.map { "\($0.offset): \($0.element.error ?? "")" }
            #expect(failed.isEmpty, "\(failed)")
            #expect(results[1].status == 200 && results[1].url?.hasSuffix("/console/secretariat/new-approval") == true)
            #expect(results[15].status == 200 && results[15].url?.hasSuffix("/console/secretariat/approvals/A-2026-010") == true, "post, redirect, get: \(results[15])")
            let detail = results[16].text ?? ""
            #expect(detail.contains("Joint academic study") && detail.contains("example-therapeutics") && detail.contains("2026-06-01 – 2030-03-31"), "\(detail)")
            func count(_ text: String?) -> Int? {
                (try? Regex(#""numTotalResults"\s*:\s*(\d+)"#)).flatMap { (text ?? "").firstMatch(of: $0) }.flatMap { Int($0.output[1].substring ?? "") }
            }
            #expect(results[17].status == 200 && count(results[17].text) == 58,
                    "the new approval is in force for the researcher's next request: \(results[17].text?.prefix(400) ?? "")")
            #expect(results[20].url?.hasSuffix("/console/secretariat/approvals/A-2026-010") == true)
            let history = results[21].text ?? ""
            #expect(history.contains("approval A-2026-010 amended") && history.contains("valid_until: 2030-04-01 00:00 JST → 2029-04-01 00:00 JST"), "\(history)")
            let amendment = history.components(separatedBy: "approval A-2026-010 created").first ?? ""
            #expect(amendment.contains("valid_until") && !amendment.contains("title:") && !amendment.contains("members"),
                    "only the changed field was amended: \(amendment)")
            let outcome = results[28].text ?? ""
            #expect(outcome.contains("withdrawals.csv") && outcome.contains("C98"), "\(outcome)")
            #expect(results[27].url?.contains("/console/secretariat/withdrawals?result=") == true && results[27].url?.contains("C10") == false)
            #expect(count(results[30].text) == 56, "the researcher's next count excludes C10: \(results[30].text?.prefix(400) ?? "")")
            #expect(results[33].text?.contains("ポリシー履歴") == true)
            #expect(results[35].status == 403, "a researcher is refused the page")
            for shot in ["secretariat-create", "secretariat-approval", "secretariat-members", "secretariat-withdrawals", "secretariat-history", "secretariat-history-ja"] {
                let png = try Data(contentsOf: URL(fileURLWithPath: Self.shots + "/\(shot).png"))
                #expect(Array(png.prefix(4)) == [0x89, 0x50, 0x4E, 0x47] && png.count > 5_000, "\(shot)")
            }
        }
    }
}
