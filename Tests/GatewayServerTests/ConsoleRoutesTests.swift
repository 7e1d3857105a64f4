import Foundation
import GatewayServer
import GatewayTestSupport
import Testing

/// The console's first pages through the real gateway over mutual TLS: served as HTML with the
/// console's headers, decided and audited like API calls, each role seeing only its own pages,
/// refusals as pages, the policy's changes visible on the next page.
@Suite("Web console: pages through the gateway")
struct ConsoleRoutesTests {
    static func get(_ client: TestTLSClient, _ path: String, headers: [(String, String)] = []) async throws -> TestTLSClient.Response {
        try await offThread { try client.request("GET", path, headers: headers) }
    }

    @Test("a researcher's home and approvals pages: HTML with a CSP and no Referer to other sites, the approvals and what they allow, Japanese on request")
    func researcherPages() async throws {
        try await TestGateway.with { gateway in
            let researcher = try await gateway.client("researcher-jp")
            let home = try await Self.get(researcher, "/console")
            #expect(home.status == 200 && home.headers["content-type"]?.hasPrefix("text/html") == true, "\(home.text.prefix(300))")
            #expect(home.headers["content-security-policy"]?.contains("default-src 'none'") == true)
            #expect(home.headers["referrer-policy"] == "same-origin" && home.headers["x-frame-options"] == "DENY")
            #expect(home.text.contains("researcher-jp") && home.text.contains(#"href="/console/approvals""#))
            let approvals = try await Self.get(researcher, "/console/approvals")
            #expect(approvals.status == 200)
            #expect(approvals.text.contains(#"id="approval-A-2026-001""#) && approvals.text.contains("analysis:allelic-association"))
            let japanese = try await Self.get(researcher, "/console/approvals", headers: [("Accept-Language", "ja-JP,ja;q=0.9")])
            #expect(japanese.text.contains(#"<html lang="ja">"#) && japanese.text.contains("承認一覧"))
            let switched = try await Self.get(researcher, "/console/approvals?lang=en", headers: [("Accept-Language", "ja")])
            #expect(switched.text.contains(#"<html lang="en">"#))
            let css = try await Self.get(researcher, "/console/static/console.css")
            #expect(css.status == 200 && css.headers["content-type"]?.hasPrefix("text/css") == true)
        }
    }

    @Test("each role sees only its own pages: other roles are refused with a page naming the reason; bad parameters too")
    func roles() async throws {
        try await TestGateway.with { gateway in
            for role in ["auditor", "secretariat"] {
                let client = try await gateway.client(role)
                let refused = try await Self.get(client, "/console/approvals")
                #expect(refused.status == 403 && refused.headers["content-type"]?.hasPrefix("text/html") == true, "\(role): \(refused.text.prefix(300))")
                #expect(refused.text.contains(#"data-code="role_forbidden""#) && refused.headers["content-security-policy"] != nil)
                let home = try await Self.get(client, "/console")
                #expect(home.status == 200 && !home.text.contains("/console/approvals"), "\(role)'s home links no researcher page")
            }
            let researcher = try await gateway.client("researcher-jp")
            let bad = try await Self.get(researcher, "/console?lang=fr")
            #expect(bad.status == 400 && bad.text.contains(#"data-code="bad_request""#) && bad.text.contains("lang must be en or ja, not &#39;fr&#39;"), "\(bad.text)")
            let unknown = try await Self.get(researcher, "/console?member=x")
            #expect(unknown.status == 400 && unknown.text.contains("this page takes lang, not &#39;member&#39;"), "\(unknown.text)")
            let missing = try await Self.get(researcher, "/console/nothing-here")
            #expect(missing.status == 404 && missing.headers["content-type"]?.hasPrefix("text/html") == true)
        }
    }

    @Test("a page is decided and audited like an API call, and shows the policy's change on the next request")
    func auditedAndCurrent() async throws {
        try await TestGateway.with { gateway in
            let researcher = try await gateway.client("researcher-jp")
            #expect(try await Self.get(researcher, "/console/approvals").text.contains(#"class="status-active""#))
            let secretariat = try await gateway.client("secretariat")
            let suspended = try await PolicyAPITests.send(secretariat, "POST", "/api/admin/approvals/A-2026-001/suspend", json: ["reason": "audit finding"])
            #expect(suspended.status == 200)
            let after = try await Self.get(researcher, "/console/approvals")
            #expect(after.text.contains(#"class="status-suspended""#), "\(after.text.prefix(2000))")
            let auditor = try await gateway.client("auditor")
            let records = try await Self.get(auditor, "/api/audit/records").text
            #expect(records.contains(#""kind":"console-approvals""#) && records.contains(#""path":"/console/approvals""#))
        }
    }

    /// The token of the form posting to `action` on `html`.
    static func token(_ html: String, action: String) throws -> String {
        let form = try #require(html.range(of: #"action="\#(action)""#), "no form for \(action)")
        let rest = html[form.upperBound...]
        let field = try #require(rest.range(of: #"name="token" value=""#))
        return String(rest[field.upperBound...].prefix { $0 != "\"" })
    }

    static func post(_ client: TestTLSClient, _ path: String, _ form: String, headers: [(String, String)] = []) async throws -> TestTLSClient.Response {
        try await offThread {
            try client.request("POST", path, headers: [("Content-Type", "application/x-www-form-urlencoded")] + headers, body: Array(form.utf8))
        }
    }

    @Test("the secretariat suspends an approval through its form: the researcher's next page shows it; cross-site, tokenless, replayed and misused posts change nothing")
    func secretariatForm() async throws {
        try await TestGateway.with { gateway in
            let secretariat = try await gateway.client("secretariat")
            let page = try await Self.get(secretariat, "/console/secretariat/approvals")
            #expect(page.status == 200 && page.text.contains(#"id="approval-A-2026-001""#), "\(page.text.prefix(500))")
            let action = "/console/secretariat/approvals/A-2026-001/suspend"
            let token = try Self.token(page.text, action: action)
            #expect(token.count == 32)

            // Another site's page making the secretariat's browser post the form: refused, before the token is spent.
            for headers in [[("Origin", "https://evil.example")], [("Sec-Fetch-Site", "cross-site")], [("Origin", "null")],
                            [("Origin", "null"), ("Sec-Fetch-Site", "same-site")]] {
                let refused = try await Self.post(secretariat, action, "token=\(token)&reason=forged", headers: headers)
                #expect(refused.status == 403 && refused.text.contains(#"data-code="cross_site_request""#), "\(headers): \(refused.text.prefix(300))")
            }
            let tokenless = try await Self.post(secretariat, action, "reason=no+token")
            #expect(tokenless.status == 403 && tokenless.text.contains("cross_site_request"))
            // The suspend token does not revoke.
            let misused = try await Self.post(secretariat, "/console/secretariat/approvals/A-2026-001/revoke", "token=\(token)&reason=x")
            #expect(misused.status == 403)
            let researcher = try await gateway.client("researcher-jp")
            #expect(try await Self.get(researcher, "/console/approvals").text.contains(#"class="status-active""#), "nothing changed yet")

            let fresh = try Self.token(try await Self.get(secretariat, "/console/secretariat/approvals").text, action: action)
            let done = try await Self.post(secretariat, action, "token=\(fresh)&reason=audit+finding+%28committee+2026-11%29",
                                           headers: [("Origin", "https://localhost"), ("Sec-Fetch-Site", "same-origin")])
            #expect(done.status == 303 && done.headers["location"] == "/console/secretariat/approvals", "\(done.text.prefix(300))")
            #expect(try await Self.get(researcher, "/console/approvals").text.contains(#"class="status-suspended""#))
            let refusedQuery = try await PolicyAPITests.send(researcher, "GET", PolicyAPITests.everyone)
            #expect(PolicyAPITests.errorCode(refusedQuery) == "approval_suspended", "the next API request is refused too")
            let replayed = try await Self.post(secretariat, action, "token=\(fresh)&reason=again")
            #expect(replayed.status == 403, "a token is used once")
            let history = try await PolicyAPITests.send(secretariat, "GET", "/api/admin/history")
            #expect(history.text.contains("audit finding (committee 2026-11)"), "the reason is recorded")
            // A researcher cannot open the secretariat's page or post its forms.
            #expect(try await Self.get(researcher, "/console/secretariat/approvals").status == 403)
            #expect(try await Self.post(researcher, action, "token=\(fresh)&reason=x").status == 403)
        }
    }

    @Test("the auditor's log page: filters as the export's, keyset pages, export links for the same filters; bad filters refused")
    func auditLog() async throws {
        try await TestGateway.with { gateway in
            let researcher = try await gateway.client("researcher-jp")
            for _ in 0..<3 { _ = try await Self.get(researcher, "/console") }
            _ = try await Self.get(researcher, "/console/secretariat/approvals")  // refused: a deny record
            let auditor = try await gateway.client("auditor")
            let page = try await Self.get(auditor, "/console/audit?member=researcher-jp&decision=deny")
            #expect(page.status == 200, "\(page.text.prefix(300))")
            #expect(page.text.contains("/console/secretariat/approvals") && !page.text.contains(#"<td>GET /console</td>"#), "only the deny record")
            #expect(page.text.contains(#"href="/api/audit/records?member=researcher-jp&amp;decision=deny""#), "\(page.text)")
            #expect(page.text.contains(#"<option value="deny" selected>"#))
            let all = try await Self.get(auditor, "/console/audit?member=researcher-jp&member_empty=")
            #expect(all.status == 400, "an unknown filter is refused: \(all.text.prefix(200))")
            let empty = try await Self.get(auditor, "/console/audit?member=&decision=&organization=kyoto-u")
            #expect(empty.status == 200 && empty.text.contains("researcher-jp"), "empty fields of the form mean no filter")
            #expect(try await Self.get(auditor, "/console/audit?decision=maybe").status == 400)
            #expect(try await Self.get(researcher, "/console/audit").status == 403)
        }
    }
}
