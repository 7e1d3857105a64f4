import Foundation
import GatewayTestSupport
import Testing

/// The console in a real browser (chromium through Playwright, BrowserHarness) over mutual TLS:
/// each member's certificate decides what they see; the secretariat suspends an approval
/// through its form and the researcher's next page shows it; a cross-site post changes nothing;
/// a browser without a certificate gets nothing. Screenshots of the pages are written to
/// `.build/console-screenshots`.
@Suite("Web console: in a real browser", .serialized)
struct ConsoleBrowserTests {
    static let shots = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".build/console-screenshots").path

    @Test("the secretariat suspends an approval through the form; the researcher's next page shows it; a cross-site post is refused; roles see only their own pages")
    func suspendThroughTheForm() async throws {
        try await TestGateway.with { gateway in
            let form = "#approval-A-2026-001 form.action-suspend"
            let run = try await BrowserHarness.run([
                .open("/console", as: "researcher-jp"),                                                      // 0
                .click(#"nav a[href="/console/approvals"]"#, as: "researcher-jp"),                           // 1
                .text("#approval-A-2026-001", as: "researcher-jp"),                                          // 2
                .screenshot(Self.shots + "/researcher-approvals.png", as: "researcher-jp"),                  // 3
                .crossSitePost("/console/secretariat/approvals/A-2026-001/revoke", form: ["reason": "forged"], as: "secretariat"), // 4
                .open("/console/secretariat/approvals", as: "secretariat"),                                  // 5
                .fill(form + " input[name=reason]", with: "audit finding (committee 2026-11)", as: "secretariat"), // 6
                .screenshot(Self.shots + "/secretariat-approvals.png", as: "secretariat"),                   // 7
                .submit(form, as: "secretariat"),                                                            // 8
                .text("#approval-A-2026-001", as: "secretariat"),                                            // 9
                .open("/console/approvals", as: "researcher-jp"),                                            // 10
                .text("#approval-A-2026-001", as: "researcher-jp"),                                          // 11
                .open("/api/biosamples?requestedGranularity=count", as: "researcher-jp"),                    // 12
                .open("/console/audit?decision=deny", as: "auditor"),                                        // 13
                .screenshot(Self.shots + "/auditor-log.png", as: "auditor"),                                 // 14
                .open("/console/secretariat/approvals", as: "auditor"),                                      // 15
                .open("/console", as: nil).mustFail,                                                         // 16
            ], against: gateway)
            let results = run.results
            let failed = results.enumerated().filter { !$0.element.ok }.map { "\($0.offset): \($0.element.error ?? "")" }
            #expect(failed.isEmpty, "\(failed)")
            #expect(results[0].status == 200 && results[1].status == 200)
            #expect(results[2].text?.contains("active") == true && results[2].text?.contains("analysis:allelic-association") == true, "\(results[2].text ?? "")")
            #expect(results[4].status == 403 && results[4].text?.contains("posted from another") == true, "cross-site: \(results[4].text ?? "")")
            #expect(results[8].status == 200 && results[8].url?.hasSuffix("/console/secretariat/approvals") == true, "post, redirect, get: \(results[8])")
            #expect(results[9].text?.contains("suspended") == true && results[9].text?.contains("revoked") == false, "suspended, not revoked by the forged post: \(results[9].text ?? "")")
            #expect(results[11].text?.contains("suspended") == true, "the researcher's next page: \(results[11].text ?? "")")
            #expect(results[12].status == 403, "and the next query is refused")
            #expect(results[13].status == 200 && results[15].status == 403)
            #expect(results[16].error != nil, "no certificate, no page")
            for shot in ["researcher-approvals", "secretariat-approvals", "auditor-log"] {
                let png = try Data(contentsOf: URL(fileURLWithPath: Self.shots + "/\(shot).png"))
                #expect(Array(png.prefix(4)) == [0x89, 0x50, 0x4E, 0x47] && png.count > 5_000, "\(shot)")
            }
        }
    }
}
