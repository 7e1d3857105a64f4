import Foundation
import GatewayServer
import GatewayTestSupport
import Testing

/// The committee raises one approval's disclosure budget through the admin API, with a reason
/// that the policy history keeps; without a reason, or out of range, nothing is applied.
@Suite("Privacy budget through the admin API")
struct PrivacyBudgetAdminTests {
    @Test("a budget change is applied with its reason and kept in the history; the approval shows it")
    func raiseWithReason() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data) { gateway in
            let secretariat = try await gateway.client("secretariat")
            let raised = try await PolicyAPITests.send(secretariat, "POST", "/api/admin/approvals/A-2026-001/privacy-budget",
                                                       json: ["budget": 0.5, "reason": "committee decision DURC-2026-031: genome-wide association study"])
            #expect(raised.status == 200, "\(String(decoding: raised.body, as: UTF8.self))")
            let approval = try await PolicyAPITests.send(secretariat, "GET", "/api/admin/approvals/A-2026-001")
            #expect(String(decoding: approval.body, as: UTF8.self).contains("\"privacy_budget\":0.5"))
            let history = try await PolicyAPITests.send(secretariat, "GET", "/api/admin/history?kind=approval&id=A-2026-001")
            let entries = try #require((try history.json())["entries"] as? [[String: Any]])
            let last = try #require(entries.last)
            #expect(last["action"] as? String == "privacy-budget")
            #expect((last["summary"] as? String)?.contains("DURC-2026-031") == true)
            #expect((last["after"] as? String)?.contains("\"privacy_budget\":0.5") == true)
        }
    }

    @Test("bad budget changes are refused, naming the field, and nothing is applied", arguments: [
        (#"{"budget": 0.5}"#, "reason"),
        (#"{"budget": 0.5, "reason": "  "}"#, "reason"),
        (#"{"budget": 0, "reason": "x"}"#, "budget"),
        (#"{"budget": -1, "reason": "x"}"#, "budget"),
        (#"{"budget": 1e300, "reason": "x"}"#, "budget"),
        (#"{"budget": "lots", "reason": "x"}"#, "budget"),
        (#"{"budget": 0.5, "reason": "x", "extra": 1}"#, "extra"),
    ])
    func refused(body: String, field: String) async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data) { gateway in
            let secretariat = try await gateway.client("secretariat")
            let response = try await offThread {
                try secretariat.request("POST", "/api/admin/approvals/A-2026-001/privacy-budget",
                                        headers: [("Content-Type", "application/json")], body: Array(body.utf8))
            }
            let text = String(decoding: response.body, as: UTF8.self)
            #expect(response.status == 400, "\(text)")
            #expect(text.contains(field), "\(text)")
            let approval = try await PolicyAPITests.send(secretariat, "GET", "/api/admin/approvals/A-2026-001")
            #expect(!String(decoding: approval.body, as: UTF8.self).contains("privacy_budget"))
        }
    }

    @Test("an amendment cannot change the budget (it has no reason)")
    func amendmentRefused() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data) { gateway in
            let secretariat = try await gateway.client("secretariat")
            let response = try await PolicyAPITests.send(secretariat, "PATCH", "/api/admin/approvals/A-2026-001", json: ["privacy_budget": 5])
            let text = String(decoding: response.body, as: UTF8.self)
            #expect(response.status == 400, "\(text)")
            #expect(text.contains("privacy_budget") && text.contains("privacy-budget"), "\(text)")
        }
    }
}
