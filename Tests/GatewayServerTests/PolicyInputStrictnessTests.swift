import Foundation
import GatewayTestSupport
import Testing

/// Policy and audit inputs through the real admin and audit APIs (issue 9: no input is read
/// as something else than it says; bad input gets a 400 naming what was wrong).
@Suite("Policy inputs read as they say")
struct PolicyInputStrictnessTests {
    typealias API = PolicyAPITests

    static func message(_ response: TestTLSClient.Response) -> String {
        ((try? response.json())?["error"] as? [String: Any])?["message"] as? String ?? response.text
    }

    static func approval(_ secretariat: TestTLSClient, _ id: String = "A-2026-001") async throws -> [String: Any] {
        let response = try await API.send(secretariat, "GET", "/api/admin/approvals/\(id)")
        return try #require(((try response.json())["records"] as? [[String: Any]])?.first)
    }

    @Test("an impossible time in an amendment is refused naming the field, never stored as a nearby time", arguments: [
        ("valid_from", "2026-02-30T00:00:00Z"), ("valid_until", "2030-03-31T25:00:00Z"), ("valid_from", "2026-04-01T00:00:60Z"),
        ("decision_date", "2026-03-15T09:60:00+09:00"), ("valid_from", "2026-04-01T00:00:00+24:00"),
    ])
    func impossibleTime(field: String, text: String) async throws {
        try await TestGateway.with { gateway in
            let secretariat = try await gateway.client("secretariat")
            let before = try await Self.approval(secretariat)
            let response = try await API.send(secretariat, "PATCH", "/api/admin/approvals/A-2026-001", json: [field: text])
            #expect(response.status == 400, "\(response.text.prefix(300))")
            #expect(API.errorCode(response) == "invalid_policy")
            #expect(Self.message(response).contains("field \(field): '\(text)' is not a date"), "\(Self.message(response))")
            let after = try await Self.approval(secretariat)
            #expect(after[field] as? String == before[field] as? String, "nothing was stored")
        }
    }

    @Test("an approval listing a member or a dataset twice is refused, naming the field and the entry; the researcher keeps working")
    func repeatedEntries() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data) { gateway in
            let secretariat = try await gateway.client("secretariat")
            let researcher = try await gateway.client("researcher-jp")
            for (patch, says) in [
                (["members": ["researcher-jp", "researcher-jp"]] as [String: Any],
                 "approval A-2026-001, field members: 'researcher-jp' is listed twice"),
                (["scope": ["datasets": ["demo-wgs", "demo-wgs"]]], "approval A-2026-001, field scope.datasets: 'demo-wgs' is listed twice"),
                (["scope": ["query_kinds": ["beacon-count", "beacon-count"]]], "field scope.query_kinds: 'beacon-count' is listed twice"),
                (["scope": ["cancer_types": ["NCIT:C4872", "NCIT:C4872"]]], "field scope.cancer_types: 'NCIT:C4872' is listed twice"),
            ] {
                let response = try await API.send(secretariat, "PATCH", "/api/admin/approvals/A-2026-001", json: patch)
                #expect(response.status == 400, "\(patch): \(response.text.prefix(300))")
                #expect(API.errorCode(response) == "invalid_policy")
                #expect(Self.message(response).contains(says), "\(Self.message(response))")
            }
            #expect(try await Self.approval(secretariat)["members"] as? [String] == ["researcher-jp"])
            let answer = try await API.send(researcher, "GET", API.everyone)
            #expect(answer.status == 200, "not approval_ambiguous: \(answer.text.prefix(300))")
        }
    }

    @Test("an approval decided after it is valid, or on 9999-12-31, is refused naming decision_date", arguments: [
        ("2026-04-02", "is after valid_from"), ("9999-12-31", "is after valid_from"),
    ])
    func decisionDate(text: String, says: String) async throws {
        try await TestGateway.with { gateway in
            let secretariat = try await gateway.client("secretariat")
            let response = try await API.send(secretariat, "PATCH", "/api/admin/approvals/A-2026-001", json: ["decision_date": text])
            #expect(response.status == 400, "\(response.text.prefix(300))")
            #expect(Self.message(response).contains("field decision_date: \(says)"), "\(Self.message(response))")
            var future = PolicyFreeTextTests.approval(title: "Decided later")
            future["decision_date"] = "2099-01-01"
            future["valid_from"] = "2099-01-01"
            future["valid_until"] = "2099-12-31"
            let created = try await API.send(secretariat, "POST", "/api/admin/approvals", json: future)
            #expect(created.status == 400, "\(created.text.prefix(300))")
            #expect(Self.message(created).contains("field decision_date: is in the future"), "\(Self.message(created))")
            #expect(try await API.send(secretariat, "PATCH", "/api/admin/approvals/A-2026-001", json: ["decision_date": "2026-04-01"]).status == 200,
                    "decided the day it starts is fine")
        }
    }

    @Test("registering the secretariat's own certificate to another member is refused; the secretariat keeps working")
    func lockOut() async throws {
        try await TestGateway.with { gateway in
            let secretariat = try await gateway.client("secretariat")
            let openssl = try await Subprocess.run(["openssl", "x509", "-in", gateway.pki + "/secretariat.pem", "-noout", "-fingerprint", "-sha256"])
            // "sha256 Fingerprint=AB:CD:..." (upper case with colons: the API reads it in any case and with colons)
            let own = try #require(openssl.stdout.split(separator: "=").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
            #expect(own.count == 95, "\(openssl.output)")
            let before = try await API.send(secretariat, "GET", "/api/admin/members/researcher-gb")

            let refused = try await API.send(secretariat, "POST", "/api/admin/members/researcher-gb/certificates", json: ["fingerprint": own])
            #expect(refused.status == 409, "\(refused.text.prefix(400))")
            #expect(API.errorCode(refused) == "conflict")
            #expect(Self.message(refused).contains("your own certificate would no longer identify you as member secretariat"), "\(Self.message(refused))")
            let suspended = try await API.send(secretariat, "POST", "/api/admin/members/secretariat/suspend", json: ["reason": "oops"])
            #expect(suspended.status == 409, "suspending oneself locks one out too: \(suspended.text.prefix(300))")
            #expect(Self.message(suspended).contains("member_suspended"), "\(Self.message(suspended))")

            let after = try await API.send(secretariat, "GET", "/api/admin/members/researcher-gb")
            #expect(after.status == 200, "the secretariat still works: \(after.text.prefix(300))")
            #expect(after.body == before.body, "nothing was stored")
            let fresh = try await gateway.client("secretariat")
            #expect(try await API.send(fresh, "GET", "/api/admin/approvals").status == 200, "and on a new connection")
            let other = try await API.send(secretariat, "POST", "/api/admin/members/researcher-gb/certificates",
                                           json: ["fingerprint": String(repeating: "0f", count: 32)])
            #expect(other.status == 201, "another certificate is still added: \(other.text.prefix(300))")
        }
    }

    @Test("an empty or blank reason is refused, naming it; the approval keeps its status", arguments: ["", "   ", "\n\t"])
    func emptyReason(reason: String) async throws {
        try await TestGateway.with { gateway in
            let secretariat = try await gateway.client("secretariat")
            for path in ["/api/admin/approvals/A-2026-001/suspend", "/api/admin/members/researcher-gb/suspend"] {
                let response = try await API.send(secretariat, "POST", path, json: ["reason": reason])
                #expect(response.status == 400, "\(path): \(response.text.prefix(300))")
                #expect(Self.message(response).contains("field reason: is empty"), "\(Self.message(response))")
            }
            #expect(try await Self.approval(secretariat)["status"] as? String == "active")
            #expect(try await API.send(secretariat, "POST", "/api/admin/approvals/A-2026-001/suspend").status == 200, "no body: no reason")
        }
    }

    @Test("a title with an invisible character is refused, naming it", arguments: [
        ("Trial\u{200B}design", "U+200B (a zero-width space)"), ("\u{FEFF}Trial design", "U+FEFF"),
        ("Trial design\u{E0001}\u{E0041}", "U+E0001 (a tag character)"), ("Trial\u{2060}design", "U+2060 (an invisible format character)"),
    ])
    func invisible(title: String, says: String) async throws {
        try await TestGateway.with { gateway in
            let secretariat = try await gateway.client("secretariat")
            let response = try await API.send(secretariat, "POST", "/api/admin/approvals", json: PolicyFreeTextTests.approval(title: title))
            #expect(response.status == 400, "\(response.text.prefix(300))")
            #expect(Self.message(response).contains("approval A-TEXT, field title: contains \(says)"), "\(Self.message(response))")
            #expect(try await API.send(secretariat, "GET", "/api/admin/approvals/A-TEXT").status == 404)
        }
    }

    @Test("withdrawals: an impossible effective_at (JSON or CSV) or a short CSV row is refused naming it; application/csv is CSV")
    func withdrawals() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data) { gateway in
            let secretariat = try await gateway.client("secretariat")
            let json = try await API.send(secretariat, "POST", "/api/admin/withdrawals",
                                          json: ["participant_id": "C10", "effective_at": "2026-11-30T25:00:00Z"])
            #expect(json.status == 400, "\(json.text.prefix(300))")
            #expect(Self.message(json).contains("field effective_at: '2026-11-30T25:00:00Z' is not a date"), "\(Self.message(json))")
            for (contentType, csv, says) in [
                ("text/csv", "participant_id,effective_at\nC10,2026-02-30\n", "CSV body line 2, field effective_at: '2026-02-30'"),
                ("application/csv", "participant_id,effective_at\nC10,2026-11-20T05:00:60Z\n", "CSV body line 2, field effective_at"),
                ("text/csv; charset=utf-8", "participant_id,effective_at\nC10,2026-11-20\nC11\n", "CSV body line 3: 1 field, the header has 2"),
            ] {
                let response = try await offThread {
                    try secretariat.request("POST", "/api/admin/withdrawals", headers: [("Content-Type", contentType)], body: Array(csv.utf8))
                }
                #expect(response.status == 400, "\(contentType): \(response.text.prefix(300))")
                #expect(Self.message(response).contains(says), "\(Self.message(response))")
            }
            let status = try await API.send(secretariat, "GET", "/api/admin/withdrawals")
            #expect((try status.json())["withdrawn_total"] as? Int == 0, "nothing was recorded")

            let recorded = try await offThread {
                try secretariat.request("POST", "/api/admin/withdrawals", headers: [("Content-Type", "application/csv")],
                                        body: Array("participant_id,effective_at\nC10,2026-11-20\nC11,\n".utf8))
            }
            #expect(recorded.status == 201, "application/csv is read as CSV: \(recorded.text.prefix(300))")
            #expect((try recorded.json())["recorded"] as? Int == 2)
        }
    }

    @Test("audit export: an impossible from_time is refused naming it", arguments: [
        "2026-11-30T25:00:00Z", "2026-11-30T05:00:60Z", "2026-02-30T00:00:00Z", "2026-11-30T05:00:00+09:60",
    ])
    func auditTime(text: String) async throws {
        try await TestGateway.with { gateway in
            let auditor = try await gateway.client("auditor")
            let response = try await offThread { try auditor.request("GET", "/api/audit/records?from_time=" + text.replacingOccurrences(of: "+", with: "%2B")) }
            #expect(response.status == 400, "\(response.text.prefix(300))")
            #expect(Self.message(response).contains("from_time"), "\(Self.message(response))")
        }
    }
}
