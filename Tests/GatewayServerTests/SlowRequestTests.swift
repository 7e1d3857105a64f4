import AuditLog
import Foundation
import GatewayServer
import GatewayTestSupport
import Hummingbird
import Testing

/// A request that arrives too slowly or for too long is answered 408 and its connection closed.
@Suite("Slow requests")
struct SlowRequestTests {
    /// Short limits so each test takes a few seconds.
    static func limits(timeout: Duration = .seconds(3), rate: Int = 200, grace: Duration = .seconds(1)) -> GatewayConfiguration.Limits {
        var limits = GatewayConfiguration.Limits()
        limits.requestTimeout = timeout
        limits.minimumRequestBytesPerSecond = rate
        limits.requestRateGrace = grace
        return limits
    }

    /// A route that reads the whole body, as the Beacon POST routes do.
    static let echoRoute: @Sendable (Router<GatewayRequestContext>) -> Void = { router in
        router.post("/test/echo", access: .research) { request, context in
            let body = try await request.body.collect(upTo: context.maxUploadSize)
            return Response(status: .ok, body: .init(byteBuffer: body))
        }
    }

    /// Writes `head`, then one byte of `trickle` every `interval` until the server stops taking
    /// them or `seconds` pass; then reads the answer. Returns it (nil: none came) and the seconds taken.
    static func trickle(_ client: TestTLSClient, head: String, byte: UInt8 = 65, interval: Double = 0.2, seconds: Double = 8)
        async throws -> (TestTLSClient.Response?, Double) {
        try await offThread {
            let started = Date()
            try client.write(Array(head.utf8))
            while Date().timeIntervalSince(started) < seconds {
                Thread.sleep(forTimeInterval: interval)
                do { try client.write([byte]) } catch { break }
            }
            let response = try? client.readResponse()
            return (response, Date().timeIntervalSince(started))
        }
    }

    @Test("a body trickled below the minimum rate gets 408 request_timeout from the router, audited, and the connection closes")
    func slowBody() async throws {
        try await TestGateway.with(limits: Self.limits(), routes: Self.echoRoute) { gateway in
            let head = gateway.server.audit.headSequence
            let client = try await gateway.client("researcher-jp")
            let started = Date()
            let (response, _) = try await Self.trickle(client, head: "POST /test/echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000000\r\n\r\nA", seconds: 3)
            let answer = try #require(response, "no answer to a trickled body")
            let elapsed = Date().timeIntervalSince(started)
            #expect(answer.status == 408)
            #expect(((try answer.json())["error"] as? [String: Any])?["code"] as? String == "request_timeout")
            #expect(answer.headers["connection"] == "close")
            #expect(answer.headers["x-request-id"] != nil, "answered by the router")
            #expect(try await offThread { client.serverClosed() })
            #expect(elapsed < 6, "cut off after \(elapsed) s")
            let record = try await AuditProbe.waitForRecord(gateway.server.audit, after: head) { $0.status == 408 }
            #expect(record.reasons.contains("request_timeout"), "\(record.reasons)")
            #expect(record.path == "/test/echo" && record.method == "POST")
            #expect(record.requestID == answer.headers["x-request-id"])
        }
    }

    @Test("a head trickled below the minimum rate gets 408 (audited before it leaves) and the connection closes")
    func slowHead() async throws {
        try await TestGateway.with(limits: Self.limits()) { gateway in
            let head = gateway.server.audit.headSequence
            let client = try await gateway.client("researcher-jp")
            let (response, elapsed) = try await Self.trickle(client, head: "GET /api/info HTTP/1.1\r\nX-Slow: ", seconds: 3)
            let answer = try #require(response, "no answer to a trickled head")
            #expect(answer.status == 408)
            #expect(((try answer.json())["error"] as? [String: Any])?["code"] as? String == "request_timeout")
            #expect(answer.headers["connection"] == "close")
            #expect(try await offThread { client.serverClosed() })
            #expect(elapsed < 6, "cut off after \(elapsed) s")
            let record = try await AuditProbe.waitForRecord(gateway.server.audit, after: head) { $0.status == 408 }
            #expect(record.reasons == ["request_timeout"])
            #expect(record.certificateSubject?.contains("CN=researcher-jp") == true)
        }
    }

    @Test("without a minimum rate, a request still arriving at the request timeout gets 408")
    func wholeRequestTimeout() async throws {
        try await TestGateway.with(limits: Self.limits(timeout: .seconds(2), rate: 0), routes: Self.echoRoute) { gateway in
            let client = try await gateway.client("researcher-jp")
            let started = Date()
            let (response, _) = try await Self.trickle(client, head: "POST /test/echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000000\r\n\r\n",
                                                       interval: 0.05, seconds: 4)
            let elapsed = Date().timeIntervalSince(started)
            #expect(response?.status == 408)
            #expect(elapsed >= 1.9 && elapsed < 5, "cut off after \(elapsed) s")
        }
    }

    @Test("a keep-alive client with pauses between prompt requests is never cut off")
    func promptRequestsWithPauses() async throws {
        try await TestGateway.with(limits: Self.limits(timeout: .seconds(2), grace: .milliseconds(500)), routes: Self.echoRoute) { gateway in
            let client = try await gateway.client("researcher-jp")
            let statuses = try await offThread {
                var statuses: [Int] = []
                for round in 0..<8 {
                    statuses.append(try client.request("GET", "/api/whoami").status)
                    statuses.append(try client.request("POST", "/test/echo", body: Array(repeating: 66, count: 4096)).status)
                    Thread.sleep(forTimeInterval: round.isMultiple(of: 2) ? 0.6 : 0.1)
                }
                return statuses
            }
            #expect(statuses == Array(repeating: 200, count: 16))
        }
    }
}
