import Foundation
import GatewayTestSupport
import Testing

/// Free text through the real admin API: a 900 KB title, a NUL or a bidirectional override
/// is refused with 400 `invalid_policy` naming the field, and nothing is stored (issue 9,
/// finding 7).
@Suite("Free text through the admin API")
struct PolicyFreeTextTests {
    static func approval(title: String) -> [String: Any] {
        [
            "id": "A-TEXT", "decision_reference": "DURC-X", "decision_date": "2026-06-01", "title": title,
            "purpose": "trial-design", "organization": "example-therapeutics", "members": ["researcher-us"],
            "scope": ["datasets": ["demo-wgs"], "query_kinds": ["beacon-count"]], "commercial_use": true,
            "valid_from": "2026-06-01", "valid_until": "2030-03-31",
        ]
    }

    @Test("an approval whose title is too long or holds a refused character is refused, naming the field", arguments: [
        (String(repeating: "x", count: 921_600), "approval A-TEXT, field title: is 921600 characters long; at most 500 are allowed"),
        ("Trial design\u{202E}txt.exe", "approval A-TEXT, field title: contains U+202E (a bidirectional embedding or override) at character 13"),
        ("Trial\u{0}design", "approval A-TEXT, field title: contains U+0000 (a control character) at character 6"),
        ("Trial\u{2067}design\u{2069}", "approval A-TEXT, field title: contains U+2067 (a bidirectional isolate)"),
    ])
    func title(title: String, says: String) async throws {
        try await TestGateway.with { gateway in
            let secretariat = try await gateway.client("secretariat")
            let before = try await PolicyAPITests.send(secretariat, "GET", "/api/admin/approvals")
            let response = try await PolicyAPITests.send(secretariat, "POST", "/api/admin/approvals", json: Self.approval(title: title))
            #expect(response.status == 400, "\(response.text.prefix(300))")
            #expect(PolicyAPITests.errorCode(response) == "invalid_policy")
            let message = ((try response.json())["error"] as? [String: Any])?["message"] as? String ?? ""
            #expect(message.contains(says), "\(message.prefix(300))")
            #expect(message.utf8.count < 1_000, "the refused text is not echoed back")
            #expect(!message.unicodeScalars.contains("\u{202E}") && !message.unicodeScalars.contains("\u{0}"))

            #expect(try await PolicyAPITests.send(secretariat, "GET", "/api/admin/approvals/A-TEXT").status == 404)
            let after = try await PolicyAPITests.send(secretariat, "GET", "/api/admin/approvals")
            #expect((try after.json())["policy_version"] as? Int == (try before.json())["policy_version"] as? Int)
        }
    }

    @Test("a title at the limit, in any script, is stored as sent")
    func titleAtLimit() async throws {
        try await TestGateway.with { gateway in
            let secretariat = try await gateway.client("secretariat")
            let title = "治験デザイン " + String(repeating: "é", count: 493)
            let created = try await PolicyAPITests.send(secretariat, "POST", "/api/admin/approvals", json: Self.approval(title: title))
            #expect(created.status == 201, "\(created.text.prefix(300))")
            let stored = try await PolicyAPITests.send(secretariat, "GET", "/api/admin/approvals/A-TEXT")
            let record = ((try stored.json())["records"] as? [[String: Any]])?.first
            #expect(record?["title"] as? String == title)
        }
    }

    @Test("a reason holding a bidirectional override is refused; the approval keeps its status")
    func reason() async throws {
        try await TestGateway.with { gateway in
            let secretariat = try await gateway.client("secretariat")
            let response = try await PolicyAPITests.send(secretariat, "POST", "/api/admin/approvals/A-2026-001/suspend",
                                                         json: ["reason": "audit \u{202E}gnidnif"])
            #expect(response.status == 400, "\(response.text)")
            #expect(PolicyAPITests.errorCode(response) == "invalid_policy")
            #expect(response.text.contains("reason") && response.text.contains("U+202E"), "\(response.text)")
            let long = try await PolicyAPITests.send(secretariat, "POST", "/api/admin/approvals/A-2026-001/suspend",
                                                     json: ["reason": String(repeating: "r", count: 10_001)])
            #expect(long.status == 400, "a reason over the limit is refused, never cut short silently")
            let stored = try await PolicyAPITests.send(secretariat, "GET", "/api/admin/approvals/A-2026-001")
            #expect(((try stored.json())["records"] as? [[String: Any]])?.first?["status"] as? String == "active")
            let reason = "committee decision 2026-41: " + String(repeating: "x", count: 700)
            let suspended = try await PolicyAPITests.send(secretariat, "POST", "/api/admin/approvals/A-2026-001/suspend", json: ["reason": reason])
            #expect(suspended.status == 200)
            let history = try await PolicyAPITests.send(secretariat, "GET", "/api/admin/history?kind=approval&id=A-2026-001")
            let summaries = ((try history.json())["entries"] as? [[String: Any]])?.compactMap { $0["summary"] as? String } ?? []
            #expect(summaries.contains { $0.hasSuffix(reason) }, "the whole reason is kept")
        }
    }
}
