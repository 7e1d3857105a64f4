import Foundation
@testable import GatewayServer
import GatewayTestSupport
import Testing

/// The secretariat's console pages through the real gateway over mutual TLS: every form
/// changes the policy through the admin API's code path (in force for the next API request,
/// recorded in the history, audited), refuses a wrong field naming it with nothing stored,
/// and refuses cross-site, tokenless and replayed posts and other roles.
@Suite("Web console: the secretariat's pages through the gateway")
struct ConsoleSecretariatRoutesTests {
    typealias Routes = ConsoleRoutesTests

    /// `&amp;` etc. back to text.
    static func unescaped(_ html: Substring) -> String {
        html.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
    }

    /// The approval form's fields as the page filled them: inputs' values and selects' selected options.
    static func formValues(_ html: String) throws -> [String: String] {
        var values: [String: String] = [:]
        let input = try Regex(#"<input id="field-([a-z_]+)" name="[a-z_]+" value="([^"]*)""#)
        for match in html.matches(of: input) {
            values[String(match.output[1].substring ?? "")] = unescaped(match.output[2].substring ?? "")
        }
        let select = try Regex(#"<select id="field-([a-z_]+)"[^>]*>(.*?)</select>"#)
        let selected = try Regex(#"<option value="([^"]*)" selected>"#)
        for match in html.matches(of: select) {
            let options = String(match.output[2].substring ?? "")
            values[String(match.output[1].substring ?? "")] = options.firstMatch(of: selected).map { unescaped($0.output[1].substring ?? "") } ?? ""
        }
        return values
    }

    static func hidden(_ html: String, _ name: String) throws -> String {
        let range = try #require(html.range(of: #"name="\#(name)" value=""#), "no hidden \(name)")
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }

    static func encoded(_ fields: [String: String]) -> String {
        fields.sorted { $0.key < $1.key }.map { "\($0.key)=\(ConsoleRoutes.percentEncoded($0.value))" }.joined(separator: "&")
    }

    static let newApproval: [String: String] = [
        "id": "A-2026-010", "decision_reference": "DURC-2026-010", "decision_date": "2026-06-01",
        "title": "Joint academic study of tumour mutational burden", "purpose": "causal-gene-research",
        "organization": "example-therapeutics", "members": "researcher-us", "datasets": "demo-wgs",
        "query_kinds": "beacon-count, beacon-boolean", "cancer_types": "", "commercial_use": "false",
        "valid_from": "2026-06-01", "valid_until": "2030-03-31", "legal_basis": "academic-research", "privacy_budget": "",
    ]

    static func history(_ client: TestTLSClient, _ id: String) async throws -> [[String: Any]] {
        let answer = try await PolicyAPITests.send(client, "GET", "/api/admin/history?kind=approval&id=\(id)")
        return try #require((try answer.json())["entries"] as? [[String: Any]])
    }

    @Test("create an approval through the form: in force for the next API request, with its detail page and history; a wrong field is named, what was typed kept, nothing stored")
    func createApproval() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data) { gateway in
            let secretariat = try await gateway.client("secretariat")
            let us = try await gateway.client("researcher-us")
            let underNew = [("X-Approval-Id", "A-2026-010")]
            #expect(try await PolicyAPITests.send(us, "GET", PolicyAPITests.everyone, headers: underNew).status == 403, "no such approval yet")

            // A wrong field: the form comes back naming it, with what was typed, and nothing is stored.
            var wrong = Self.newApproval
            wrong["valid_until"] = "2030-02-30"
            let formPage = try await Routes.get(secretariat, "/console/secretariat/new-approval")
            #expect(formPage.status == 200 && formPage.text.contains(#"<option value="academic-research""#), "\(formPage.text.prefix(500))")
            wrong["token"] = try Routes.token(formPage.text, action: "/console/secretariat/new-approval")
            let refused = try await Routes.post(secretariat, "/console/secretariat/new-approval", Self.encoded(wrong))
            #expect(refused.status == 400 && refused.text.contains("field valid_until") && refused.text.contains("2030-02-30"), "\(refused.text)")
            #expect(refused.text.contains(#"<input id="field-valid_until" name="valid_until" value="2030-02-30" maxlength="4000" class="invalid" aria-invalid="true">"#))
            #expect(try Self.formValues(refused.text)["title"] == Self.newApproval["title"], "what was typed is kept")
            #expect(try await PolicyAPITests.send(secretariat, "GET", "/api/admin/approvals/A-2026-010").status == 404, "nothing stored")
            // A validation problem of the whole policy (a member of another organization) is named too.
            var stranger = Self.newApproval
            stranger["members"] = "researcher-us, nobody-here"
            stranger["token"] = try Self.hidden(refused.text, "token")
            let unknown = try await Routes.post(secretariat, "/console/secretariat/new-approval", Self.encoded(stranger))
            #expect(unknown.status == 400 && unknown.text.contains("nobody-here") && unknown.text.contains(#"id="field-members""#), "\(unknown.text.prefix(3000))")

            // Cross-site, replayed or tokenless: refused before anything is read, nothing stored.
            var forged = Self.newApproval
            forged["token"] = try Self.hidden(unknown.text, "token")
            let crossSite = try await Routes.post(secretariat, "/console/secretariat/new-approval", Self.encoded(forged), headers: [("Sec-Fetch-Site", "cross-site")])
            #expect(crossSite.status == 403 && crossSite.text.contains("cross_site_request"))
            forged["token"] = wrong["token"]
            #expect(try await Routes.post(secretariat, "/console/secretariat/new-approval", Self.encoded(forged)).status == 403, "a used token")
            forged["token"] = nil
            #expect(try await Routes.post(secretariat, "/console/secretariat/new-approval", Self.encoded(forged)).status == 403, "no token")
            #expect(try await PolicyAPITests.send(secretariat, "GET", "/api/admin/approvals/A-2026-010").status == 404, "nothing stored")

            var good = Self.newApproval
            good["token"] = try Self.hidden(unknown.text, "token")
            let created = try await Routes.post(secretariat, "/console/secretariat/new-approval", Self.encoded(good))
            #expect(created.status == 303 && created.headers["location"] == "/console/secretariat/approvals/A-2026-010", "\(created.text.prefix(500))")
            let answer = try await PolicyAPITests.send(us, "GET", PolicyAPITests.everyone, headers: underNew)
            #expect(try answer.status == 200 && PolicyAPITests.count(answer) == 58, "in force for the next request, academic-research counts all")

            let detail = try await Routes.get(secretariat, "/console/secretariat/approvals/A-2026-010")
            #expect(detail.status == 200, "\(detail.text.prefix(300))")
            for expected in ["Joint academic study of tumour mutational burden", "DURC-2026-010", "example-therapeutics", "researcher-us",
                             "beacon-count, beacon-boolean", "academic-research", "2026-06-01 – 2030-03-31", "every sample counts",
                             "approval A-2026-010 created", "+ title: Joint academic study", "member:secretariat", "demo-wgs"] {
                #expect(detail.text.contains(expected), "\(expected)")
            }
            let records = try await PolicyAPITests.send(try await gateway.client("auditor"), "GET", "/api/audit/records").text
            #expect(records.contains(#""kind":"console-secretariat-approval""#) && records.contains("approval A-2026-010 created"), "audited")
        }
    }

    @Test("amend sends only what changed: the history's before and after differ in that field alone; a stale form or no change is refused")
    func amendApproval() async throws {
        try await TestGateway.with { gateway in
            let secretariat = try await gateway.client("secretariat")
            let path = "/console/secretariat/approvals/A-2026-001/amend"
            let form = try await Routes.get(secretariat, path)
            #expect(form.status == 200, "\(form.text.prefix(300))")
            var fields = try Self.formValues(form.text)
            #expect(fields["valid_until"] == "2030-03-31" && fields["valid_from"] == "2026-04-01" && fields["members"] == "researcher-jp", "\(fields)")
            #expect(fields["id"] == nil && fields["privacy_budget"] == nil, "neither can be amended")
            let base = try Self.hidden(form.text, "base")

            // Nothing changed: refused, nothing recorded.
            var unchanged = fields
            unchanged["token"] = try Routes.token(form.text, action: path)
            unchanged["base"] = base
            let same = try await Routes.post(secretariat, path, Self.encoded(unchanged))
            #expect(same.status == 400 && same.text.contains("nothing was changed"), "\(same.status) \(same.text.suffix(1500))")

            fields["title"] = "Drivers of colorectal and gastric carcinoma (amended)"
            fields["token"] = try Self.hidden(same.text, "token")
            fields["base"] = base
            let amended = try await Routes.post(secretariat, path, Self.encoded(fields))
            #expect(amended.status == 303 && amended.headers["location"] == "/console/secretariat/approvals/A-2026-001", "\(amended.text.prefix(800))")
            let entry = try #require(try await Self.history(secretariat, "A-2026-001").last)
            #expect(entry["action"] as? String == "amend")
            let before = try #require(JSONSerialization.jsonObject(with: Data(((entry["before"] as? String) ?? "").utf8)) as? [String: Any])
            let after = try #require(JSONSerialization.jsonObject(with: Data(((entry["after"] as? String) ?? "").utf8)) as? [String: Any])
            let differing = Set(before.keys).union(after.keys).filter { key in
                func text(_ value: Any?) -> Data? { value.flatMap { try? JSONSerialization.data(withJSONObject: [$0], options: .sortedKeys) } }
                return text(before[key]) != text(after[key])
            }
            #expect(differing == ["title"], "only the title changed: \(differing)")
            let detail = try await Routes.get(secretariat, "/console/secretariat/approvals/A-2026-001")
            #expect(detail.text.contains("title: Germline and somatic drivers of colorectal and gastric carcinoma → Drivers of colorectal and gastric carcinoma (amended)"))

            // The form loaded before that amendment is stale: refused, nothing undone.
            var stale = try Self.formValues(form.text)
            stale["valid_until"] = "2029-03-31"
            stale["token"] = try Routes.token(try await Routes.get(secretariat, path).text, action: path)
            stale["base"] = base
            let conflict = try await Routes.post(secretariat, path, Self.encoded(stale))
            #expect(conflict.status == 409 && conflict.text.contains("was changed since this form was loaded"), "\(conflict.text.prefix(500))")
            #expect(try await Self.history(secretariat, "A-2026-001").count == 2, "create and the one amendment")

            // The privacy budget: only with the committee's reason, as the API's own endpoint.
            let budget = "/console/secretariat/approvals/A-2026-001/privacy-budget"
            let detail2 = try await Routes.get(secretariat, "/console/secretariat/approvals/A-2026-001")
            let noReason = try await Routes.post(secretariat, budget, Self.encoded(["token": try Routes.token(detail2.text, action: budget), "budget": "2.5", "reason": ""]))
            #expect(noReason.status == 400 && noReason.text.contains("reason"))
            let detail3 = try await Routes.get(secretariat, "/console/secretariat/approvals/A-2026-001")
            let raised = try await Routes.post(secretariat, budget, Self.encoded(["token": try Routes.token(detail3.text, action: budget), "budget": "2.5", "reason": "committee 2026-12"]))
            #expect(raised.status == 303, "\(raised.text.prefix(300))")
            #expect(try await PolicyAPITests.send(secretariat, "GET", "/api/admin/approvals/A-2026-001").text.contains(#""privacy_budget":2.5"#))
            #expect(try await Routes.get(secretariat, "/console/secretariat/approvals/A-2026-001").text.contains("privacy budget set to 2.5: committee 2026-12"))
        }
    }

    static func multipart(token: String?, csv: String, boundary: String = "----console-test-boundary") -> (String, [UInt8]) {
        var body = ""
        if let token { body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"token\"\r\n\r\n\(token)\r\n" }
        body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"withdrawals.csv\"\r\nContent-Type: text/csv\r\n\r\n\(csv)\r\n--\(boundary)--\r\n"
        return ("multipart/form-data; boundary=\(boundary)", Array(body.utf8))
    }

    static func upload(_ client: TestTLSClient, token: String?, csv: String, headers: [(String, String)] = []) async throws -> TestTLSClient.Response {
        let (type, body) = multipart(token: token, csv: csv)
        return try await offThread { try client.request("POST", "/console/secretariat/withdrawals", headers: [("Content-Type", type)] + headers, body: body) }
    }

    @Test("a withdrawals CSV uploaded as a file: the counts the API reports, and the researcher's next count excludes the withdrawn; cross-site, tokenless and replayed uploads change nothing")
    func withdrawals() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data) { gateway in
            let secretariat = try await gateway.client("secretariat")
            let researcher = try await gateway.client("researcher-jp")
            #expect(try PolicyAPITests.count(try await PolicyAPITests.send(researcher, "GET", PolicyAPITests.everyone)) == 58)
            let page = try await Routes.get(secretariat, "/console/secretariat/withdrawals")
            #expect(page.status == 200 && page.text.contains(#"enctype="multipart/form-data""#) && page.text.contains(#"type="file""#))
            let token = try Routes.token(page.text, action: "/console/secretariat/withdrawals")
            let csv = "participant_id,effective_at\nC10,2026-11-01\nC99,\n"

            for headers in [[("Origin", "https://evil.example")], [("Sec-Fetch-Site", "cross-site")]] {
                let refused = try await Self.upload(secretariat, token: token, csv: csv, headers: headers)
                #expect(refused.status == 403 && refused.text.contains("cross_site_request"), "\(headers)")
            }
            #expect(try await Self.upload(secretariat, token: nil, csv: csv).status == 403, "no token")
            #expect(try await Self.upload(researcher, token: token, csv: csv).status == 403, "another role")
            #expect(try PolicyAPITests.count(try await PolicyAPITests.send(researcher, "GET", PolicyAPITests.everyone)) == 58, "nothing changed")

            let done = try await Self.upload(secretariat, token: token, csv: csv, headers: [("Origin", "https://localhost"), ("Sec-Fetch-Site", "same-origin")])
            #expect(done.status == 303, "\(done.text.prefix(500))")
            let location = try #require(done.headers["location"])
            #expect(location.hasPrefix("/console/secretariat/withdrawals?result=") && !location.contains("C10"), "no participant in the URL")
            #expect(try PolicyAPITests.count(try await PolicyAPITests.send(researcher, "GET", PolicyAPITests.everyone)) == 56, "C10's tumour and normal")
            let outcome = try await Routes.get(secretariat, location)
            for expected in [#"<td id="rows">2</td>"#, #"<td id="recorded">2</td>"#, #"<td id="already">0</td>"#, #"<td id="unknown">1</td>"#,
                             #"<td id="total">2</td>"#, "<code>C99</code>", "withdrawals.csv"] {
                #expect(outcome.text.contains(expected), "\(expected): \(outcome.text.prefix(3000))")
            }
            #expect(try await Routes.get(try await gateway.client("auditor"), location).status == 403)
            #expect(try await Self.upload(secretariat, token: token, csv: csv).status == 403, "a token is used once")

            let again = try await Self.upload(secretariat, token: try Routes.token(outcome.text, action: "/console/secretariat/withdrawals"), csv: csv)
            let second = try await Routes.get(secretariat, try #require(again.headers["location"]))
            #expect(second.text.contains(#"<td id="recorded">0</td>"#) && second.text.contains(#"<td id="already">2</td>"#), "idempotent")
            #expect(second.text.contains(#"<strong id="withdrawn-total">2</strong>"#))
            // The history counts the withdrawals and names no participant.
            let history = try await Routes.get(secretariat, "/console/secretariat/history")
            #expect(history.text.contains("2 withdrawals recorded") && !history.text.contains("C10") && !history.text.contains("C99"), "\(history.text.prefix(2000))")
        }
    }

    @Test("malformed or oversized uploads are refused naming the problem, and record nothing", arguments: [
        ("text/csv", "participant_id\nC10\n", 400, "multipart/form-data"),
        ("multipart/form-data", "x", 400, "without a boundary"),
        ("multipart/form-data; boundary=abc", "--abc\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nparticipant_id\nC10\n", 400, "ends before the closing boundary"),
        ("multipart/form-data; boundary=abc", "--abc\r\n" + String(repeating: "X", count: 3000), 400, "longer than 1024 bytes"),
        ("multipart/form-data; boundary=abc", (0..<6).map { "--abc\r\nContent-Disposition: form-data; name=\"f\($0)\"\r\n\r\nx\r\n" }.joined() + "--abc--", 400, "more than 4 parts"),
        ("multipart/form-data; boundary=abc", "oversized", 413, "the limit is 65536"),
    ] as [(String, String, Int, String)])
    func badUploads(contentType: String, body: String, status: Int, message: String) async throws {
        // Just over the gateway's body limit (64 KiB here): what the gateway does not read fits in the socket's buffers.
        var limits = GatewayConfiguration.Limits()
        limits.maxBodyBytes = 64 << 10
        let body = body == "oversized" ? "--abc\r\n" + String(repeating: "y", count: limits.maxBodyBytes + 1000) : body
        try await TestGateway.with(limits: limits) { gateway in
            let secretariat = try await gateway.client("secretariat")
            let answer = try await offThread {
                try secretariat.request("POST", "/console/secretariat/withdrawals", headers: [("Content-Type", contentType)], body: Array(body.utf8))
            }
            #expect(answer.status == status && answer.text.contains(message), "\(answer.status): \(answer.text.suffix(600).replacingOccurrences(of: "\n", with: " "))")
            let total = try await PolicyAPITests.send(try await gateway.client("secretariat"), "GET", "/api/admin/withdrawals")
            #expect((try total.json())["withdrawn_total"] as? Int == 0)
        }
    }

    @Test("members, certificates, organizations and the equivalence list through their forms; the history page shows each change as a diff")
    func directoryAndHistory() async throws {
        try await TestGateway.with { gateway in
            let secretariat = try await gateway.client("secretariat")
            let members = try await Routes.get(secretariat, "/console/secretariat/members")
            #expect(members.status == 200 && members.text.contains(#"id="member-researcher-jp""#), "\(members.text.prefix(300))")
            let fingerprint = String(repeating: "ab", count: 32)
            let register = try Routes.token(members.text, action: "/console/secretariat/members")
            let registered = try await Routes.post(secretariat, "/console/secretariat/members", Self.encoded([
                "token": register, "id": "researcher-new", "name": "New Researcher", "organization": "kyoto-u", "role": "researcher",
                "fingerprint": fingerprint, "subject": "", "issuer": "",
            ]))
            #expect(registered.status == 303, "\(registered.text.prefix(800))")
            let after = try await Routes.get(secretariat, "/console/secretariat/members")
            #expect(after.text.contains(#"id="member-researcher-new""#) && after.text.contains("fingerprint \(fingerprint)"))
            // A wrong fingerprint is named; nothing bound.
            let bind = "/console/secretariat/members/researcher-new/certificates"
            let bad = try await Routes.post(secretariat, bind, Self.encoded(["token": try Routes.token(after.text, action: bind), "fingerprint": "xyz"]))
            #expect(bad.status == 400 && bad.text.contains("field fingerprint") && bad.text.contains("not a SHA-256 fingerprint"), "\(bad.status) \(bad.text.suffix(1500))")
            let bound = try await Routes.post(secretariat, bind, Self.encoded([
                "token": try Routes.token(bad.text, action: bind), "subject": "CN=New Researcher,O=Kyoto", "issuer": "CN=GenomeGate Dev CA",
            ]))
            #expect(bound.status == 303)
            let member = try await PolicyAPITests.send(secretariat, "GET", "/api/admin/members/researcher-new")
            #expect(member.text.contains("CN=New Researcher,O=Kyoto") && member.text.contains(fingerprint))
            let unbind = "/console/secretariat/members/researcher-new/certificates/revoke"
            let page = try await Routes.get(secretariat, "/console/secretariat/members")
            let unbound = try await Routes.post(secretariat, unbind, Self.encoded(["token": try Routes.token(page.text, action: unbind), "fingerprint": fingerprint]))
            #expect(unbound.status == 303)
            #expect(!(try await PolicyAPITests.send(secretariat, "GET", "/api/admin/members/researcher-new")).text.contains(fingerprint))
            let suspend = "/console/secretariat/members/researcher-new/suspend"
            let noReason = try await Routes.post(secretariat, suspend, Self.encoded(["token": try Routes.token(try await Routes.get(secretariat, "/console/secretariat/members").text, action: suspend), "reason": " "]))
            #expect(noReason.status == 400 && noReason.text.contains("reason"))
            let suspended = try await Routes.post(secretariat, suspend, Self.encoded(["token": try Routes.token(noReason.text, action: suspend), "reason": "left the project"]))
            #expect(suspended.status == 303)

            let organizations = try await Routes.get(secretariat, "/console/secretariat/organizations?edit=kyoto-u")
            #expect(organizations.status == 200 && organizations.text.contains(#"id="organization-kyoto-u""#) && organizations.text.contains(#"id="jurisdiction-GB""#), "\(organizations.text.prefix(500))")
            let saveOrganization = try await Routes.post(secretariat, "/console/secretariat/organizations", Self.encoded([
                "token": try Routes.token(organizations.text, action: "/console/secretariat/organizations"),
                "id": "osaka-u", "name": "Osaka University", "kind": "academia", "country": "JP", "consortium_status": "active",
            ]))
            #expect(saveOrganization.status == 303)
            let page2 = try await Routes.get(secretariat, "/console/secretariat/organizations")
            let badCountry = try await Routes.post(secretariat, "/console/secretariat/jurisdictions", Self.encoded([
                "token": try Routes.token(page2.text, action: "/console/secretariat/jurisdictions"), "country": "XX", "name": "Nowhere", "effective_from": "2026-01-01",
            ]))
            #expect(badCountry.status == 400 && badCountry.text.contains("XX") && badCountry.text.contains(#"value="Nowhere""#), "\(badCountry.text.prefix(800))")
            let ended = try await Routes.post(secretariat, "/console/secretariat/jurisdictions", Self.encoded([
                "token": try Routes.token(badCountry.text, action: "/console/secretariat/jurisdictions"), "country": "GB", "name": "United Kingdom",
                "effective_from": "2019-01-23", "effective_until": "2026-06-30",
            ]))
            #expect(ended.status == 303, "\(ended.text.prefix(500))")
            let jurisdictions = try await PolicyAPITests.send(secretariat, "GET", "/api/admin/jurisdictions")
            #expect(jurisdictions.text.contains("\"effective_until\""))

            let history = try await Routes.get(secretariat, "/console/secretariat/history")
            #expect(history.status == 200, "\(history.text.prefix(300))")
            for expected in ["member researcher-new suspended: left the project", "status: active → suspended", "organization osaka-u saved",
                             "+ name: Osaka University", "equivalence list: GB saved", "+ effective_until: "] {
                #expect(history.text.contains(expected), "\(expected)")
            }
            #expect(try await Routes.get(secretariat, "/console/secretariat/history?before=0").status == 400)
            #expect(try await Routes.get(secretariat, "/console/secretariat/history?before=2").text.contains(#"id="version-1""#))
            let japanese = try await Routes.get(secretariat, "/console/secretariat/history?lang=ja")
            #expect(japanese.text.contains("ポリシー履歴"))
        }
    }

    @Test("other roles get the API's 403 as a page on every secretariat page and form")
    func otherRoles() async throws {
        try await TestGateway.with { gateway in
            for identity in ["researcher-jp", "auditor"] {
                let client = try await gateway.client(identity)
                for path in ["/console/secretariat/approvals/A-2026-001", "/console/secretariat/approvals/A-2026-001/amend", "/console/secretariat/new-approval",
                             "/console/secretariat/members", "/console/secretariat/organizations", "/console/secretariat/withdrawals", "/console/secretariat/history"] {
                    let page = try await Routes.get(client, path)
                    #expect(page.status == 403 && page.text.contains(#"data-code="role_forbidden""#), "\(identity) \(path)")
                }
                for path in ["/console/secretariat/new-approval", "/console/secretariat/members", "/console/secretariat/organizations",
                             "/console/secretariat/jurisdictions", "/console/secretariat/approvals/A-2026-001/amend"] {
                    let posted = try await Routes.post(client, path, "token=x")
                    #expect(posted.status == 403, "\(identity) \(path) \(posted.status) \(posted.text.suffix(400))")
                }
            }
            let secretariat = try await gateway.client("secretariat")
            #expect(try await Routes.get(secretariat, "/console/secretariat/approvals/A-9999").status == 404)
            #expect(try await Routes.get(secretariat, "/console/secretariat/withdrawals?participant=C10").status == 400)
        }
    }
}
