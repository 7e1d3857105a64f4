import Foundation
import GatewayTestSupport
import Testing

/// The secretariat's and the auditor's inputs that were read as something else (issue 9):
/// duplicate JSON keys in admin bodies, repeated export filters, times past year 9999.
@Suite("Admin and audit input hardening")
struct AdminInputHardeningTests {
    static func send(_ client: TestTLSClient, _ method: String, _ path: String, _ body: String) async throws -> TestTLSClient.Response {
        try await offThread { try client.request(method, path, headers: [("Content-Type", "application/json")], body: Array(body.utf8)) }
    }

    @Test("a withdrawal body naming two participants under one key is refused and withdraws nobody")
    func duplicateWithdrawalKey() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data) { gateway in
            let secretariat = try await gateway.client("secretariat")
            let before = try PolicyAPITests.count(try await gateway.get(PolicyAPITests.everyone, as: "researcher-jp"))
            let response = try await Self.send(secretariat, "POST", "/api/admin/withdrawals", #"{"participant_id":"C10","participant_id":"C11"}"#)
            #expect(response.status == 400)
            #expect(PolicyAPITests.errorCode(response) == "invalid_policy")
            #expect(String(decoding: response.body, as: UTF8.self).contains("'participant_id' appears twice"))
            let nested = try await Self.send(secretariat, "POST", "/api/admin/withdrawals",
                                             #"{"withdrawals":[{"participant_id":"C10","participant_id":"C11"}]}"#)
            #expect(nested.status == 400)
            let after = try PolicyAPITests.count(try await gateway.get(PolicyAPITests.everyone, as: "researcher-jp"))
            #expect(before == 58 && after == 58, "nobody was withdrawn")
        }
    }

    @Test("an amendment naming a field twice is refused and changes nothing; a merge patch still merges")
    func duplicatePatchKey() async throws {
        try await TestGateway.with { gateway in
            let secretariat = try await gateway.client("secretariat")
            let path = "/api/admin/approvals/A-2026-001"
            let before = try await offThread { try secretariat.request("GET", path) }
            let twice = try await Self.send(secretariat, "PATCH", path, #"{"valid_until":"2026-12-31","valid_until":"2031-03-31"}"#)
            #expect(twice.status == 400)
            #expect(String(decoding: twice.body, as: UTF8.self).contains("'valid_until' appears twice"), "\(String(decoding: twice.body, as: UTF8.self))")
            let deep = try await Self.send(secretariat, "PATCH", path, #"{"scope":"# + String(repeating: "{\"a\":", count: 100) + "1" + String(repeating: "}", count: 101))
            #expect(deep.status == 400)
            #expect(String(decoding: deep.body, as: UTF8.self).contains("nested deeper"))
            let unchanged = try await offThread { try secretariat.request("GET", path) }
            #expect(unchanged.body == before.body, "nothing was applied")
            let amended = try await Self.send(secretariat, "PATCH", path, #"{"title":"Drivers of colorectal carcinoma"}"#)
            #expect(amended.status == 200, "\(String(decoding: amended.body, as: UTF8.self))")
            let record = try #require(((try amended.json())["record"]) as? [String: Any])
            #expect(record["title"] as? String == "Drivers of colorectal carcinoma")
            #expect((record["scope"] as? [String: Any])?["datasets"] as? [String] == ["demo-wgs"], "fields not named are kept")
        }
    }

    @Test("audit export: a repeated filter and a time past year 9999 are refused, naming them")
    func auditFilters() async throws {
        try await TestGateway.with { gateway in
            let auditor = try await gateway.client("auditor")
            for (query, named) in [("member=researcher-jp&member=researcher-de", "member"), ("decision=allow&decision=deny", "decision"),
                                   ("from_time=10000-01-01T00:00:00Z", "from_time"), ("to_time=99999-01-01T00:00:00Z", "to_time"),
                                   ("from_sequence=-1", "from_sequence"), ("to_sequence=99999999999999999999", "to_sequence")] {
                let response = try await offThread { try auditor.request("GET", "/api/audit/records?" + query) }
                #expect(response.status == 400, "\(query)")
                #expect(String(decoding: response.body, as: UTF8.self).contains(named), "\(query): \(String(decoding: response.body, as: UTF8.self))")
            }
            let edge = try await offThread { try auditor.request("GET", "/api/audit/records?from_time=9999-12-31T23:59:59Z") }
            #expect(edge.status == 200)
            #expect(edge.body.isEmpty, "no record is that late")
        }
    }
}
