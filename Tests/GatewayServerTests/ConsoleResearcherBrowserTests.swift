import Foundation
import GatewayTestSupport
import Testing

/// The researcher's data pages in a real browser (chromium through Playwright, BrowserHarness)
/// over mutual TLS: researcher-jp searches a region through the form, sees the variant list,
/// opens a variant whose chart shows the API's allele frequencies (fetched in the same test),
/// opens the region viewer and follows its zoom and pan links. Screenshots go to
/// `.build/console-screenshots/researcher-*.png`.
@Suite("Web console: the researcher's data pages in a real browser", .serialized)
struct ConsoleResearcherBrowserTests {
    static let shots = ConsoleBrowserTests.shots

    @Test("search a region through the form, open a variant whose chart equals the API's answer, zoom and pan the region viewer")
    func searchToChartToViewer() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data, disclosure: ConsoleResearcherRoutesTests.disclosure) { gateway in
            let me = "researcher-jp"
            let run = try await BrowserHarness.run([
                .open("/console/search", as: me),                                                      // 0
                .fill("form.search input[name=q]", with: "1:1-5000", as: me),                         // 1
                .select("form.search select[name=qc]", value: "", as: me),                            // 2
                .screenshot(Self.shots + "/researcher-search.png", as: me),                           // 3
                .submit("form.search", as: me),                                                       // 4
                .count("tr.variant", as: me),                                                         // 5
                .screenshot(Self.shots + "/researcher-variants.png", as: me),                         // 6
                .click(#"tr.variant[data-variant="1:1000:A>G"] a"#, as: me),                          // 7
                .html(as: me),                                                                        // 8
                .screenshot(Self.shots + "/researcher-variant.png", as: me),                          // 9
                .click("a.to-region", as: me),                                                        // 10
                .text("h1", as: me),                                                                  // 11
                .click("nav.region-nav a.zoom-out", as: me),                                          // 12
                .text("h1", as: me),                                                                  // 13
                .click("nav.region-nav a.pan-right", as: me),                                         // 14
                .text("h1", as: me),                                                                  // 15
                .attribute("data-position", of: "svg a.mark", as: me),                                // 16
                .screenshot(Self.shots + "/researcher-region.png", as: me),                           // 17
                .open("/console/cohort", as: me),                                                     // 18
                .screenshot(Self.shots + "/researcher-cohort.png", as: me),                           // 19
                .open("/console/variant?variant=1:1000:A%3EG&lang=ja", as: me),                       // 20
                .screenshot(Self.shots + "/researcher-variant-ja.png", as: me),                       // 21
                .open("/console/variant?variant=1:1000:A%3EG", as: "auditor"),                        // 22
            ], against: gateway)
            let results = run.results
            let failed = results.enumerated().filter { !$0.element.ok }.map { "\($0.offset): \($0.element.error ?? "")" }
            #expect(failed.isEmpty, "\(failed)")
            #expect(results[4].status == 200 && results[4].url?.hasSuffix("/console/variants?region=1:1-5000") == true, "\(results[4])")
            #expect(results[5].count == 2, "1:1000 A>G and 1:3000 G>A are listed; the rare ones are not")
            #expect(results[7].status == 200 && results[7].url?.contains("/console/variant?variant=1:1000:A%3EG") == true, "\(results[7])")

            // The chart's numbers, read from the page the browser shows, equal the API's answer.
            let client = try await gateway.client(me)
            let api = try await offThread { try client.request("GET", "/api/aggregate/allele-frequency?referenceName=1&start=999&referenceBases=A&alternateBases=G") }
            let variant = try #require((try api.json()["variants"] as? [[String: Any]])?.first)
            let bars = ConsoleResearcherRoutesTests.bars(try #require(results[8].html))
            let strata = try #require(variant["strata"] as? [[String: Any]])
            #expect(bars.count == strata.count + 1 && bars.count > 2, "\(bars.keys.sorted())")
            #expect(ConsoleResearcherRoutesTests.same(bars["total"]?.frequency, (variant["total"] as? [String: Any])?["alleleFrequency"]))
            for stratum in strata {
                let key = "\((stratum["cancerType"] as? [String: Any])?["id"] as? String ?? "")|\(stratum["tissue"] as? String ?? "")"
                #expect(ConsoleResearcherRoutesTests.same(bars[key]?.frequency, stratum["alleleFrequency"]), "\(key)")
                #expect(bars[key]?.alleleCount == ConsoleResearcherRoutesTests.written(stratum["alleleCount"]), "\(key)")
            }

            #expect(results[11].text?.contains("1:500-1500") == true, "\(results[11].text ?? "")")
            #expect(results[13].text?.contains("1:1-2002") == true, "zoomed out, stopped at position 1: \(results[13].text ?? "")")
            #expect(results[15].text?.contains("1:1002-3003") == true, "panned right by half a window: \(results[15].text ?? "")")
            #expect(results[16].value == "3000", "the window now draws 1:3000 G>A")
            #expect(results[18].status == 200 && results[20].status == 200 && results[20].text?.contains("アレル頻度") == true)
            #expect(results[22].status == 403, "an auditor gets no data page")
            for shot in ["search", "variants", "variant", "region", "cohort", "variant-ja"] {
                let png = try Data(contentsOf: URL(fileURLWithPath: Self.shots + "/researcher-\(shot).png"))
                #expect(Array(png.prefix(4)) == [0x89, 0x50, 0x4E, 0x47] && png.count > 5_000, "\(shot)")
            }
            let timings = results.enumerated().map { "\($0.offset):\(String(format: "%.2f", $0.element.seconds))" }.joined(separator: " ")
            print("researcher browser steps (s): \(timings); launch \(String(format: "%.2f", run.launchSeconds)), total \(String(format: "%.2f", run.totalSeconds))")
        }
    }
}
