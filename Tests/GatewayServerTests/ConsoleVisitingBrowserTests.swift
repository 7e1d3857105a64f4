import Foundation
import GatewayTestSupport
import Testing

/// The visiting-analysis pages in a real browser (chromium through Playwright, BrowserHarness)
/// over mutual TLS, on ``BeaconCohort``: researcher-jp (whose approval A-2026-001 allows every
/// analysis) opens the catalogue, fills and submits the association form, lands on the job page
/// (which reloads itself through its meta refresh, no script, until the result link appears),
/// opens the result and sees its tables and the airlock's notes, in English and Japanese.
/// Screenshots go to `.build/console-screenshots/visiting-*.png`.
@Suite("Web console: visiting analyses in a real browser", .serialized)
struct ConsoleVisitingBrowserTests {
    @Test("a researcher submits an association through the form, follows the job to its result and sees the API's figures and the airlock's notes; a cross-site post and another role are refused")
    func submitAndRead() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data, disclosure: VisitingJobsTests.disclosure) { gateway in
            let shots = ConsoleBrowserTests.shots, me = "researcher-jp", form = "form.visiting-submit"
            let run = try await BrowserHarness.run([
                .open("/console", as: me),                                                                    // 0
                .click(#"nav a[href="/console/analyses"]"#, as: me),                                          // 1
                .screenshot(shots + "/visiting-catalogue.png", as: me),                                       // 2
                .click(#"a.new-job[href="/console/analyses/allelic-association"]"#, as: me),                  // 3
                .select(form + " select[name=approval]", value: "A-2026-001", as: me),                        // 4
                .fill(form + #" input[name="region.referenceName"]"#, with: "1", as: me),                     // 5
                .fill(form + #" input[name="region.start"]"#, with: "1", as: me),                             // 6
                .fill(form + #" input[name="region.end"]"#, with: "5000", as: me),                            // 7
                .fill(form + #" input[name="cases"]"#, with: "NCIT:C4872", as: me),                           // 8
                .screenshot(shots + "/visiting-submit.png", as: me),                                          // 9
                .submit(form, as: me),                                                                        // 10
                .text("#job", as: me),                                                                        // 11
                .screenshot(shots + "/visiting-job.png", as: me),                                             // 12
                // The job page reloads itself (meta refresh) until the job has finished; the click waits for the link.
                .click("a.result-link", as: me),                                                              // 13
                .text("#airlock-notes", as: me),                                                              // 14
                .text("table.result", as: me),                                                                // 15
                .screenshot(shots + "/visiting-result.png", as: me),                                          // 16
                .click(#".languages a[hreflang="ja"]"#, as: me),                                              // 17
                .text("#airlock-notes", as: me),                                                              // 18
                .screenshot(shots + "/visiting-result-ja.png", as: me),                                       // 19
                .crossSitePost("/console/analyses/allelic-association", form: ["region.referenceName": "1", "region.start": "1",
                                                                              "region.end": "5000", "cases": "NCIT:C4872"], as: me), // 20
                .open("/console/analyses", as: me),                                                           // 21
                .count("tr.job", as: me),                                                                     // 22
                .open("/console/analyses", as: "auditor"),                                                    // 23
                .open("/console/analyses/qc-distributions", as: me),                                          // 24
                .submit(form, as: me),                                                                        // 25
                .click("a.result-link", as: me),                                                              // 26
                .count("svg.histogram g.bar", as: me),                                                        // 27
                .screenshot(shots + "/visiting-result-qc.png", as: me),                                       // 28
                .open("/console/analyses/burden", as: me),                                                    // 29
                .fill(form + " textarea[name=units]", with: "G1 1:900-1100", as: me),                         // 30
                .fill(form + " input[name=cases]", with: "NCIT:C4872", as: me),                               // 31
                .submit(form, as: me),                                                                        // 32
                .click("a.result-link", as: me),                                                              // 33
                .text("#airlock-notes", as: me),                                                              // 34
                .screenshot(shots + "/visiting-result-masked.png", as: me),                                   // 35
            ], against: gateway)
            let results = run.results
            let failed = results.enumerated().filter { !$0.element.ok }.map { "\($0.offset): \($0.element.error ?? "")" }
            #expect(failed.isEmpty, "\(failed)")
            #expect(results[1].status == 200 && results[3].status == 200)
            #expect(results[10].status == 200 && results[10].url?.contains("/console/analyses/jobs/") == true, "post, redirect, get: \(results[10])")
            #expect(results[11].text?.contains("allelic-association") == true && results[11].text?.contains("A-2026-001") == true, "\(results[11].text ?? "")")
            #expect(results[14].text?.contains("Every output passed the airlock") == true, "\(results[14].text ?? "")")
            #expect(results[18].text?.contains("エアロックの記録") == true, "\(results[18].text ?? "")")
            #expect(results[20].status == 403 && results[20].text?.contains("posted from another") == true, "cross-site: \(results[20].text ?? "")")
            #expect(results[22].count == 1, "one job: the cross-site post queued none")
            #expect(results[23].status == 403, "an auditor is refused the researcher's pages")
            #expect((results[27].count ?? 0) >= 8, "histograms drawn as SVG bars: \(results[27])")
            #expect(results[34].text?.contains("disclosive-table") == true && results[34].text?.contains("masked") == true,
                    "a masked table's note is on the page: \(results[34].text ?? "")")

            // The figures the browser showed are the API's.
            let researcher = try await gateway.client(me)
            let jobs = try (try await PolicyAPITests.send(researcher, "GET", "/api/visiting/jobs")).json()["jobs"] as? [[String: Any]] ?? []
            let id = try #require(jobs.first { $0["analysis"] as? String == "allelic-association" }?["id"] as? String)
            #expect(jobs.count == 3, "the association, the qc and the burden job")
            #expect(results[13].url?.hasSuffix("/console/analyses/jobs/\(id)/result") == true || results[14].ok, "\(results[13])")
            let api = try (try await PolicyAPITests.send(researcher, "GET", "/api/visiting/jobs/\(id)/result")).json()
            let shown = results[15].text ?? ""
            for (name, variant) in try VisitingJobsTests.variants(api) {
                let table = try #require(variant["table"] as? [[Int]])
                #expect(shown.contains(name) && shown.contains("cases\t\(table[0][0])\t\(table[0][1])") && shown.contains("controls\t\(table[1][0])\t\(table[1][1])"),
                        "\(name) \(table): \(shown)")
            }
            for shot in ["catalogue", "submit", "job", "result", "result-ja", "result-qc", "result-masked"] {
                let png = try Data(contentsOf: URL(fileURLWithPath: shots + "/visiting-\(shot).png"))
                #expect(Array(png.prefix(4)) == [0x89, 0x50, 0x4E, 0x47] && png.count > 5_000, "\(shot)")
            }
        }
    }
}
