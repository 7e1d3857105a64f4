import DisclosureControl
import Foundation
import GatewayTestSupport
import Testing

/// The researcher's data pages on the quickstart's demo cohort (`genomegate demo-data`, 200
/// samples, 5,000 sites): each page answers, with a variant, its strata and the region around
/// it, and names no sample or participant. (The pages' timings are a benchmark,
/// scripts/bench-console, not a test.)
@Suite("Web console: the researcher's pages on the demo cohort")
struct ConsoleResearcherDemoCohortTests {
    @Test("every data page answers on the demo cohort and names no sample or participant")
    func demoCohortPages() async throws {
        let folder = DevPKI.temporaryFolder("console-demo")
        let binary = CommandLineTests.binary
        let written = try await Subprocess.run([binary, "demo-data", "--samples", "200", "--sites", "5000", "--seed", "42", "--out", folder + "/demo"])
        #expect(written.status == 0, "\(written.stderr)")
        let ingested = try await Subprocess.run([binary, "ingest", folder + "/demo/cohort.vcf", "--dataset", "demo-wgs",
                                                 "--samples", folder + "/demo/samples.tsv", "--data-dir", folder + "/data"])
        #expect(ingested.status == 0, "\(ingested.stderr)")
        // A common biallelic site: carried by many, so that it is listed.
        let vcf = try String(contentsOfFile: folder + "/demo/cohort.vcf", encoding: .utf8)
        let site = try #require(vcf.split(separator: "\n").first { line in
            guard !line.hasPrefix("#") else { return false }
            let fields = line.split(separator: "\t")
            return fields.count > 9 && !fields[4].contains(",") && fields[3].count == 1 && fields[4].count == 1
                && fields.dropFirst(9).filter { $0.contains("1") }.count > 60
        })
        let fields = site.split(separator: "\t").map(String.init)
        let position = Int(fields[1]) ?? 0
        let variant = "\(fields[0]):\(position):\(fields[3])%3E\(fields[4])"
        // Every sample's and participant's id, none of which may appear on a page.
        let sheet = try String(contentsOfFile: folder + "/demo/samples.tsv", encoding: .utf8).split(separator: "\n").dropFirst()
        let ids = Set(sheet.flatMap { $0.split(separator: "\t").prefix(2).map(String.init) })
        #expect(ids.count > 200)
        let region = "\(fields[0]):\(max(1, position - 1_000_000))-\(position + 999_999)"
        try await TestGateway.with(dataDirectory: folder + "/data", disclosure: DisclosurePolicy(minimumAlleleNumberForFrequency: 50)) { gateway in
            let researcher = try await gateway.client("researcher-jp")
            for (name, path) in [("search", "/console/search"), ("variants", "/console/variants?region=\(region)"),
                                 ("variant", "/console/variant?variant=\(variant)"), ("region", "/console/region?region=\(region)"),
                                 ("cohort", "/console/cohort")] {
                let page = try await ConsoleResearcherRoutesTests.get(researcher, path)
                #expect(page.status == 200, "\(name): \(page.text.prefix(400))")
                switch name {
                case "variant": #expect(page.text.contains("<g class=\"bar") && page.text.contains("data-key=\"total\""), "\(page.text.prefix(2000))")
                case "variants": #expect(page.text.contains("<tr class=\"variant\""))
                case "region": #expect(page.text.contains("class=\"mark "))
                default: break
                }
                #expect(!page.text.contains("style=\"") && !page.text.contains("<script"), "\(name): nothing the CSP would block")
                let named = ids.filter { page.text.contains($0) }
                #expect(named.isEmpty, "\(name) names \(named.sorted().prefix(3))")
            }
        }
    }
}
