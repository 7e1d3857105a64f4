import DisclosureControl
import Foundation
import GatewayServer
import GatewayTestSupport
import Testing
import VariantStore

/// The researcher's data pages through the real gateway over mutual TLS, on ``BeaconCohort``:
/// each page shows exactly the numbers the API answers for the same question (suppression
/// included), refuses bad parameters naming them, is refused to other roles and to an approval
/// that does not allow the query, is audited and charged like the API call, and names no person.
@Suite("Web console: the researcher's data pages")
struct ConsoleResearcherRoutesTests {
    /// Frequencies from an allele number of 18: the fixture's strata (9 or 10 people) show theirs.
    /// The list's page size (ConsoleRoutes.variantsPerPage).
    static let pageSize = 50

    static let disclosure = DisclosurePolicy(minimumAlleleNumberForFrequency: 18)

    static func get(_ client: TestTLSClient, _ path: String) async throws -> TestTLSClient.Response {
        try await offThread { try client.request("GET", path) }
    }

    /// The value of `attribute` on each element of `html` carrying `marker` (e.g. `data-key="total"`).
    static func attributes(_ html: String, _ attribute: String, where marker: String) -> [String] {
        html.components(separatedBy: "<").filter { $0.contains(marker) }.compactMap { element in
            guard let range = element.range(of: " \(attribute)=\"") else { return nil }
            return String(element[range.upperBound...].prefix { $0 != "\"" })
        }
    }

    /// The bars of a variant page's chart: key → (frequency, allele count, allele number) as written.
    static func bars(_ html: String) -> [String: (frequency: Double?, alleleCount: String?, alleleNumber: String?)] {
        var bars: [String: (Double?, String?, String?)] = [:]
        for element in html.components(separatedBy: "<g class=\"bar").dropFirst() {
            let tag = String(element.prefix { $0 != ">" })
            func value(_ name: String) -> String? {
                guard let range = tag.range(of: " \(name)=\"") else { return nil }
                return String(tag[range.upperBound...].prefix { $0 != "\"" }).replacingOccurrences(of: "&lt;", with: "<")
            }
            guard let key = value("data-key") else { continue }
            bars[key] = (value("data-frequency").flatMap(Double.init), value("data-allele-count"), value("data-allele-number"))
        }
        return bars
    }

    /// Two frequencies as the same number: equal, or both absent. (Foundation's JSON parser may
    /// read the API's shortest decimal one unit in the last place off, so within 1e-12.)
    static func same(_ a: Double?, _ b: Any?) -> Bool {
        let b = b as? Double
        guard let a, let b else { return a == nil && b == nil }
        return abs(a - b) < 1e-12
    }

    /// A count of an API answer as the page writes it: the number, or "<k".
    static func written(_ value: Any?) -> String? {
        if let number = value as? Int { return String(number) }
        return value as? String
    }

    /// No person's id (samples C01-T, participants C01) on a page.
    static func namesNoPerson(_ html: String) -> Bool {
        html.range(of: #"\bC\d{2}(-[TN])?\b"#, options: .regularExpression) == nil
    }

    @Test("the variant page: its chart and table show the API's allele frequencies by cancer type and tissue, suppression as <5")
    func variantPage() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data, disclosure: Self.disclosure) { gateway in
            let researcher = try await gateway.client("researcher-jp")
            let api = try await Self.get(researcher, "/api/aggregate/allele-frequency?referenceName=1&start=999&referenceBases=A&alternateBases=G")
            let variant = try #require((try api.json()["variants"] as? [[String: Any]])?.first)
            let page = try await Self.get(researcher, "/console/variant?variant=1:1000:A%3EG")
            #expect(page.status == 200, "\(page.text.prefix(500))")
            let bars = Self.bars(page.text)
            let total = try #require(variant["total"] as? [String: Any])
            let strata = try #require(variant["strata"] as? [[String: Any]])
            #expect(bars.count == strata.count + 1, "a bar for the total and each stratum: \(bars.keys.sorted())")
            #expect(Self.same(bars["total"]?.frequency, total["alleleFrequency"]) && bars["total"]?.alleleCount == "41")
            for stratum in strata {
                let key = "\((stratum["cancerType"] as? [String: Any])?["id"] as? String ?? "")|\(stratum["tissue"] as? String ?? "")"
                let bar = try #require(bars[key], "\(key)")
                #expect(Self.same(bar.frequency, stratum["alleleFrequency"]), "\(key)")
                #expect(bar.alleleCount == Self.written(stratum["alleleCount"]) && bar.alleleNumber == Self.written(stratum["alleleNumber"]), "\(key)")
            }
            #expect(bars["NCIT:C2955|tumour"]?.alleleCount == "<5" && bars["NCIT:C2955|tumour"]?.frequency == nil, "3 carriers read <5")
            #expect(bars["NCIT:C4872|tumour"]?.frequency == 0.5 && bars["NCIT:C2955|normal"]?.frequency == 0, "strata show their frequencies: \(bars)")
            #expect(page.text.contains("<title>Breast Carcinoma · tumour: 0.5000</title>"))
            #expect(page.text.contains("<td class=\"suppressed\">&lt;5</td>"), "the table shows the suppressed cell as <5 too")
            #expect(page.text.contains("<title>") && !page.text.contains("style="), "labelled bars, no inline style")
            #expect(Self.namesNoPerson(page.text))
            // A variant carried by 3 people: not listed, as the API lists it not.
            let rare = try await Self.get(researcher, "/console/variant?variant=1:2000:C>T")
            #expect(rare.status == 200 && rare.text.contains("class=\"empty\"") && !rare.text.contains("<g class=\"bar"))
            // Filters: the breast carcinoma tumours alone, as the API's filters answer.
            let breast = try await Self.get(researcher, "/console/variant?variant=chr1:1000:A>G&cancer=NCIT:C4872&qc=pass")
            let breastAPI = try await Self.get(researcher, "/api/aggregate/allele-frequency?referenceName=1&start=999&referenceBases=A&alternateBases=G&filters=NCIT:C4872,genomegate:qc-pass")
            let breastTotal = try #require(((try breastAPI.json()["variants"] as? [[String: Any]])?.first?["total"]) as? [String: Any], "\(breastAPI.text)")
            #expect(Self.bars(breast.text)["total"]?.alleleCount == Self.written(breastTotal["alleleCount"]) && Self.written(breastTotal["alleleCount"]) == "20")
            #expect(breast.text.contains(#"<option value="NCIT:C4872" selected>"#) && breast.text.contains(#"<option value="pass" selected>"#))
            // Ten breast tumours are below the minimum cohort: refused as the API refuses them.
            let small = try await Self.get(researcher, "/console/variant?variant=chr1:1000:A>G&cancer=NCIT:C4872&tissue=tumour")
            #expect(small.status == 403 && small.text.contains(#"data-code="cohort_too_small""#), "\(small.text.prefix(300))")
        }
    }

    @Test("the variant list of a region: totals as the API's strata=false answer, rare variants not listed, links to each variant and the viewer")
    func variantList() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data, disclosure: Self.disclosure) { gateway in
            let researcher = try await gateway.client("researcher-jp")
            let page = try await Self.get(researcher, "/console/variants?region=1:1-5000")
            #expect(page.status == 200, "\(page.text.prefix(500))")
            #expect(Self.attributes(page.text, "data-variant", where: "tr class=\"variant\"") == ["1:1000:A&gt;G", "1:3000:G&gt;A"])
            let api = try await Self.get(researcher, "/api/aggregate/allele-frequency?referenceName=1&start=0&end=5000&strata=false")
            let variants = try #require(try api.json()["variants"] as? [[String: Any]])
            for variant in variants {
                let total = try #require(variant["total"] as? [String: Any])
                let name = "1:\((variant["start"] as? Int ?? 0) + 1):\(variant["referenceBases"] ?? "")&gt;\(variant["alternateBases"] ?? "")"
                let row = try #require(page.text.components(separatedBy: "<tr class=\"variant\"").first { $0.contains("data-variant=\"\(name)\"") }, "\(name)")
                #expect(row.contains("<td class=\"\">\(Self.written(total["alleleCount"]) ?? "?")</td><td class=\"\">\(Self.written(total["alleleNumber"]) ?? "?")</td>"), "\(row)")
                let frequency = String(format: "%.4f", total["alleleFrequency"] as? Double ?? -1)
                #expect(row.contains(">\(frequency)<"), "\(row)")
            }
            #expect(page.text.contains(#"href="/console/variant?variant=1:1000:A%3EG""#) && page.text.contains(#"href="/console/region?region=1:1-5000""#))
            #expect(Self.namesNoPerson(page.text))
            let empty = try await Self.get(researcher, "/console/variants?region=2:1-5000")
            #expect(empty.status == 200 && empty.text.contains("class=\"empty\""))
        }
    }

    /// A data folder of 30 cases (tumour and normal, breast carcinoma) and `variants` SNVs on
    /// chromosome 1 at 100, 200, ..., each carried by every sample.
    static func manyVariantsFolder(_ variants: Int) throws -> String {
        let folder = DevPKI.temporaryFolder("console-many-variants")
        var sheet = "sample_id\tparticipant_id\tdataset_id\ttissue\tcancer_type_id\tcancer_type_label\toverseas_consent\tmapping_rate\tduplicate_rate\tmean_insert_size\tmean_depth\tnt_check\n"
        var samples: [String] = []
        for number in 1...30 {
            for tissue in ["tumour", "normal"] {
                let sample = String(format: "P%02d-%@", number, tissue == "tumour" ? "T" : "N")
                samples.append(sample)
                sheet += [sample, String(format: "P%02d", number), "demo-wgs", tissue, "NCIT:C4872", "Breast Carcinoma", "no",
                          "99.9", "10.0", "450", tissue == "tumour" ? "130.0" : "35.0", "pass"].joined(separator: "\t") + "\n"
            }
        }
        var vcf = "##fileformat=VCFv4.2\n##contig=<ID=1,length=248956422>\n##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n"
        vcf += "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t" + samples.joined(separator: "\t") + "\n"
        for index in 1...variants {
            vcf += "1\t\(index * 100)\t.\tA\tG\t.\tPASS\t.\tGT\t" + samples.map { _ in "0/1" }.joined(separator: "\t") + "\n"
        }
        try sheet.write(toFile: folder + "/samples.tsv", atomically: true, encoding: .utf8)
        try vcf.write(toFile: folder + "/cohort.vcf", atomically: true, encoding: .utf8)
        let store = try VariantDatabase(folder: folder + "/data")
        _ = try store.ingest(file: folder + "/cohort.vcf", dataset: "demo-wgs", sampleSheet: folder + "/samples.tsv")
        return folder + "/data"
    }

    @Test("a region with more variants than a page: 50 a page, the next page starts at the first variant not shown")
    func variantPages() async throws {
        try await TestGateway.with(dataDirectory: try Self.manyVariantsFolder(60)) { gateway in
            let researcher = try await gateway.client("researcher-jp")
            let first = try await Self.get(researcher, "/console/variants?region=1:1-100000&qc=pass")
            #expect(first.status == 200, "\(first.text.prefix(400))")
            let shown = Self.attributes(first.text, "data-variant", where: "tr class=\"variant\"")
            #expect(shown.count == Self.pageSize && shown.first == "1:100:A&gt;G" && shown.last == "1:5000:A&gt;G")
            #expect(first.text.contains(#"<a href="/console/variants?region=1:5100-100000&amp;qc=pass" rel="next""#), "\(first.text)")
            let second = try await Self.get(researcher, "/console/variants?region=1:5100-100000&qc=pass")
            let rest = Self.attributes(second.text, "data-variant", where: "tr class=\"variant\"")
            #expect(rest.count == 10 && rest.first == "1:5100:A&gt;G" && !second.text.contains(#"rel="next""#))
            let viewer = try await Self.get(researcher, "/console/region?region=1:1-100000")
            #expect(Self.attributes(viewer.text, "data-position", where: "a href=\"/console/variant").count == 60, "the viewer draws up to 200")
        }
    }

    @Test("the region viewer: marks at the variants' positions, ticks, zoom and pan links clamped to the chromosome")
    func regionViewer() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data, disclosure: Self.disclosure) { gateway in
            let researcher = try await gateway.client("researcher-jp")
            let page = try await Self.get(researcher, "/console/region?region=1:1-5000")
            #expect(page.status == 200, "\(page.text.prefix(500))")
            #expect(Self.attributes(page.text, "data-position", where: "a href=\"/console/variant") == ["1000", "3000"])
            #expect(Self.attributes(page.text, "data-position", where: "g class=\"tick\"") == stride(from: 500, through: 5000, by: 500).map(String.init), "ticks every 500")
            #expect(page.text.contains(#"class="zoom-in" href="/console/region?region=1:1251-3750""#), "\(page.text)")
            #expect(page.text.contains(#"class="zoom-out" href="/console/region?region=1:1-10000""#))
            #expect(page.text.contains(#"<span class="pan-left disabled">"#), "no panning left of position 1")
            #expect(page.text.contains(#"class="pan-right" href="/console/region?region=1:2501-7500""#))
            let end = try await Self.get(researcher, "/console/region?region=chr1:248956000-248999999")
            #expect(end.status == 200 && end.text.contains("<code>chr1:248912423-248956422</code>"), "moved onto the chromosome")
            #expect(Self.namesNoPerson(page.text))
        }
    }

    @Test("the cohort summary: the API's counts by cancer type and tissue and its QC table")
    func cohortPage() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data) { gateway in
            let researcher = try await gateway.client("researcher-jp")
            let page = try await Self.get(researcher, "/console/cohort")
            #expect(page.status == 200, "\(page.text.prefix(500))")
            let api = try await Self.get(researcher, "/api/aggregate/cohort-summary")
            let body = try api.json()
            #expect(page.text.contains(#"<dd class="cohort-samples">58</dd>"#) && page.text.contains(#"<dd class="cohort-participants">29</dd>"#))
            let bars = Dictionary(uniqueKeysWithValues: zip(Self.attributes(page.text, "data-key", where: "g class=\"bar"),
                                                            Self.attributes(page.text, "data-label", where: "g class=\"bar")))
            for stratum in try #require(body["strata"] as? [[String: Any]]) {
                let key = "\((stratum["cancerType"] as? [String: Any])?["id"] as? String ?? "")|\(stratum["tissue"] as? String ?? "")"
                #expect(bars[key] != nil, "\(key)")
                #expect(page.text.contains("<title>\(bars[key] ?? ""): \(Self.written(stratum["samples"]) ?? "?")</title>"), "\(key)")
            }
            let qc = try #require((body["qualityControl"] as? [[String: Any]])?.first { $0["tissue"] as? String == "tumour" })
            let depth = try #require(qc["meanDepth"] as? [String: Any])
            #expect(page.text.contains(#"data-tissue="tumour" data-metric="meanDepth""#))
            #expect(page.text.contains("<td>\(String(format: "%.1f", depth["median"] as? Double ?? -1))</td>"))
            #expect(Self.namesNoPerson(page.text))
        }
    }

    @Test("the search leads to the list, a gene's span or a variant's page; an unknown gene is refused naming it and close names")
    func search() async throws {
        try await TestGateway.with(dataDirectory: try BeaconCohort.makeDataFolder()) { gateway in
            let researcher = try await gateway.client("researcher-jp")
            let form = try await Self.get(researcher, "/console/search")
            #expect(form.status == 200 && form.text.contains(#"<option value="NCIT:C4872">Breast Carcinoma (NCIT:C4872)</option>"#), "\(form.text.prefix(300))")
            #expect(form.text.contains(#"href="/console/variants?region=chr17:7661779-7687546">TP53</a>"#))
            for (query, location) in [("chr1:1-5000&tissue=tumour", "/console/variants?region=chr1:1-5000&tissue=tumour"),
                                      ("tp53", "/console/variants?region=chr17:7661779-7687546"),
                                      ("1:1000:A%3EG&lang=ja", "/console/variant?variant=1:1000:A%3EG&lang=ja")] {
                let answer = try await Self.get(researcher, "/console/search?q=\(query)")
                #expect(answer.status == 303 && answer.headers["location"] == location, "\(query): \(answer.headers)")
            }
            let unknown = try await Self.get(researcher, "/console/search?q=TP35")
            #expect(unknown.status == 400 && unknown.text.contains("TP35") && unknown.text.contains("close names: TP53"), "\(unknown.text)")
        }
    }

    @Test("bad parameters are refused naming them; a region too wide too", arguments: [
        ("/console/variants?region=chr1:1-3000000", "is 3,000,000 bases wide"), ("/console/region?region=chr1:1-2000001", "region"),
        ("/console/variants?region=chr1", "region"), ("/console/variants?region=1:1-10&tissue=liver", "tissue"),
        ("/console/variant?variant=1:1000:A", "variant"), ("/console/variant?variant=1:1000:A%3EG&qc=fail", "qc"),
        ("/console/cohort?cancer=%3Cb%3E", "cancer"), ("/console/cohort?cancer=NCIT:C9999", "NCIT:C9999"),
        ("/console/region?region=1:1-10&zoom=2", "zoom"), ("/console/search?q=%3Cscript%3E", "q"),
        ("/console/cohort?approval=..%2F", "approval"),
    ])
    func badParameters(path: String, named: String) async throws {
        try await TestGateway.with(dataDirectory: try BeaconCohort.makeDataFolder()) { gateway in
            let page = try await gateway.get(path, as: "researcher-jp")
            #expect(page.status == 400 && page.text.contains(#"data-code="bad_request""#) && page.text.contains(named), "\(path): \(page.text)")
            #expect(!page.text.contains("<script") && !page.text.contains("<b>"))
        }
    }

    @Test("other roles are refused every data page; an approval that does not allow the query kind is refused as the API refuses it")
    func refusals() async throws {
        try await TestGateway.with(dataDirectory: try BeaconCohort.makeDataFolder()) { gateway in
            let pages = ["/console/search", "/console/variants?region=1:1-5000", "/console/variant?variant=1:1000:A%3EG",
                         "/console/region?region=1:1-5000", "/console/cohort"]
            for role in ["auditor", "secretariat"] {
                for path in pages {
                    let refused = try await gateway.get(path, as: role)
                    #expect(refused.status == 403 && refused.text.contains(#"data-code="role_forbidden""#), "\(role) \(path)")
                }
            }
            let secretariat = try await gateway.client("secretariat")
            let narrowed = try await PolicyAPITests.send(secretariat, "PATCH", "/api/admin/approvals/A-2026-001",
                                                         json: ["scope": ["datasets": ["demo-wgs"], "query_kinds": ["beacon-count"]]])
            #expect(narrowed.status == 200)
            let researcher = try await gateway.client("researcher-jp")
            let api = try await Self.get(researcher, "/api/aggregate/allele-frequency?referenceName=1&start=999&alternateBases=G")
            #expect(api.status == 403 && PolicyAPITests.errorCode(api) == "out_of_scope_query")
            for path in pages {
                let refused = try await Self.get(researcher, path)
                #expect(refused.status == 403 && refused.text.contains(#"data-code="out_of_scope_query""#), "\(path): \(refused.text.prefix(400))")
            }
        }
    }

    @Test("a page is audited and charged to the disclosure ledger like the API call it shows")
    func auditedAndCharged() async throws {
        var privacy = GatewayConfiguration.Privacy()
        privacy.approvalBudget = 50
        try await TestGateway.with(dataDirectory: try BeaconCohort.makeDataFolder(), disclosure: Self.disclosure, privacy: privacy) { gateway in
            let researcher = try await gateway.client("researcher-jp")
            let before = try await PrivacyLedgerGatewayTests.spent(researcher)
            let page = try await Self.get(researcher, "/console/variant?variant=1:3000:G%3EA")
            #expect(page.status == 200, "\(page.text.prefix(400))")
            let afterPage = try await PrivacyLedgerGatewayTests.spent(researcher)
            #expect(afterPage > before, "the page is charged")
            let api = try await Self.get(researcher, "/api/aggregate/allele-frequency?referenceName=1&start=2999&referenceBases=G&alternateBases=A")
            #expect(api.status == 200)
            #expect(try await PrivacyLedgerGatewayTests.spent(researcher) == afterPage, "the API's same question after the page is free: the same release")
            #expect(Self.same(Self.bars(page.text)["total"]?.frequency, ((try api.json()["variants"] as? [[String: Any]])?.first?["total"] as? [String: Any])?["alleleFrequency"]),
                    "with noise on, the page and the API still show the same numbers: \(Self.bars(page.text)) \(api.text)")
            let auditor = try await gateway.client("auditor")
            let records = try await Self.get(auditor, "/api/audit/records?member=researcher-jp").text
            let line = try #require(records.split(separator: "\n").first { $0.contains(#""kind":"console-variant""#) }, "\(records)")
            #expect(line.contains(#""contributing_samples":58"#) && line.contains("privacy_charge_micro"), "\(line)")
        }
    }
}
