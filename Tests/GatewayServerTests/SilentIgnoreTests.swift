import Foundation
import GatewayTestSupport
import Testing

/// Inputs the adversarial review found accepted and then ignored or read loosely (issue 9):
/// each is now refused with 400 naming it, or honoured.
@Suite("Nothing a client sends is silently ignored")
struct SilentIgnoreTests {
    static func message(_ response: TestTLSClient.Response) -> String {
        let body = (try? response.json()) ?? [:]
        if let error = body["error"] as? [String: Any] { return "\(error["message"] ?? error["errorMessage"] ?? "")" }
        return String(decoding: response.body, as: UTF8.self)
    }

    static func send(_ client: TestTLSClient, _ method: String, _ path: String, _ body: String = "",
                     headers: [(String, String)] = []) async throws -> TestTLSClient.Response {
        let contentType: [(String, String)] = body.isEmpty ? [] : [("Content-Type", "application/json")]
        return try await offThread { try client.request(method, path, headers: headers + contentType, body: Array(body.utf8)) }
    }

    @Test("a query string on a route that reads none is refused, and a change asked with one is not applied")
    func queryStringsRefused() async throws {
        try await TestGateway.with { gateway in
            let secretariat = try await gateway.client("secretariat")
            let auditor = try await gateway.client("auditor")
            for (client, method, path, body) in [
                (secretariat, "GET", "/api/whoami?bogus=1", ""), (secretariat, "GET", "/api/admin/approvals?status=suspended", ""),
                (secretariat, "GET", "/api/datasets?bogus=1", ""), (auditor, "GET", "/api/audit/checkpoints?bogus=1", ""),
                (secretariat, "PATCH", "/api/admin/approvals/A-2026-001?dry_run=true", #"{"title":"Changed despite dry_run"}"#),
                (secretariat, "POST", "/api/admin/approvals/A-2026-002/suspend?reason=fraud", ""),
            ] {
                let response = try await Self.send(client, method, path, body)
                let name = String(path.split(separator: "?")[1].prefix { $0 != "=" })
                #expect(response.status == 400, "\(method) \(path)")
                #expect(Self.message(response).contains("'\(name)'"), "\(method) \(path): \(Self.message(response))")
            }
            let approval = try await Self.send(secretariat, "GET", "/api/admin/approvals/A-2026-001")
            let record = ((try approval.json())["records"] as? [[String: Any]])?.first
            #expect(record?["title"] as? String != "Changed despite dry_run", "the refused change was not applied")
            let other = ((try await Self.send(secretariat, "GET", "/api/admin/approvals/A-2026-002").json())["records"] as? [[String: Any]])?.first
            #expect(other?["status"] as? String == "active")
        }
    }

    @Test("Beacon parameters that were accepted and ignored are refused, naming them", arguments: [
        ("granularity=boolean", "not both"),
        ("requestedSchema=ga4gh-phenopacket-v2", "requestedSchema"),
        ("referenceName=1&start=10&variantType=FOO", "variantType 'FOO'"),
        ("referenceName=1&start=10&referenceBases=&alternateBases=A", "referenceBases"),
        ("referenceName=1&start=%2B0&alternateBases=A", "start"),
        ("referenceName=1&start=%200&alternateBases=A", "start"),
        ("limit=%2B5", "limit"),
        ("approval=A-2026-001", "named twice"),
    ])
    func beaconParameters(query: String, says: String) async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data) { gateway in
            let client = try await gateway.client("researcher-jp")
            let headers = query.hasPrefix("approval=") ? [("X-Approval-Id", "A-2026-002")] : []
            let response = try await Self.send(client, "GET", "/api/biosamples?requestedGranularity=count&" + query, headers: headers)
            #expect(response.status == 400, "\(query): \(Self.message(response))")
            #expect(Self.message(response).contains(says), "\(query): \(Self.message(response))")
        }
    }

    @Test("approval ids: a header given twice, one too long, a GET with a body are refused; pagination is echoed as sent")
    func approvalHeadersAndBodies() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data) { gateway in
            let client = try await gateway.client("researcher-jp")
            let twice = try await Self.send(client, "GET", "/api/biosamples?requestedGranularity=count",
                                            headers: [("X-Approval-Id", "A-2026-001"), ("X-Approval-Id", "A-2026-002")])
            #expect(twice.status == 400 && Self.message(twice).contains("X-Approval-Id header is given 2 times"), "\(Self.message(twice))")
            let long = try await Self.send(client, "GET", "/api/biosamples?requestedGranularity=count", headers: [("X-Approval-Id", String(repeating: "A", count: 15_000))])
            #expect(long.status == 400 && Self.message(long).contains("is not an approval id"))
            #expect(long.body.count < 2_000, "the id is not echoed back in full")
            let bodied = try await Self.send(client, "GET", "/api/biosamples?requestedGranularity=count", #"{"query":{"filters":["NCIT:C4872"]}}"#)
            #expect(bodied.status == 400 && Self.message(bodied).contains("with POST"), "\(Self.message(bodied))")
            for (body, says) in [
                (#"{"meta":{"apiVersion":"banana"}}"#, "apiVersion"),
                (#"{"meta":{"apiVersion":"v2.0.0","requestedSchemas":[{"entityType":"x","schema":"junk"}]}}"#, "requestedSchemas"),
                (#"{"query":{"filters":[{"id":"NCIT:C4872","scope":"nonsense"}]}}"#, "scope 'nonsense'"),
            ] {
                let response = try await Self.send(client, "POST", "/api/biosamples", body)
                #expect(response.status == 400 && Self.message(response).contains(says), "\(body): \(Self.message(response))")
            }
            let paged = try await Self.send(client, "POST", "/api/biosamples",
                                            #"{"meta":{"apiVersion":"v2.0.0","requestedSchemas":[{"entityType":"biosample","schema":"beacon-biosample-v2.0.0"}]},"query":{"requestedGranularity":"count","pagination":{"skip":2,"limit":7}}}"#)
            #expect(paged.status == 200, "\(Self.message(paged))")
            let summary = ((try paged.json())["meta"] as? [String: Any])?["receivedRequestSummary"] as? [String: Any]
            let pagination = summary?["pagination"] as? [String: Any]
            #expect(pagination?["skip"] as? Int == 2 && pagination?["limit"] as? Int == 7, "\(String(describing: pagination))")
            let bom = try await offThread { try client.request("POST", "/api/biosamples", headers: [("Content-Type", "application/json")], body: [0xEF, 0xBB, 0xBF] + Array("{}".utf8)) }
            #expect(bom.status == 400 && Self.message(bom).contains("byte order mark"), "\(Self.message(bom))")
        }
    }

    @Test("audit export: an empty range, an empty or malformed filter value, a '+' number are refused", arguments: [
        ("from_sequence=5&to_sequence=3", "after to_sequence"),
        ("from_time=2026-11-30T00:00:00Z&to_time=2026-11-29T00:00:00Z", "after to_time"),
        ("member=", "member"),
        ("approval=A%20B", "approval"),
        ("from_sequence=%2B5", "from_sequence"),
    ])
    func auditExportFilters(query: String, says: String) async throws {
        try await TestGateway.with { gateway in
            let auditor = try await gateway.client("auditor")
            let response = try await offThread { try auditor.request("GET", "/api/audit/records?" + query) }
            #expect(response.status == 400, "\(query)")
            #expect(Self.message(response).contains(says), "\(query): \(Self.message(response))")
        }
    }
}
