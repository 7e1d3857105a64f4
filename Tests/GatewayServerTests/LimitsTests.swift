import Foundation
import GatewayServer
import GatewayTestSupport
import Testing

@Suite("Request limits")
struct LimitsTests {
    static var limits: GatewayConfiguration.Limits {
        var limits = GatewayConfiguration.Limits()
        limits.maxHeaderBytes = 8 * 1024
        limits.maxBodyBytes = 64 * 1024
        return limits
    }

    @Test("request headers over the limit get 431 headers_too_large")
    func headersOverLimit() async throws {
        try await TestGateway.with(limits: Self.limits) { gateway in
            let response = try await gateway.get("/api/whoami", as: "researcher-jp", headers: [("X-Padding", String(repeating: "a", count: 20 * 1024))])
            #expect(response.status == 431)
            #expect(((try response.json())["error"] as? [String: Any])?["code"] as? String == "headers_too_large")
            // Just under the limit is fine.
            let fine = try await gateway.get("/api/whoami", as: "researcher-jp", headers: [("X-Padding", String(repeating: "a", count: 4 * 1024))])
            #expect(fine.status == 200)
        }
    }

    @Test("a body over the limit gets 413 body_too_large")
    func bodyOverLimit() async throws {
        try await TestGateway.with(limits: Self.limits) { gateway in
            let client = try await gateway.client("researcher-jp")
            let response = try await offThread { try client.request("POST", "/api/whoami", body: [UInt8](repeating: 65, count: 100 * 1024)) }
            #expect(response.status == 413)
            #expect(((try response.json())["error"] as? [String: Any])?["code"] as? String == "body_too_large")
            #expect(response.headers["connection"] == "close")
        }
    }
}
