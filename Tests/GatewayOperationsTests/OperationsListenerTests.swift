import Foundation
import GatewayOperations
import GatewayTestSupport
import Logging
import ServiceLifecycle
import Synchronization
import Testing

@Suite("Operations listener: /metrics, /healthz, /readyz over plain HTTP")
struct OperationsListenerTests {
    /// Runs a listener on an ephemeral loopback port with `checks` for the body.
    static func with(checks: [ReadinessCheck], _ body: @Sendable (Int, GatewayMetrics) async throws -> Void) async throws {
        let metrics = GatewayMetrics()
        let endpoints = OperationsEndpoints(metrics: metrics, checks: checks) { metrics.setPolicyVersion(4) }
        let logger = Logger(label: "operations-test")
        let listener = try await OperationsListener.bind(host: "127.0.0.1", port: 0, endpoints: endpoints, logger: logger)
        let port = try #require(listener.localAddress.port)
        let group = ServiceGroup(configuration: .init(services: [listener], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do { try await body(port, metrics) } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    static func get(_ port: Int, _ path: String, method: String = "GET") async throws -> PlainHTTP.Response {
        try await offThread { try PlainHTTP.request(port: port, method, path) }
    }

    @Test("healthz, readyz and metrics answer; other paths 404, other methods 405")
    func endpoints() async throws {
        try await Self.with(checks: [ReadinessCheck(name: "policy") { nil }]) { port, metrics in
            metrics.recordRequest(route: "/api/info", method: "GET", status: 200, allowed: true, nanoseconds: 1000)
            let health = try await Self.get(port, "/healthz")
            #expect(health.status == 200 && health.body == "ok\n")
            let ready = try await Self.get(port, "/readyz")
            #expect(ready.status == 200 && ready.body == "{\"status\":\"ready\"}\n", "\(ready.body)")
            let scraped = try await Self.get(port, "/metrics")
            #expect(scraped.status == 200)
            #expect(scraped.headers["content-type"] == GatewayMetrics.contentType)
            #expect(scraped.body.contains(#"genomegate_http_requests_total{route="/api/info",method="GET",status="200",decision="allow"} 1"#))
            #expect(scraped.body.contains("genomegate_policy_version 4"), "refreshed before rendering")
            let head = try await Self.get(port, "/metrics", method: "HEAD")
            #expect(head.status == 200 && head.body.isEmpty && head.headers["content-length"] != "0")
            #expect(try await Self.get(port, "/metrics/../etc").status == 404)
            #expect(try await Self.get(port, "/").status == 404)
            let post = try await Self.get(port, "/metrics", method: "POST")
            #expect(post.status == 405 && post.headers["allow"] == "GET, HEAD")
        }
    }

    @Test("readyz: 503 naming every failing part and why; a probe that hangs fails by its deadline")
    func unready() async throws {
        let checks = [
            ReadinessCheck(name: "policy") { nil },
            ReadinessCheck(name: "audit") { "the audit store cannot be written" },
            ReadinessCheck(name: "variants") { "no such table: \"sample\"" },
        ]
        try await Self.with(checks: checks) { port, _ in
            let ready = try await Self.get(port, "/readyz")
            #expect(ready.status == 503)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(ready.body.utf8)) as? [String: Any])
            #expect(object["status"] as? String == "unready")
            #expect(object["failing"] as? [String] == ["audit", "variants"])
            let detail = try #require(object["detail"] as? [String: String])
            #expect(detail["variants"] == "no such table: \"sample\"")
        }
        let report = await ReadinessCheck.run([ReadinessCheck(name: "slow") {
            try? await Task.sleep(for: .seconds(30))
            return nil
        }], timeout: .milliseconds(200))
        #expect(report.failures.map(\.name) == ["slow"])
    }

    @Test("a busy port cannot be bound twice")
    func busyPort() async throws {
        try await Self.with(checks: []) { port, metrics in
            await #expect(throws: (any Error).self) {
                _ = try await OperationsListener.bind(host: "127.0.0.1", port: port, endpoints: OperationsEndpoints(metrics: metrics, checks: []),
                                                      logger: Logger(label: "second"))
            }
        }
    }
}

@Suite("JSON log lines")
struct JSONLogHandlerTests {
    @Test("one object per line: timestamp, level, label, message, metadata; text is escaped")
    func lines() throws {
        let lines = Mutex<[String]>([])
        var handler = JSONLogHandler(label: "genomegate", output: JSONLogOutput { line in lines.withLock { $0.append(line) } })
        handler.logLevel = .info
        handler[metadataKey: "member"] = "researcher-jp"
        let logger = Logger(label: "genomegate") { _ in handler }
        logger.debug("filtered out")
        logger.info("request \"quoted\"\nnext", metadata: ["status": .stringConvertible(200), "path": ["a", "b"], "nested": ["k": "v"]])
        let written = lines.withLock { $0 }
        #expect(written.count == 1)
        let line = try #require(written.first)
        #expect(line.hasSuffix("}\n") && line.dropLast().firstIndex(of: "\n") == nil, "one line")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["level"] as? String == "info")
        #expect(object["label"] as? String == "genomegate")
        #expect(object["message"] as? String == "request \"quoted\"\nnext")
        let metadata = try #require(object["metadata"] as? [String: Any])
        #expect(metadata["member"] as? String == "researcher-jp")
        #expect(metadata["status"] as? String == "200")
        #expect(metadata["path"] as? [String] == ["a", "b"])
        #expect((metadata["nested"] as? [String: String])?["k"] == "v")
        let timestamp = try #require(object["timestamp"] as? String)
        #expect(timestamp.count == 24 && timestamp.hasSuffix("Z"), "\(timestamp)")
    }

    @Test("timestamps are UTC RFC 3339 with milliseconds")
    func timestamp() {
        let line = JSONLogHandler.line(time: Date(timeIntervalSince1970: 1_775_034_000.25), level: .notice, label: "l", message: "m", metadata: [:])
        #expect(line == #"{"timestamp":"2026-04-01T09:00:00.250Z","level":"notice","label":"l","message":"m","metadata":{}}"# + "\n", "\(line)")
    }
}
