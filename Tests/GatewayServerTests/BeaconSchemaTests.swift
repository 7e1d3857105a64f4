import Foundation
import GatewayTestSupport
import Testing

/// Responses validate against the official Beacon v2 and GA4GH service-info schemas
/// (copied into Fixtures/beacon-v2 with their LICENSE), checked by Python's jsonschema.
@Suite("Schemas")
struct BeaconSchemaTests {
    static let fixtures = DevPKI.repositoryRoot + "/Tests/GatewayServerTests/Fixtures"

    /// Validates `json` against `schema` (a path under Fixtures/beacon-v2/framework/json); returns the validator's complaint, if any.
    static func validate(_ json: [UInt8], schema: String) async throws -> Subprocess.Result {
        try await Subprocess.run(["python3", fixtures + "/validate_schema.py", fixtures + "/beacon-v2/framework/json/" + schema], input: json)
    }

    @Test("/api/info validates against beaconInfoResponse.json")
    func info() async throws {
        try await TestGateway.with { gateway in
            let response = try await gateway.get("/api/info", as: "researcher-jp")
            #expect(response.status == 200)
            let result = try await Self.validate(response.body, schema: "responses/beaconInfoResponse.json")
            #expect(result.status == 0, "\(result.output)")
        }
    }

    @Test("/api/service-info validates against the GA4GH service-info schema")
    func serviceInfo() async throws {
        try await TestGateway.with { gateway in
            let response = try await gateway.get("/api/service-info", as: "auditor")
            #expect(response.status == 200)
            let result = try await Self.validate(response.body, schema: "responses/ga4gh-service-info-1-0-0-schema.json")
            #expect(result.status == 0, "\(result.output)")
        }
    }

    @Test("the validator itself rejects a document missing required fields")
    func validatorRejects() async throws {
        let result = try await Self.validate(Array(#"{"meta": {"beaconId": "x"}}"#.utf8), schema: "responses/beaconInfoResponse.json")
        #expect(result.status != 0)
        #expect(result.output.contains("required"))
    }
}
