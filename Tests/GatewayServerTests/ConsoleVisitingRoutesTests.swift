import Foundation
import GatewayServer
import GatewayTestSupport
import Testing

/// The visiting-analysis pages through the real gateway over mutual TLS, on ``BeaconCohort``
/// (the minimum group lowered to 8, as ``VisitingJobsTests``): a job submitted through the
/// console's form is the API's job, its result page shows the API's figures and is released
/// (decided, checked, charged, audited as `analysis:NAME`) by the same code; forms are guarded;
/// bad parameters are named; another member's job is a 404 page and other roles get 403.
@Suite("Web console: visiting analyses through the gateway")
struct ConsoleVisitingRoutesTests {
    static let sameOrigin = [("Origin", "https://localhost"), ("Sec-Fetch-Site", "same-origin")]
    static let association = "/console/analyses/allelic-association"
    static let associationFields = "approval=A-2026-001&region.referenceName=1&region.start=1&region.end=5000&cases=NCIT%3AC4872&controls="

    static func get(_ client: TestTLSClient, _ path: String, headers: [(String, String)] = []) async throws -> TestTLSClient.Response {
        try await ConsoleRoutesTests.get(client, path, headers: headers)
    }

    /// Opens `form`'s page and posts `fields` with its token; the answer.
    static func submit(_ client: TestTLSClient, _ form: String, _ fields: String, headers: [(String, String)] = sameOrigin) async throws -> TestTLSClient.Response {
        let page = try await get(client, form)
        #expect(page.status == 200, "\(page.text.prefix(500))")
        let token = try ConsoleRoutesTests.token(page.text, action: form)
        return try await ConsoleRoutesTests.post(client, form, "token=\(token)&\(fields)", headers: headers)
    }

    /// The job id a 303 to its page names.
    static func jobID(_ response: TestTLSClient.Response) throws -> String {
        #expect(response.status == 303, "\(response.text.prefix(800))")
        let location = try #require(response.headers["location"])
        #expect(location.hasPrefix("/console/analyses/jobs/"))
        return String(location.dropFirst("/console/analyses/jobs/".count).prefix(32))
    }

    static func jobs(_ client: TestTLSClient) async throws -> [[String: Any]] {
        try (try await PolicyAPITests.send(client, "GET", "/api/visiting/jobs")).json()["jobs"] as? [[String: Any]] ?? []
    }

    static func auditLines(_ gateway: TestGateway, containing path: String) async throws -> [String] {
        let auditor = try await gateway.client("auditor")
        let records = try await PolicyAPITests.send(auditor, "GET", "/api/audit/records")
        return records.text.split(separator: "\n").map(String.init).filter { $0.contains(#""path":"\#(path)""#) }
    }

    @Test("submitted through the form, the job runs; its page refreshes until it has finished, then links the result; the result page shows the API's figures and is audited as the API's release")
    func submitRunRelease() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data, disclosure: VisitingJobsTests.disclosure) { gateway in
            let researcher = try await gateway.client("researcher-jp")
            let catalogue = try await Self.get(researcher, "/console/analyses")
            #expect(catalogue.status == 200, "\(catalogue.text.prefix(500))")
            for name in ["allelic-association", "burden", "co-occurrence", "strata-frequencies", "qc-distributions"] {
                #expect(catalogue.text.contains(#"id="analysis-\#(name)""#) && catalogue.text.contains(#"href="/console/analyses/\#(name)""#), "\(name)")
            }
            #expect(catalogue.text.contains("Airlock rules") && !catalogue.text.contains(#"class="job "#), "the catalogue, no job yet")
            let form = try await Self.get(researcher, Self.association)
            #expect(form.text.contains(#"<option value="A-2026-001""#) && form.text.contains(#"name="region.start" type="number""#), "\(form.text)")
            #expect(form.text.contains(#"name="cases""#) && form.text.contains("at most 10000000 bases"), "fields with their bounds")

            let id = try Self.jobID(try await Self.submit(researcher, Self.association, Self.associationFields))
            let status = try await VisitingJobsTests.finished(researcher, id)
            #expect(status["state"] as? String == "succeeded" && status["analysis"] as? String == "allelic-association", "\(status)")
            #expect(status["approval"] as? String == "A-2026-001")
            let job = try await Self.get(researcher, "/console/analyses/jobs/\(id)")
            #expect(job.status == 200 && job.text.contains(#"<dd class="state">succeeded</dd>"#), "\(job.text)")
            #expect(!job.text.contains("http-equiv=\"refresh\"") && !job.text.contains(#"class="cancel""#), "a finished job neither refreshes nor cancels")
            #expect(job.text.contains(#"href="/console/analyses/jobs/\#(id)/result""#))
            let listed = try await Self.get(researcher, "/console/analyses")
            #expect(listed.text.contains(#"id="job-\#(id)""#) && listed.text.contains(#"href="/console/analyses/jobs/\#(id)/result""#))

            let page = try await Self.get(researcher, "/console/analyses/jobs/\(id)/result")
            #expect(page.status == 200 && page.headers["content-security-policy"] != nil, "\(page.text.prefix(500))")
            let apiResponse = try await PolicyAPITests.send(researcher, "GET", "/api/visiting/jobs/\(id)/result")
            let api = try apiResponse.json()
            #expect(page.text.contains(#"<dd class="contributing">\#(api["contributingPeople"] as? Int ?? -1)</dd>"#))
            let variants = try VisitingJobsTests.variants(api)
            #expect(variants.count == 2)
            for (name, variant) in variants {
                let row = try #require(Self.row(page.text, containing: "<td class=\"variant\">\(name)</td>"), "\(name) has a row")
                let table = try #require(variant["table"] as? [[Int]])
                #expect(row.contains("<td>cases</td><td>\(table[0][0])</td><td>\(table[0][1])</td>"), "\(row)")
                #expect(row.contains("<td>controls</td><td>\(table[1][0])</td><td>\(table[1][1])</td>"), "\(row)")
                for (key, cell) in [("pFisher", "p-fisher"), ("chiSquare", "chi-square"), ("pChiSquare", "p-chi-square"), ("oddsRatio", "odds-ratio")] {
                    #expect(variant[key] is Double, "\(key) released")
                    // Against the API's own text (Foundation's JSON reader on Linux may round the last bit differently).
                    let shown = try #require(Self.dataValue(row, cell: cell), "\(cell) in \(row)")
                    let literals = Self.literals(apiResponse.text, key: key).compactMap(Double.init)
                    #expect(Double(shown).map(literals.contains) == true, "\(key): \(shown) vs \(literals)")
                }
            }
            #expect(page.text.contains(#"id="airlock-notes""#) && page.text.contains("Every output passed the airlock"))
            #expect(!page.text.contains("nil"), "no absent value printed as nil")
            #expect(!page.text.contains("C01") && !page.text.contains("-N<"), "no sample or participant id")
            let records = try await Self.auditLines(gateway, containing: "/console/analyses/jobs/\(id)/result")
            #expect(records.count == 1 && records[0].contains(#""kind":"analysis:allelic-association""#), "\(records)")
            #expect(records[0].contains(#""airlock":"released 2 of 2 outputs""#) && records[0].contains("analysis=allelic-association&job=\(id)"), "\(records)")
            let submitted = try await Self.auditLines(gateway, containing: Self.association)
            #expect(submitted.contains { $0.contains(#""method":"POST""#) && $0.contains(#""kind":"visiting-job""#) && $0.contains("NCIT:C4872") }, "\(submitted)")
        }
    }

    @Test("every analysis's form submits the API's job, and its result page shows its tables, histograms and airlock notes", arguments: [
        ("burden", "units=G1+1%3A900-1100&cases=NCIT%3AC4872&variantTypes=&maximumFrequency=&passOnly=true", "disclosive-table"),
        ("co-occurrence", "variants=1%3A1000%3AA%3AG%0D%0A1%3A3000%3AG%3AA&units=&cancerTypes=", "disclosive-table"),
        ("strata-frequencies", "region.referenceName=1&region.start=1&region.end=5000&cancerTypes=", "<table class=\"nested\">"),
        ("qc-distributions", "cancerTypes=", "<svg class=\"histogram\""),
    ])
    func everyAnalysis(analysis: String, fields: String, shows: String) async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data, disclosure: VisitingJobsTests.disclosure) { gateway in
            let researcher = try await gateway.client("researcher-jp")
            let id = try Self.jobID(try await Self.submit(researcher, "/console/analyses/\(analysis)", "approval=A-2026-001&" + fields))
            #expect(try await VisitingJobsTests.finished(researcher, id)["state"] as? String == "succeeded")
            let page = try await Self.get(researcher, "/console/analyses/jobs/\(id)/result")
            #expect(page.status == 200 && page.text.contains(shows), "\(page.text)")
            #expect(!page.text.contains("style="), "no inline style (the CSP blocks it)")
            #expect(!page.text.contains("nil"), "no absent value printed as nil")
            let api = try await PolicyAPITests.send(researcher, "GET", "/api/visiting/jobs/\(id)/result")
            if api.text.contains(#""rule":"disclosive-table""#) {
                #expect(page.text.contains(#"<tr class="note-row rule-disclosive-table">"#), "the masking is in the notes: \(page.text)")
            }
            let japanese = try await Self.get(researcher, "/console/analyses/jobs/\(id)/result?lang=ja")
            #expect(japanese.text.contains("エアロックの記録"))
        }
    }

    @Test("the form is guarded: a post without a token, with a used one, with another form's or from another site is refused and queues nothing")
    func guardedForm() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data, disclosure: VisitingJobsTests.disclosure) { gateway in
            let researcher = try await gateway.client("researcher-jp")
            let tokenless = try await ConsoleRoutesTests.post(researcher, Self.association, Self.associationFields, headers: Self.sameOrigin)
            #expect(tokenless.status == 403 && tokenless.text.contains(#"data-code="cross_site_request""#), "\(tokenless.text)")
            for headers in [[("Sec-Fetch-Site", "cross-site")], [("Origin", "https://evil.example")]] {
                let forged = try await Self.submit(researcher, Self.association, Self.associationFields, headers: headers)
                #expect(forged.status == 403 && forged.text.contains("posted from another"), "\(headers): \(forged.text)")
            }
            let qcToken = try ConsoleRoutesTests.token(try await Self.get(researcher, "/console/analyses/qc-distributions").text,
                                                       action: "/console/analyses/qc-distributions")
            let misused = try await ConsoleRoutesTests.post(researcher, Self.association, "token=\(qcToken)&\(Self.associationFields)", headers: Self.sameOrigin)
            #expect(misused.status == 403, "another form's token")
            #expect(try await Self.jobs(researcher).isEmpty, "nothing was queued")

            let page = try await Self.get(researcher, Self.association)
            let token = try ConsoleRoutesTests.token(page.text, action: Self.association)
            let first = try await ConsoleRoutesTests.post(researcher, Self.association, "token=\(token)&\(Self.associationFields)", headers: Self.sameOrigin)
            _ = try Self.jobID(first)
            let replayed = try await ConsoleRoutesTests.post(researcher, Self.association, "token=\(token)&\(Self.associationFields)", headers: Self.sameOrigin)
            #expect(replayed.status == 403, "a token is used once")
            #expect(try await Self.jobs(researcher).count == 1)
        }
    }

    @Test("a bad parameter gets the form again (400) with the API's message naming it, the field marked and what was entered kept; nothing is queued", arguments: [
        ("region.start=abc&region.end=5000&cases=NCIT%3AC4872", "allelic-association parameter region.start must be a whole number", "region.start"),
        ("region.start=10&region.end=5&cases=NCIT%3AC4872", "allelic-association parameter region.end must be a whole number of at least region.start", "region.end"),
        ("region.start=1&region.end=20000000&cases=NCIT%3AC4872", "allelic-association parameter region covers 20000000 bases", "region.referenceName"),
        ("region.start=1&region.end=5000&cases=", "allelic-association parameter cases must be a list", "cases"),
        ("region.start=1&region.end=5000&cases=NCIT%3AC4872&controls=NCIT%3AC4872", "parameter controls names NCIT:C4872, which is also a case", "controls"),
        ("region.start=99999999999999999999999&region.end=5000&cases=NCIT%3AC4872", "allelic-association parameter region.start must be a whole number", "region.start"),
    ])
    func badParameter(fields: String, message: String, field: String) async throws {
        try await Self.refused(analysis: "allelic-association", "approval=A-2026-001&region.referenceName=1&" + fields, message: message, field: field)
    }

    @Test("the other forms name their parameters too: a unit line, a frequency, a yes/no, variants with units", arguments: [
        ("burden", "units=G1+1%3A900&cases=NCIT%3AC4872", "burden parameter units[0] must be a line NAME CHROM:START-END", "units"),
        ("burden", "units=G1+1%3A900-1100%0D%0AG2+1%3A1000-1200&cases=NCIT%3AC4872", "burden parameter units[1] overlaps units[0] (G1)", "units"),
        ("burden", "units=G1+1%3A900-1100&cases=NCIT%3AC4872&maximumFrequency=0.9", "burden parameter maximumFrequency must be a number above 0 and at most 0.5", "maximumFrequency"),
        ("burden", "units=G1+1%3A900-1100&cases=NCIT%3AC4872&maximumFrequency=1e-3", "burden parameter maximumFrequency must be a number above 0 and at most 0.5", "maximumFrequency"),
        ("burden", "units=G1+1%3A900-1100&cases=NCIT%3AC4872&passOnly=maybe", "burden parameter passOnly must be true or false", "passOnly"),
        ("co-occurrence", "variants=1%3A1000%3AA%3AG%0D%0A1%3A3000%3AG%3AA&units=G1+1%3A900-1100%0D%0AG2+1%3A2000-2100", "co-occurrence parameter units cannot be given with variants", "units"),
        ("co-occurrence", "variants=1%3A1000%3AA%3AG", "co-occurrence parameter variants must be a list of 2 to 20 variants", "variants"),
        ("strata-frequencies", "region.referenceName=1&region.start=1&region.end=2000000", "strata-frequencies parameter region covers 2000000 bases", "region.referenceName"),
        ("qc-distributions", "cancerTypes=NCIT%3AC4872&extra=1", "qc-distributions has no form field &#39;extra&#39;", ""),
    ])
    func otherForms(analysis: String, fields: String, message: String, field: String) async throws {
        try await Self.refused(analysis: analysis, "approval=A-2026-001&" + fields, message: message, field: field)
    }

    /// Submits `fields` to `analysis`'s form; expects the form again naming `message` with `field` marked.
    static func refused(analysis: String, _ fields: String, message: String, field: String) async throws {
        let form = "/console/analyses/\(analysis)"
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data, disclosure: VisitingJobsTests.disclosure) { gateway in
            let researcher = try await gateway.client("researcher-jp")
            let refused = try await Self.submit(researcher, form, fields)
            #expect(refused.status == 400 && refused.text.contains(#"data-code="bad_request""#), "\(refused.text.prefix(800))")
            #expect(refused.text.contains(message.replacingOccurrences(of: "'", with: "&#39;")), "\(refused.text)")
            if field.isEmpty {
                #expect(!refused.text.contains("field invalid"))
            } else {
                let invalid = try #require(refused.text.range(of: #"<p class="field invalid">"#), "\(refused.text)")
                #expect(refused.text[invalid.upperBound...].prefix(400).contains(#"name="\#(field)""#), "the named field is marked")
            }
            #expect(try ConsoleRoutesTests.token(refused.text, action: form).count == 32, "a fresh token to submit again")
            #expect(try await Self.jobs(researcher).isEmpty)
            let records = try await Self.auditLines(gateway, containing: form)
            #expect(records.contains { $0.contains(#""decision":"deny""#) && $0.contains("bad_request") && $0.contains(#""status":400"#) }, "\(records)")
        }
    }

    @Test("another member's job, a guessed id and a malformed one are 404 pages, as the API answers; auditors and the secretariat get 403; cancel is guarded and a finished job is not cancelled")
    func isolation() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data, disclosure: VisitingJobsTests.disclosure) { gateway in
            let owner = try await gateway.client("researcher-jp")
            let id = try Self.jobID(try await Self.submit(owner, Self.association, Self.associationFields))
            _ = try await VisitingJobsTests.finished(owner, id)
            let other = try await gateway.client("researcher-de")
            for path in ["/console/analyses/jobs/\(id)", "/console/analyses/jobs/\(id)/result", "/console/analyses/jobs/" + String(repeating: "0", count: 32),
                         "/console/analyses/jobs/\(id.uppercased())", "/console/analyses/jobs/x/result", "/console/analyses/no-such-analysis"] {
                let page = try await Self.get(other, path)
                #expect(page.status == 404 && page.text.contains(#"data-code="not_found""#) && page.headers["content-type"]?.hasPrefix("text/html") == true, "\(path): \(page.text)")
            }
            let api = try await PolicyAPITests.send(other, "GET", "/api/visiting/jobs/\(id)")
            let page = try await Self.get(other, "/console/analyses/jobs/\(id)")
            let message = try #require((try api.json()["error"] as? [String: Any])?["message"] as? String)
            #expect(page.text.contains(message), "the API's message: \(message)")
            #expect(try await Self.get(other, "/console/analyses").text.contains(id) == false)
            let cancel = try await ConsoleRoutesTests.post(other, "/console/analyses/jobs/\(id)/cancel", "token=x", headers: Self.sameOrigin)
            #expect(cancel.status == 403, "no token for it")
            let forged = try await ConsoleRoutesTests.post(owner, "/console/analyses/jobs/\(id)/cancel", "token=0123", headers: Self.sameOrigin)
            #expect(forged.status == 403 && forged.text.contains("cross_site_request"))
            for role in ["auditor", "secretariat"] {
                let client = try await gateway.client(role)
                for path in ["/console/analyses", Self.association, "/console/analyses/jobs/\(id)", "/console/analyses/jobs/\(id)/result"] {
                    let refused = try await Self.get(client, path)
                    #expect(refused.status == 403 && refused.text.contains(#"data-code="role_forbidden""#), "\(role) \(path)")
                }
                let posted = try await ConsoleRoutesTests.post(client, Self.association, Self.associationFields, headers: Self.sameOrigin)
                #expect(posted.status == 403)
            }
            #expect(try await Self.jobs(owner).count == 1)
        }
    }

    @Test("the result page twice costs what the API's second release costs (a repeat is free), and a withdrawal since the job ran gives the re-running page, never stale figures")
    func chargedAndRechecked() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data, disclosure: VisitingJobsTests.disclosure, privacy: .init()) { gateway in
            let researcher = try await gateway.client("researcher-jp")
            let id = try Self.jobID(try await Self.submit(researcher, Self.association, Self.associationFields))
            _ = try await VisitingJobsTests.finished(researcher, id)
            let path = "/console/analyses/jobs/\(id)/result"
            #expect(try await Self.get(researcher, path).status == 200)
            #expect(try await Self.get(researcher, path).status == 200)
            #expect(try await PolicyAPITests.send(researcher, "GET", "/api/visiting/jobs/\(id)/result").status == 200)
            let charges = try await Self.auditLines(gateway, containing: path).map(Self.charge)
            let api = try await Self.auditLines(gateway, containing: "/api/visiting/jobs/\(id)/result").map(Self.charge)
            #expect(charges.count == 2 && (charges[0] ?? 0) > 0, "the first release is charged: \(charges)")
            #expect((charges[1] ?? 0) == 0 && (api.first.flatMap { $0 } ?? 0) == 0, "repeats are free, on the page as in the API: \(charges) \(api)")

            let secretariat = try await gateway.client("secretariat")
            #expect(try await PolicyAPITests.send(secretariat, "POST", "/api/admin/withdrawals", json: ["participant_id": "C01"]).status == 201)
            let held = try await Self.get(researcher, path)
            #expect(held.status == 202 && held.text.contains("runs again on the current cohort"), "\(held.text)")
            #expect(held.text.contains(#"http-equiv="refresh" content="2; url=/console/analyses/jobs/\#(id)""#))
            #expect(!held.text.contains("<td class=\"variant\">"), "no stale figures")
            let records = try await Self.auditLines(gateway, containing: path)
            #expect(records.last?.contains(#""kind":"visiting-job-rerun""#) == true, "\(records.last ?? "")")
            #expect(try await VisitingJobsTests.finished(researcher, id)["state"] as? String == "succeeded")
            // Run again on the cohort without C01, the same tables one person apart: the ledger refuses
            // the difference (README "The airlock", release step 3), on the page as in the API.
            let rerun = try await Self.get(researcher, path)
            #expect(rerun.status == 403 && rerun.text.contains(#"data-code="differencing_refused""#), "\(rerun.text)")
            let apiRerun = try await PolicyAPITests.send(researcher, "GET", "/api/visiting/jobs/\(id)/result")
            #expect(PolicyAPITests.errorCode(apiRerun) == "differencing_refused")
        }
    }

    @Test("an unfinished job's page refreshes itself and offers Cancel: the guarded form cancels it as DELETE does (or, if it finished meanwhile, gets the API's 409)")
    func cancelThroughTheForm() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data, disclosure: VisitingJobsTests.disclosure) { gateway in
            let researcher = try await gateway.client("researcher-jp")
            var caught = 0
            for _ in 0..<10 where caught == 0 {
                let id = try Self.jobID(try await Self.submit(researcher, Self.association, Self.associationFields))
                let page = try await Self.get(researcher, "/console/analyses/jobs/\(id)")
                guard page.text.contains(#"class="cancel""#) else {
                    #expect(page.text.contains(#"<dd class="state">succeeded</dd>"#), "no Cancel only once finished: \(page.text)")
                    continue
                }
                caught += 1
                #expect(page.text.contains(#"<meta http-equiv="refresh" content="2">"#) && !page.text.contains("result-link"), "\(page.text)")
                let action = "/console/analyses/jobs/\(id)/cancel"
                let token = try ConsoleRoutesTests.token(page.text, action: action)
                let crossSite = try await ConsoleRoutesTests.post(researcher, action, "token=\(token)", headers: [("Sec-Fetch-Site", "cross-site")])
                #expect(crossSite.status == 403)
                // Refused before its token was looked at: the token still serves the member's own post.
                let cancelled = try await ConsoleRoutesTests.post(researcher, action, "token=\(token)&lang=en", headers: Self.sameOrigin)
                let state = try await VisitingJobsTests.finished(researcher, id)["state"] as? String
                if cancelled.status == 303 {
                    #expect(cancelled.headers["location"] == "/console/analyses/jobs/\(id)" && state == "cancelled", "\(state ?? "")")
                    let records = try await Self.auditLines(gateway, containing: action)
                    #expect(records.contains { $0.contains(#""kind":"visiting-job-cancel""#) && $0.contains("job=\(id)") }, "\(records)")
                } else {
                    #expect(cancelled.status == 409 && cancelled.text.contains(#"data-code="conflict""#) && state == "succeeded", "\(cancelled.text)")
                }
            }
            #expect(caught > 0, "in ten jobs, one page found its job unfinished")
        }
    }

    /// The `privacy_charge_micro` of an audit line.
    static func charge(_ line: String) -> Int? {
        guard let range = line.range(of: #""privacy_charge_micro":"#) else { return nil }
        return Int(line[range.upperBound...].prefix { $0.isNumber })
    }

    /// The number literals of `"key":` in JSON text.
    static func literals(_ text: String, key: String) -> [String] {
        text.components(separatedBy: "\"\(key)\":").dropFirst().map { String($0.prefix { "0123456789.eE+-".contains($0) }) }
    }

    /// The `<tr>` of `html` holding `text`.
    static func row(_ html: String, containing text: String) -> String? {
        guard let hit = html.range(of: text), let start = html[..<hit.lowerBound].range(of: "<tr class=\"output", options: .backwards),
              let end = html[hit.upperBound...].range(of: "</tr>\n") ?? html[hit.upperBound...].range(of: "</tr><tr class=\"output") ?? html[hit.upperBound...].range(of: "</tbody></table>\n") else { return nil }
        return String(html[start.lowerBound..<end.upperBound])
    }

    /// The `data-value` of the cell of class `cell` in `row`.
    static func dataValue(_ row: String, cell: String) -> String? {
        guard let hit = row.range(of: #"<td class="\#(cell)" data-value=""#) else { return nil }
        return String(row[hit.upperBound...].prefix { $0 != "\"" })
    }
}
