import DisclosureControl
import Foundation
import GatewayTestSupport
import Testing

/// Attacks from the adversarial review (issue 9) replayed through the real gateway: each one
/// crashed it, cost it seconds of CPU, or was answered as if it meant something else.
@Suite("Request hardening")
struct RequestHardeningTests {
    static func errorMessage(_ response: TestTLSClient.Response) -> String {
        let body = (try? response.json()) ?? [:]
        if let error = body["error"] as? [String: Any] {
            return "\(error["code"] ?? "") \(error["message"] ?? error["errorMessage"] ?? "")"
        }
        return String(decoding: response.body, as: UTF8.self)
    }

    static func post(_ client: TestTLSClient, _ path: String, _ body: String, headers: [(String, String)] = []) async throws -> TestTLSClient.Response {
        try await offThread {
            try client.request("POST", path, headers: headers + [("Content-Type", "application/json")], body: Array(body.utf8))
        }
    }

    static func get(_ client: TestTLSClient, _ path: String) async throws -> TestTLSClient.Response {
        try await offThread { try client.request("GET", path) }
    }

    /// Positions at and around Int.max, which trapped on `start + 1` and killed the process.
    static let hugePositions: [(method: String, path: String, body: String?)] = [
        ("GET", "/api/g_variants?referenceName=chr1&start=9223372036854775807&alternateBases=T", nil),
        ("GET", "/api/g_variants?referenceName=chr1&start=9223372036854775806,9223372036854775807&end=1,2", nil),
        ("GET", "/api/aggregate/allele-frequency?referenceName=1&start=2147483647&end=9223372036854775807", nil),
        ("GET", "/api/biosamples?referenceName=1&start=99999999999999999999&alternateBases=T", nil),
        ("POST", "/api/g_variants", #"{"query":{"requestParameters":{"referenceName":"1","start":[9223372036854775807],"alternateBases":"T"}}}"#),
        ("POST", "/api/g_variants", #"{"query":{"requestParameters":{"referenceName":"1","start":[9223372036854775806,9223372036854775807],"end":[1,2]}}}"#),
        ("POST", "/api/g_variants", #"{"query":{"requestParameters":{"referenceName":"1","start":[1e300],"alternateBases":"T"}}}"#),
    ]

    @Test("positions near Int.max are refused with 400 naming the parameter, and the gateway keeps answering")
    func hugePositionsRefused() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data) { gateway in
            let client = try await gateway.client("researcher-jp")
            for attack in Self.hugePositions {
                let response = if let body = attack.body { try await Self.post(client, attack.path, body) } else { try await Self.get(client, attack.path) }
                #expect(response.status == 400, "\(attack.path) \(attack.body ?? ""): \(Self.errorMessage(response))")
                #expect(Self.errorMessage(response).contains("start") || Self.errorMessage(response).contains("end"), "\(Self.errorMessage(response))")
                #expect(Self.errorMessage(response).contains("2147483647"), "the message gives the range: \(Self.errorMessage(response))")
            }
            // The largest allowed position is answered (nothing stored there), not refused.
            let edge = try await Self.get(client, "/api/g_variants?referenceName=1&start=2147483646&end=2147483647&requestedGranularity=count")
            #expect(edge.status == 200, "\(Self.errorMessage(edge))")
            let alive = try await gateway.get("/api/g_variants?referenceName=1&start=0&end=5000&requestedGranularity=count", as: "researcher-de")
            #expect(alive.status == 200)
        }
    }

    /// `[[[...]]]` nested `depth` deep inside a Beacon body.
    static func nestedBody(depth: Int) -> String {
        #"{"query":{"requestParameters":{"referenceName":"1","start":"# + String(repeating: "[", count: depth)
            + String(repeating: "]", count: depth) + "}}}"
    }

    @Test("deeply nested JSON is refused while parsing, naming the depth limit; 30 such bodies in one request too")
    func deepNestingRefused() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data) { gateway in
            let client = try await gateway.client("researcher-jp")
            let deep = try await Self.post(client, "/api/g_variants", Self.nestedBody(depth: 500))
            #expect(deep.status == 400)
            #expect(Self.errorMessage(deep).contains("nested deeper than 32 levels"), "\(Self.errorMessage(deep))")
            let many = "[" + Array(repeating: String(repeating: "[", count: 500) + String(repeating: "]", count: 500), count: 30).joined(separator: ",") + "]"
            let thirty = try await Self.post(client, "/api/biosamples", #"{"query":{"filters":"# + many + "}}")
            #expect(thirty.status == 400, "\(Self.errorMessage(thirty))")
            #expect(Self.errorMessage(thirty).contains("nested deeper"), "\(Self.errorMessage(thirty))")
            let wide = "[" + Array(repeating: "0", count: 200_000).joined(separator: ",") + "]"
            let values = try await Self.post(client, "/api/g_variants", #"{"meta":{"requestedSchemas":"# + wide + "}}")
            #expect(values.status == 400)
            #expect(Self.errorMessage(values).contains("more than 100000 values"), "\(Self.errorMessage(values))")
        }
    }

    @Test("a member whose approval cannot answer is refused before the body is parsed")
    func approvalDecidedBeforeBody() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data) { gateway in
            let client = try await gateway.client("researcher-jp")
            // A-2026-002 is researcher-de's: researcher-jp cannot query under it.
            let refused = try await Self.post(client, "/api/g_variants", Self.nestedBody(depth: 500), headers: [("X-Approval-Id", "A-2026-002")])
            #expect(refused.status == 403)
            #expect(Self.errorMessage(refused).hasPrefix("no_approval"), "the approval, not the body, is what was refused: \(Self.errorMessage(refused))")
        }
    }

    @Test("filters: an operator or value is refused, naming the filter; '=' and the ontology fields are honoured")
    func filterOperators() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data) { gateway in
            let client = try await gateway.client("researcher-jp")
            func count(_ filter: String) async throws -> TestTLSClient.Response {
                try await Self.post(client, "/api/biosamples", #"{"query":{"requestedGranularity":"count","filters":["# + filter + "]}}")
            }
            let negated = try await count(#"{"id":"NCIT:C4878","operator":"!"}"#)
            #expect(negated.status == 400)
            #expect(Self.errorMessage(negated).contains("NCIT:C4878") && Self.errorMessage(negated).contains("operator '!'"), "\(Self.errorMessage(negated))")
            let valued = try await count(#"{"id":"NCIT:C4878","operator":">","value":"3"}"#)
            #expect(valued.status == 400, "\(Self.errorMessage(valued))")
            let similar = try await count(#"{"id":"NCIT:C4878","similarity":"low"}"#)
            #expect(similar.status == 400, "\(Self.errorMessage(similar))")
            let unknown = try await count(#"{"id":"NCIT:C4878","negate":true}"#)
            #expect(unknown.status == 400)
            #expect(Self.errorMessage(unknown).contains("negate"))
            let plain = try await count(#"{"id":"NCIT:C4872"}"#)
            let explicit = try await count(#"{"id":"NCIT:C4872","operator":"=","scope":"biosample","includeDescendantTerms":true,"similarity":"exact"}"#)
            #expect(plain.status == 200 && explicit.status == 200, "\(Self.errorMessage(explicit))")
            #expect(try BeaconAPITests.summary(plain.json()).count == 20, "breast: C01-C10, both tissues")
            #expect(try BeaconAPITests.summary(explicit.json()).count == 20)
        }
    }

    @Test("a POST with a query string, duplicate keys, or bad pagination is refused with 400 naming it")
    func postAmbiguitiesRefused() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data) { gateway in
            let client = try await gateway.client("researcher-jp")
            let body = #"{"query":{"requestedGranularity":"count","filters":["NCIT:C4872"]}}"#
            for query in ["approval=A-2026-001", "filters=NCIT:C4872", "anything=1"] {
                let response = try await Self.post(client, "/api/biosamples?" + query, body)
                #expect(response.status == 400, "\(query)")
                #expect(Self.errorMessage(response).contains(String(query.prefix { $0 != "=" })), "\(Self.errorMessage(response))")
            }
            let twice = try await Self.post(client, "/api/biosamples", #"{"query":{"filters":["NCIT:C4878"],"filters":["NCIT:C4872"]}}"#)
            #expect(twice.status == 400)
            #expect(Self.errorMessage(twice).contains("'filters' appears twice"), "\(Self.errorMessage(twice))")
            for (pagination, name) in [(#"{"skip":-1}"#, "skip"), (#"{"limit":99999999999999999999}"#, "limit"), (#"{"limit":2000000}"#, "limit"), (#"{"page":1}"#, "page")] {
                let response = try await Self.post(client, "/api/biosamples", #"{"query":{"pagination":"# + pagination + "}}")
                #expect(response.status == 400 && Self.errorMessage(response).contains(name), "\(pagination): \(Self.errorMessage(response))")
            }
            for query in ["skip=-1", "limit=99999999999999999999", "skip=1e3", "testMode=true", "includeResultsetResponses=SOME"] {
                let response = try await Self.get(client, "/api/biosamples?requestedGranularity=count&" + query)
                #expect(response.status == 400 && Self.errorMessage(response).contains(String(query.prefix { $0 != "=" })), "\(query): \(Self.errorMessage(response))")
            }
            let paged = try await Self.get(client, "/api/biosamples?requestedGranularity=count&skip=0&limit=10&testMode=false&includeResultsetResponses=HIT")
            #expect(paged.status == 200, "\(Self.errorMessage(paged))")
        }
    }

    @Test("biosamples and individuals apply the same cohort floor as cohort-summary")
    func cohortFloorEverywhere() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data) { gateway in
            // researcher-us counts only C01-C05 (overseas consent): 10 samples, below the minimum of 20.
            let client = try await gateway.client("researcher-us")
            for path in ["/api/biosamples?requestedGranularity=count", "/api/individuals?requestedGranularity=count",
                         "/api/aggregate/cohort-summary", "/api/g_variants?referenceName=1&start=0&end=5000"] {
                let response = try await Self.get(client, path)
                #expect(response.status == 403, "\(path): \(Self.errorMessage(response))")
                #expect(Self.errorMessage(response).contains("cohort_too_small"), "\(path): \(Self.errorMessage(response))")
            }
            let japan = try await gateway.get("/api/individuals?requestedGranularity=count", as: "researcher-jp")
            #expect(japan.status == 200)
        }
    }

    @Test("a wrong method on an existing path is 405 with Allow; an unknown path stays 404")
    func methodNotAllowed() async throws {
        try await TestGateway.with { gateway in
            let researcher = try await gateway.client("researcher-jp")
            let delete = try await offThread { try researcher.request("DELETE", "/api/g_variants") }
            #expect(delete.status == 405)
            #expect(delete.headers["allow"] == "GET, POST", "\(delete.headers)")
            let put = try await offThread { try researcher.request("PUT", "/api/info") }
            #expect(put.status == 405)
            #expect(put.headers["allow"] == "GET")
            let secretariat = try await gateway.client("secretariat")
            let approval = try await offThread { try secretariat.request("DELETE", "/api/admin/approvals/A-2026-001") }
            #expect(approval.status == 405)
            #expect(approval.headers["allow"] == "GET, PATCH", "\(approval.headers)")
            let missing = try await offThread { try researcher.request("GET", "/api/nothing-here") }
            #expect(missing.status == 404)
        }
    }
}
