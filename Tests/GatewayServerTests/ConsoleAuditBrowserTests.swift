import Foundation
import GatewayTestSupport
import Testing

/// The auditors' pages in a real browser (chromium through Playwright, BrowserHarness) over
/// mutual TLS: the auditor filters the log through its form, opens a record, downloads the CSV
/// export of the same filter, sees the gateway's verification pass and opens the usage report.
/// Screenshots go to `.build/console-screenshots/audit-*.png`.
@Suite("Web console: the auditors' pages in a real browser", .serialized)
struct ConsoleAuditBrowserTests {
    @Test("the auditor filters the log, opens a record, downloads the filtered CSV, sees verification pass and the usage report")
    func auditorWalkthrough() async throws {
        try await TestGateway.with { gateway in
            // What there is to audit: pages allowed, a page refused, data queries under an approval.
            let researcher = try await gateway.client("researcher-jp")
            for path in ["/console", "/console/approvals", "/console/secretariat/approvals", "/console/secretariat/approvals", PolicyAPITests.everyone] {
                _ = try await ConsoleRoutesTests.get(researcher, path)
            }
            let auditor = try await gateway.client("auditor")
            let expected = try await ConsoleRoutesTests.get(auditor, "/api/audit/records?member=researcher-jp&decision=deny&format=csv")
                .text.split(separator: "\n").dropFirst().count
            #expect(expected >= 2)
            let shots = ConsoleBrowserTests.shots
            let run = try await BrowserHarness.run([
                .open("/console/audit", as: "auditor"),                                                       // 0
                .fill("#audit-filters input[name=member]", with: "researcher-jp", as: "auditor"),              // 1
                .select("#audit-filters select[name=decision]", value: "deny", as: "auditor"),                 // 2
                .submit("#audit-filters", as: "auditor"),                                                      // 3
                .count("tr.record", as: "auditor"),                                                            // 4
                .screenshot(shots + "/audit-log.png", as: "auditor"),                                          // 5
                .download("#export-csv", as: "auditor"),                                                       // 6
                .click("tr.record td a", as: "auditor"),                                                       // 7
                .text("#field-member td", as: "auditor"),                                                      // 8
                .text("#hash-check", as: "auditor"),                                                           // 9
                .screenshot(shots + "/audit-record.png", as: "auditor"),                                       // 10
                .click(#"nav a[href="/console/audit/verification"]"#, as: "auditor"),                           // 11
                .text("#verdict", as: "auditor"),                                                              // 12
                .text("#range", as: "auditor"),                                                                // 13
                .screenshot(shots + "/audit-verification.png", as: "auditor"),                                 // 14
                .click(#"nav a[href="/console/audit/usage"]"#, as: "auditor"),                                  // 15
                .text("#usage-A-2026-001 td.requests", as: "auditor"),                                        // 16
                .screenshot(shots + "/audit-usage.png", as: "auditor"),                                        // 17
                .open("/console/audit/usage?lang=ja", as: "auditor"),                                          // 18
                .text("h1", as: "auditor"),                                                                    // 19
                .screenshot(shots + "/audit-usage-ja.png", as: "auditor"),                                     // 20
                .open("/console/audit/verification", as: "researcher-jp"),                                    // 21
            ], against: gateway)
            let results = run.results
            let failed = results.enumerated().filter { !$0.element.ok }.map { "\($0.offset): \($0.element.error ?? "")" }
            #expect(failed.isEmpty, "\(failed)")
            #expect(results[3].status == 200 && results[3].url?.contains("member=researcher-jp") == true && results[3].url?.contains("decision=deny") == true,
                    "the form's GET: \(results[3].url ?? "")")
            #expect(results[4].count == expected, "the page shows the filtered records: \(results[4].count ?? -1) of \(expected)")
            let csv = results[6].text ?? ""
            let rows = csv.split(separator: "\n").dropFirst()
            #expect(results[6].file == "audit-records.csv" && csv.hasPrefix("sequence,time,request_id,member,"), "\(results[6])")
            #expect(rows.count == expected && rows.allSatisfy { $0.contains(",researcher-jp,") && $0.contains(",deny,") }, "the download holds the filtered records: \(csv)")
            #expect(results[7].status == 200 && results[7].url?.contains("/console/audit/records/") == true, "\(results[7])")
            #expect(results[8].text == "researcher-jp" && results[9].text?.contains("follows from") == true, "\(results[8]) \(results[9])")
            #expect(results[12].text == "PASS" && results[13].text?.hasPrefix("1–") == true, "\(results[12]) \(results[13])")
            #expect(Int(results[16].text ?? "") ?? 0 >= 1, "the usage report counts the query under the approval: \(results[16])")
            #expect(results[19].text == "利活用状況")
            #expect(results[21].status == 403, "a researcher gets the API's refusal")
            for shot in ["audit-log", "audit-record", "audit-verification", "audit-usage", "audit-usage-ja"] {
                let png = try Data(contentsOf: URL(fileURLWithPath: shots + "/\(shot).png"))
                #expect(Array(png.prefix(4)) == [0x89, 0x50, 0x4E, 0x47] && png.count > 5_000, "\(shot)")
            }
            for (index, result) in results.enumerated() { print("audit browser step \(index) \(result.action): \(result.seconds) s") }
        }
    }
}
