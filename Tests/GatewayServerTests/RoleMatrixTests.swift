import Foundation
import GatewayTestSupport
import Testing

/// Every endpoint x every role, through the real gateway: who may call what.
///
/// Researchers query data; auditors read only the audit log (issue 5 adds its endpoints);
/// the secretariat only administers policy; service documents are open to every member.
@Suite("Role x endpoint matrix")
struct RoleMatrixTests {
    struct Endpoint: Sendable, CustomStringConvertible {
        var method: String
        var path: String
        var body: String?
        /// Expected status for researcher, auditor, secretariat.
        var researcher: Int, auditor: Int, secretariat: Int
        var description: String { "\(method) \(path)" }
    }

    static let variant = "referenceName=1&start=2999&alternateBases=A"
    static let endpoints: [Endpoint] = [
        // Service information: everyone.
        .init(method: "GET", path: "/api/info", researcher: 200, auditor: 200, secretariat: 200),
        .init(method: "GET", path: "/api/service-info", researcher: 200, auditor: 200, secretariat: 200),
        .init(method: "GET", path: "/api/whoami", researcher: 200, auditor: 200, secretariat: 200),
        .init(method: "GET", path: "/api/configuration", researcher: 200, auditor: 200, secretariat: 200),
        .init(method: "GET", path: "/api/map", researcher: 200, auditor: 200, secretariat: 200),
        .init(method: "GET", path: "/api/entry_types", researcher: 200, auditor: 200, secretariat: 200),
        // Catalogue: researchers and the secretariat.
        .init(method: "GET", path: "/api/filtering_terms", researcher: 200, auditor: 403, secretariat: 200),
        .init(method: "GET", path: "/api/datasets", researcher: 200, auditor: 403, secretariat: 200),
        // Data: researchers only.
        .init(method: "GET", path: "/api/g_variants?" + variant, researcher: 200, auditor: 403, secretariat: 403),
        .init(method: "POST", path: "/api/g_variants", body: #"{"query":{"requestParameters":{"referenceName":"1","start":[2999],"alternateBases":"A"}}}"#, researcher: 200, auditor: 403, secretariat: 403),
        .init(method: "GET", path: "/api/individuals?" + variant, researcher: 200, auditor: 403, secretariat: 403),
        .init(method: "POST", path: "/api/individuals", body: #"{"query":{"requestedGranularity":"count"}}"#, researcher: 200, auditor: 403, secretariat: 403),
        .init(method: "GET", path: "/api/biosamples?" + variant, researcher: 200, auditor: 403, secretariat: 403),
        .init(method: "POST", path: "/api/biosamples", body: #"{"query":{"requestedGranularity":"count"}}"#, researcher: 200, auditor: 403, secretariat: 403),
        .init(method: "GET", path: "/api/aggregate/allele-frequency?" + variant, researcher: 200, auditor: 403, secretariat: 403),
        .init(method: "GET", path: "/api/aggregate/cohort-summary", researcher: 200, auditor: 403, secretariat: 403),
        // Administration: the secretariat only (reads, then writes; bodies checked after the role).
        .init(method: "GET", path: "/api/admin/approvals", researcher: 403, auditor: 403, secretariat: 200),
        .init(method: "GET", path: "/api/admin/approvals/A-2026-003", researcher: 403, auditor: 403, secretariat: 200),
        .init(method: "GET", path: "/api/admin/members", researcher: 403, auditor: 403, secretariat: 200),
        .init(method: "GET", path: "/api/admin/members/auditor", researcher: 403, auditor: 403, secretariat: 200),
        .init(method: "GET", path: "/api/admin/organizations", researcher: 403, auditor: 403, secretariat: 200),
        .init(method: "GET", path: "/api/admin/jurisdictions", researcher: 403, auditor: 403, secretariat: 200),
        .init(method: "GET", path: "/api/admin/withdrawals", researcher: 403, auditor: 403, secretariat: 200),
        .init(method: "GET", path: "/api/admin/history", researcher: 403, auditor: 403, secretariat: 200),
        .init(method: "POST", path: "/api/admin/approvals", body: "{}", researcher: 403, auditor: 403, secretariat: 400),
        .init(method: "PATCH", path: "/api/admin/approvals/A-2026-003", body: #"{"title":"Historical control arms for glioma trials (amended)"}"#, researcher: 403, auditor: 403, secretariat: 200),
        .init(method: "POST", path: "/api/admin/approvals/A-2026-003/suspend", researcher: 403, auditor: 403, secretariat: 200),
        .init(method: "POST", path: "/api/admin/approvals/A-2026-003/reinstate", researcher: 403, auditor: 403, secretariat: 200),
        .init(method: "POST", path: "/api/admin/approvals/A-2026-003/revoke", researcher: 403, auditor: 403, secretariat: 200),
        .init(method: "POST", path: "/api/admin/members", body: "{}", researcher: 403, auditor: 403, secretariat: 400),
        .init(method: "POST", path: "/api/admin/members/researcher-gb/suspend", researcher: 403, auditor: 403, secretariat: 200),
        .init(method: "POST", path: "/api/admin/members/researcher-gb/reinstate", researcher: 403, auditor: 403, secretariat: 200),
        .init(method: "POST", path: "/api/admin/members/researcher-gb/revoke", researcher: 403, auditor: 403, secretariat: 200),
        .init(method: "POST", path: "/api/admin/members/researcher-gb/certificates", body: "{}", researcher: 403, auditor: 403, secretariat: 400),
        .init(method: "POST", path: "/api/admin/members/researcher-gb/certificates/revoke", body: "{}", researcher: 403, auditor: 403, secretariat: 400),
        .init(method: "POST", path: "/api/admin/organizations", body: "{}", researcher: 403, auditor: 403, secretariat: 400),
        .init(method: "PUT", path: "/api/admin/jurisdictions", body: "{}", researcher: 403, auditor: 403, secretariat: 400),
        .init(method: "POST", path: "/api/admin/jurisdictions", body: "{}", researcher: 403, auditor: 403, secretariat: 400),
        .init(method: "POST", path: "/api/admin/withdrawals", body: #"{"participant_id":"NOT-IN-STORE-1"}"#, researcher: 403, auditor: 403, secretariat: 201),
        // Nobody: unknown paths.
        .init(method: "GET", path: "/api/admin/secrets", researcher: 404, auditor: 404, secretariat: 404),
    ]

    @Test("every endpoint answers every role as expected")
    func matrix() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data) { gateway in
            let clients = [
                ("researcher-jp", try await gateway.client("researcher-jp")),
                ("auditor", try await gateway.client("auditor")),
                ("secretariat", try await gateway.client("secretariat")),
            ]
            for endpoint in Self.endpoints {
                for (index, (name, client)) in clients.enumerated() {
                    let expected = [endpoint.researcher, endpoint.auditor, endpoint.secretariat][index]
                    let headers = endpoint.body == nil ? [] : [("Content-Type", "application/json")]
                    let body = Array((endpoint.body ?? "").utf8)
                    let response = try await offThread { try client.request(endpoint.method, endpoint.path, headers: headers, body: body) }
                    #expect(response.status == expected, "\(endpoint) as \(name): \(String(decoding: response.body.prefix(300), as: UTF8.self))")
                    if expected == 403 {
                        let code = ((try? response.json())?["error"] as? [String: Any])?["code"] as? String
                        #expect(code == "role_forbidden", "\(endpoint) as \(name)")
                    }
                }
            }
            // A certificate registered to nobody gets nothing, not even service information.
            let stranger = try await gateway.get("/api/info", as: "unregistered")
            #expect(stranger.status == 403)
            #expect(String(decoding: stranger.body, as: UTF8.self).contains("unknown_member"))
        }
    }
}
