import DisclosureControl
import Foundation
import GatewayCore
import GatewayServer
import GatewayTestSupport
import Testing

/// The policy through the real gateway: the secretariat's admin API over mTLS, and its
/// effect on the very next research request.
@Suite("Policy and admin API")
struct PolicyAPITests {
    /// 1:3000 G>A is carried by every sample: its biosample count is the cohort's size.
    static let everyone = "/api/biosamples?referenceName=1&start=2999&alternateBases=A&requestedGranularity=count"

    static func count(_ response: TestTLSClient.Response) throws -> Int? {
        ((try response.json())["responseSummary"] as? [String: Any])?["numTotalResults"] as? Int
    }

    static func errorCode(_ response: TestTLSClient.Response) -> String? {
        ((try? response.json())?["error"] as? [String: Any])?["code"] as? String
    }

    static func json(_ object: Any) throws -> [UInt8] {
        Array(try JSONSerialization.data(withJSONObject: object))
    }

    /// Sends one request on `client` off the test's thread.
    static func send(_ client: TestTLSClient, _ method: String, _ path: String, json body: Any? = nil, headers: [(String, String)] = []) async throws -> TestTLSClient.Response {
        let bytes = try body.map(json) ?? []
        let allHeaders = headers + (body == nil ? [] : [("Content-Type", "application/json")])
        return try await offThread { try client.request(method, path, headers: allHeaders, body: bytes) }
    }

    @Test("the secretariat suspends an approval: the researcher's very next request is refused; reinstated, it is answered")
    func suspendApproval() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data) { gateway in
            let researcher = try await gateway.client("researcher-jp")
            let secretariat = try await gateway.client("secretariat")
            #expect(try await Self.send(researcher, "GET", Self.everyone).status == 200)

            let suspended = try await Self.send(secretariat, "POST", "/api/admin/approvals/A-2026-001/suspend", json: ["reason": "audit finding"])
            #expect(suspended.status == 200, "\(String(decoding: suspended.body, as: UTF8.self))")
            let refused = try await Self.send(researcher, "GET", Self.everyone)
            #expect(refused.status == 403)
            #expect(Self.errorCode(refused) == "approval_suspended")
            #expect(!String(decoding: refused.body, as: UTF8.self).contains("numTotalResults"))

            #expect(try await Self.send(secretariat, "POST", "/api/admin/approvals/A-2026-001/reinstate").status == 200)
            #expect(try await Self.send(researcher, "GET", Self.everyone).status == 200)

            #expect(try await Self.send(secretariat, "POST", "/api/admin/approvals/A-2026-001/revoke").status == 200)
            #expect(Self.errorCode(try await Self.send(researcher, "GET", Self.everyone)) == "approval_revoked")
            let again = try await Self.send(secretariat, "POST", "/api/admin/approvals/A-2026-001/reinstate")
            #expect(again.status == 409, "revocation is final")

            let history = try await Self.send(secretariat, "GET", "/api/admin/history?kind=approval&id=A-2026-001")
            let entries = try #require((try history.json())["entries"] as? [[String: Any]])
            #expect(entries.map { $0["action"] as? String } == ["create", "suspend", "reinstate", "revoke"])
            #expect(entries[1]["actor"] as? String == "member:secretariat")
            #expect((entries[1]["summary"] as? String)?.contains("audit finding") == true)
            #expect((entries[1]["before"] as? String)?.contains("\"status\":\"active\"") == true)
            #expect((entries[1]["after"] as? String)?.contains("\"status\":\"suspended\"") == true)
        }
    }

    @Test("a withdrawal is recorded (JSON, then CSV, idempotently): the next answer excludes the participant")
    func withdrawal() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data) { gateway in
            let researcher = try await gateway.client("researcher-jp")
            let secretariat = try await gateway.client("secretariat")
            #expect(try Self.count(try await Self.send(researcher, "GET", Self.everyone)) == 58)

            let recorded = try await Self.send(secretariat, "POST", "/api/admin/withdrawals", json: ["participant_id": "C10"])
            #expect(recorded.status == 201, "\(String(decoding: recorded.body, as: UTF8.self))")
            #expect(((try recorded.json())["not_in_variant_store"] as? [String])?.isEmpty == true)
            let nobody = try await Self.send(secretariat, "POST", "/api/admin/withdrawals", json: ["withdrawals": [["participant_id": "C99"]]])
            #expect(((try nobody.json())["not_in_variant_store"] as? [String]) == ["C99"], "a mistyped id is reported")
            #expect(try Self.count(try await Self.send(researcher, "GET", Self.everyone)) == 56, "C10's tumour and normal")
            let individuals = try await Self.send(researcher, "GET", Self.everyone.replacingOccurrences(of: "biosamples", with: "individuals"))
            #expect(try Self.count(individuals) == 28)

            let csv = Array("participant_id,effective_at\nC10,2026-11-01\nC11,2026-11-02\n".utf8)
            let bulk = try await offThread { try secretariat.request("POST", "/api/admin/withdrawals", headers: [("Content-Type", "text/csv")], body: csv) }
            #expect(bulk.status == 201)
            #expect((try bulk.json())["recorded"] as? Int == 1)
            #expect((try bulk.json())["already_withdrawn"] as? Int == 1)
            #expect(try Self.count(try await Self.send(researcher, "GET", Self.everyone)) == 54)

            let repeated = try await offThread { try secretariat.request("POST", "/api/admin/withdrawals", headers: [("Content-Type", "text/csv")], body: csv) }
            #expect(repeated.status == 200)
            #expect((try repeated.json())["recorded"] as? Int == 0)

            let status = try await Self.send(secretariat, "GET", "/api/admin/withdrawals?participant_id=C11")
            #expect((try status.json())["withdrawn_total"] as? Int == 3)
            #expect(((try status.json())["participant"] as? [String: Any])?["participant_id"] as? String == "C11")

            // Every answer honours it, aggregates too.
            let summary = try await Self.send(researcher, "GET", "/api/aggregate/cohort-summary")
            let samples = ((try summary.json())["cohortSamples"] as? Int)
            #expect(samples == 54)
        }
    }

    @Test("jurisdiction: researcher-us without a basis counts overseas-consent samples only; DE, GB and JP count all; an academic-research approval counts all")
    func jurisdiction() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data, disclosure: DisclosurePolicy(minimumCohortSize: 5)) { gateway in
            let us = try await gateway.client("researcher-us")
            let restricted = try await Self.send(us, "GET", Self.everyone)
            #expect(try Self.count(restricted) == 10, "C01-C05 consented to overseas provision")
            let note = ((try restricted.json())["info"] as? [String: Any])?["cohortRestriction"] as? String
            #expect(note?.contains("overseas") == true)
            #expect(note?.contains("US") == true)
            for member in ["researcher-de", "researcher-gb", "researcher-jp"] {
                #expect(try Self.count(try await gateway.get(Self.everyone, as: member)) == 58, "\(member)")
            }

            let secretariat = try await gateway.client("secretariat")
            let created = try await Self.send(secretariat, "POST", "/api/admin/approvals", json: [
                "id": "A-2026-010", "decision_reference": "DURC-2026-010", "decision_date": "2026-06-01",
                "title": "Joint academic study of tumour mutational burden", "purpose": "causal-gene-research",
                "organization": "example-therapeutics", "members": ["researcher-us"],
                "scope": ["datasets": ["demo-wgs"], "query_kinds": ["beacon-count", "beacon-boolean"]],
                "commercial_use": false, "valid_from": "2026-06-01", "valid_until": "2030-03-31", "legal_basis": "academic-research",
            ])
            #expect(created.status == 201, "\(String(decoding: created.body, as: UTF8.self))")

            // Two approvals in force: the request must name one.
            #expect(Self.errorCode(try await Self.send(us, "GET", Self.everyone)) == "approval_ambiguous")
            let academic = try await Self.send(us, "GET", Self.everyone, headers: [("X-Approval-Id", "A-2026-010")])
            #expect(try Self.count(academic) == 58)
            #expect(academic.headers["x-approval-id"] == "A-2026-010")
            let version = try #require((try created.json())["policy_version"] as? Int)
            #expect(academic.headers["x-policy-version"] == String(version))
            #expect(((try academic.json())["info"] as? [String: Any])?["cohortRestriction"] == nil)
            let commercial = try await Self.send(us, "GET", Self.everyone + "&approval=A-2026-004")
            #expect(try Self.count(commercial) == 10)
            // The academic approval does not cover aggregates.
            let outOfScope = try await Self.send(us, "GET", "/api/aggregate/cohort-summary?approval=A-2026-010")
            #expect(Self.errorCode(outOfScope) == "out_of_scope_query")
            // An approval of another member is not the caller's to use.
            #expect(Self.errorCode(try await Self.send(us, "GET", Self.everyone + "&approval=A-2026-001")) == "no_approval")
            #expect(Self.errorCode(try await Self.send(us, "GET", Self.everyone + "&approval=NOPE")) == "no_approval")
        }
    }

    @Test("the equivalence list is editable: a country taken off counts overseas-consent samples only from the next request")
    func equivalenceList() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data, disclosure: DisclosurePolicy(minimumCohortSize: 5)) { gateway in
            let de = try await gateway.client("researcher-de")
            #expect(try Self.count(try await Self.send(de, "GET", Self.everyone)) == 58)
            let secretariat = try await gateway.client("secretariat")
            let ended = try await Self.send(secretariat, "POST", "/api/admin/jurisdictions",
                                            json: ["country": "DE", "name": "Germany", "effective_from": "2019-01-23", "effective_until": "2020-01-01"])
            #expect(ended.status == 200, "\(String(decoding: ended.body, as: UTF8.self))")
            #expect(try Self.count(try await Self.send(de, "GET", Self.everyone)) == 10)
            let bad = try await Self.send(secretariat, "POST", "/api/admin/jurisdictions", json: ["country": "XX", "effective_from": "2019-01-23"])
            #expect(bad.status == 400)
            #expect(String(decoding: bad.body, as: UTF8.self).contains("country"))
        }
    }

    @Test("scope: a dataset or cancer type outside the approval is refused with its reason code")
    func scope() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data) { gateway in
            let secretariat = try await gateway.client("secretariat")
            let amended = try await Self.send(secretariat, "PATCH", "/api/admin/approvals/A-2026-001",
                                              json: ["scope": ["datasets": ["demo-wgs"], "query_kinds": ["beacon-count"], "cancer_types": ["NCIT:C2916"]]])
            #expect(amended.status == 200, "\(String(decoding: amended.body, as: UTF8.self))")
            let jp = try await gateway.client("researcher-jp")
            // Carcinoma covers breast, lung and colorectal carcinoma: the whole cohort.
            #expect(try Self.count(try await Self.send(jp, "GET", Self.everyone + "&filters=NCIT:C4872")) == 20)
            #expect(Self.errorCode(try await Self.send(jp, "GET", Self.everyone + "&datasets=jp-wgs-cancer")) == "out_of_scope_dataset")
            #expect(Self.errorCode(try await Self.send(jp, "GET", Self.everyone.replacingOccurrences(of: "count", with: "boolean"))) == "out_of_scope_query")

            let narrowed = try await Self.send(secretariat, "PATCH", "/api/admin/approvals/A-2026-001",
                                               json: ["scope": ["datasets": ["demo-wgs"], "query_kinds": ["beacon-count"], "cancer_types": ["NCIT:C4872"]]])
            #expect(narrowed.status == 200)
            #expect(Self.errorCode(try await Self.send(jp, "GET", Self.everyone + "&filters=NCIT:C4878")) == "out_of_scope_cancer_type")
            let breastOnly = try await Self.send(jp, "GET", Self.everyone)
            #expect(try Self.count(breastOnly) == 20, "no filter: restricted to the approved cancer type")
        }
    }

    @Test("consent: a commercial approval is refused on a non-commercial (NCU) dataset; an academic one is answered")
    func consentCodes() async throws {
        let policy = DevPKI.temporaryFolder("policy-ncu")
        for file in ["organizations", "members", "approvals", "jurisdictions"] {
            try FileManager.default.copyItem(atPath: DevPKI.repositoryRoot + "/policy/\(file).yaml", toPath: policy + "/\(file).yaml")
        }
        try """
            datasets:
              - id: demo-wgs
                name: Demo whole genomes, non-commercial use only
                duo: [{id: "DUO:0000042"}, {id: "DUO:0000046"}]
            """.write(toFile: policy + "/datasets.yaml", atomically: true, encoding: .utf8)
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data, policy: policy, disclosure: DisclosurePolicy(minimumCohortSize: 5)) { gateway in
            let refused = try await gateway.get(Self.everyone, as: "researcher-us")
            #expect(refused.status == 403)
            #expect(Self.errorCode(refused) == "purpose_incompatible_with_consent")
            #expect(String(decoding: refused.body, as: UTF8.self).contains("NCU"))
            #expect(try await gateway.get(Self.everyone, as: "researcher-jp").status == 200)
        }
    }

    @Test("bad admin input is 400 naming the field, and nothing is applied", arguments: [
        (["valid_until": "2026-01-01"], "valid_until"),
        (["valid_untill": "2030-01-01"], "valid_untill"),
        (["members": ["researcher-jp"]], "members[0]"),
        (["purpose": "marketing"], "purpose"),
        (["scope": ["datasets": ["nope"], "query_kinds": ["beacon-count"]]], "scope.datasets[0]"),
        (["scope": ["datasets": ["demo-wgs"], "query_kinds": ["record-dump"]]], "query_kinds"),
        (["legal_basis": "academic-research"], "legal_basis"),
    ] as [([String: any Sendable], String)])
    func badApproval(change: [String: any Sendable], field: String) async throws {
        try await TestGateway.with { gateway in
            var approval: [String: Any] = [
                "id": "A-BAD", "decision_reference": "DURC-X", "decision_date": "2026-06-01", "title": "t",
                "purpose": "trial-design", "organization": "example-therapeutics", "members": ["researcher-us"],
                "scope": ["datasets": ["demo-wgs"], "query_kinds": ["beacon-count"]], "commercial_use": true,
                "valid_from": "2026-06-01", "valid_until": "2030-03-31",
            ]
            for (key, value) in change { approval[key] = value }
            let secretariat = try await gateway.client("secretariat")
            let before = try await Self.send(secretariat, "GET", "/api/admin/approvals")
            let response = try await Self.send(secretariat, "POST", "/api/admin/approvals", json: approval)
            let text = String(decoding: response.body, as: UTF8.self)
            #expect(response.status == 400, "\(text)")
            #expect(Self.errorCode(response) == "invalid_policy")
            #expect(text.contains(field), "\(text)")
            let after = try await Self.send(secretariat, "GET", "/api/admin/approvals")
            #expect((try after.json())["policy_version"] as? Int == (try before.json())["policy_version"] as? Int)
            #expect(((try after.json())["records"] as? [Any])?.count == 4)
        }
    }

    @Test("members: the secretariat registers a member and revokes a certificate; it stops authenticating at once")
    func members() async throws {
        try await TestGateway.with { gateway in
            let secretariat = try await gateway.client("secretariat")
            let gb = try await gateway.client("researcher-gb")
            #expect(try await Self.send(gb, "GET", "/api/whoami").status == 200)
            let certificate: [String: String] = ["subject": "CN=researcher-gb,O=University of Oxford,C=GB",
                                                 "issuer": "CN=GenomeGate Dev Consortium CA,O=GenomeGate Consortium,C=JP"]
            let revoked = try await Self.send(secretariat, "POST", "/api/admin/members/researcher-gb/certificates/revoke", json: certificate)
            #expect(revoked.status == 200, "\(String(decoding: revoked.body, as: UTF8.self))")
            #expect(Self.errorCode(try await Self.send(gb, "GET", "/api/whoami")) == "unknown_member", "the certificate maps to nobody now")

            let registered = try await Self.send(secretariat, "POST", "/api/admin/members", json: [
                "id": "researcher-gb2", "name": "Oliver Smith", "organization": "oxford-u", "role": "researcher",
                "certificates": [certificate],
            ])
            #expect(registered.status == 201, "\(String(decoding: registered.body, as: UTF8.self))")
            let whoami = try await Self.send(gb, "GET", "/api/whoami")
            #expect(((try whoami.json())["member"] as? [String: Any])?["id"] as? String == "researcher-gb2")

            let twoRoles = try await Self.send(secretariat, "POST", "/api/admin/members", json: [
                "id": "x", "name": "X", "organization": "oxford-u", "role": ["researcher", "auditor"], "certificates": [certificate],
            ])
            #expect(twoRoles.status == 400)
            #expect(String(decoding: twoRoles.body, as: UTF8.self).contains("one role"))
            let shared = try await Self.send(secretariat, "POST", "/api/admin/members", json: [
                "id": "auditor2", "name": "X", "organization": "audit-department", "role": "auditor", "certificates": [certificate],
            ])
            #expect(shared.status == 400, "one certificate, two members (two roles)")
        }
    }

    @Test("internal errors reach the client as a fixed sentence; the detail stays in the log", arguments: [
        GatewayError(.policyUnavailable, "the policy store /var/lib/genomegate/policy.sqlite cannot be read: SQLite error 11"),
        GatewayError(.serviceUnavailable, "the variant store cannot be read: SQLite error 10: disk I/O error"),
        GatewayError(.invalidConfiguration, "certificate abc is claimed by both x and y"),
        GatewayError(.internalError, "Swift.DecodingError at /work/main/Sources"),
    ])
    func internalDetailStaysInside(error: GatewayError) {
        let message = ErrorResponse.clientMessage(error)
        #expect(!message.contains("SQLite") && !message.contains("/") && !message.contains("abc"), "\(message)")
        #expect(ErrorResponse.response(error, requestID: "r").status.code >= 500)
    }

    @Test("policy denials keep their message: it names what the caller can act on")
    func denialMessages() {
        #expect(ErrorResponse.clientMessage(GatewayError(.noApproval, "member m has no approval 'A'")) == "member m has no approval 'A'")
    }
}
