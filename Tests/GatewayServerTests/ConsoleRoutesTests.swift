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

    @Test("a researcher's home and approvals pages: HTML with a CSP and no Referer, the approvals and what they allow, Japanese on request")
    func researcherPages() async throws {
        try await TestGateway.with { gateway in
            let researcher = try await gateway.client("researcher-jp")
            let home = try await Self.get(researcher, "/console")
            #expect(home.status == 200 && home.headers["content-type"]?.hasPrefix("text/html") == true, "\(home.text.prefix(300))")
            #expect(home.headers["content-security-policy"]?.contains("default-src 'none'") == true)
            #expect(home.headers["referrer-policy"] == "no-referrer" && home.headers["x-frame-options"] == "DENY")
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
            #expect(bad.status == 400 && bad.text.contains(#"data-code="bad_request""#) && bad.text.contains("lang=en or lang=ja"))
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
}
