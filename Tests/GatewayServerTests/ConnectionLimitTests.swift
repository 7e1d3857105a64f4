import AuditLog
import Foundation
#if canImport(Glibc)
import Glibc
#endif
@testable import GatewayServer
import GatewayTestSupport
import Testing

/// The connection caps: extra connections are refused promptly, existing clients keep being served.
@Suite("Connection limits")
struct ConnectionLimitTests {
    static func limits(total: Int, perCertificate: Int) -> GatewayConfiguration.Limits {
        var limits = GatewayConfiguration.Limits()
        limits.maxConnections = total
        limits.maxConnectionsPerCertificate = perCertificate
        return limits
    }

    /// Whether a raw TCP connection is closed by the gateway within `seconds` without a byte
    /// (refused), or still open (admitted: waiting for its handshake).
    static func closedPromptly(port: Int, within seconds: Double = 1) async throws -> Bool {
        try await offThread {
            let socket = try TestSocket(port: port, timeout: seconds)
            let (bytes, closed) = socket.readUntilClosed()
            return closed && bytes.isEmpty
        }
    }

    @Test("past the total cap, new connections are closed at once; a keep-alive client keeps its answers")
    func totalCap() async throws {
        // A long handshake timeout: the connections filling the cap must hold it however slow the machine.
        // Pending handshakes may fill the whole cap here, so that the total cap is what refuses.
        var limits = Self.limits(total: 4, perCertificate: 4)
        limits.maxPendingHandshakes = 4
        try await TestGateway.with(limits: limits, handshakeTimeout: .seconds(120)) { gateway in
            let port = gateway.port
            let keptAlive = try await gateway.client("researcher-jp")
            #expect(try await offThread { try keptAlive.request("GET", "/api/whoami").status } == 200)
            // Three more fill the cap; they wait in their handshakes.
            let holders = try await offThread { try (0..<3).map { _ in try TestSocket(port: port, timeout: 1) } }
            // Connections are set up on either event loop: wait until the gateway has counted all
            // four, so that the probes below, not a holder, are the ones past the cap.
            for _ in 0..<100 where gateway.server.limiter.open < 4 { try await Task.sleep(for: .milliseconds(50)) }
            #expect(gateway.server.limiter.open == 4)
            // Each is closed at once (the 10 s only bounds a loaded machine; an admitted one would
            // wait the 120 s handshake timeout).
            var refused = 0
            for _ in 0..<6 where try await Self.closedPromptly(port: port, within: 10) { refused += 1 }
            #expect(refused == 6, "every connection past the cap is closed promptly")
            #expect(try await offThread { try keptAlive.request("GET", "/api/whoami").status } == 200)
            let secondTry = try await gateway.curl([gateway.url + "/api/info"], as: "auditor")
            #expect(secondTry.status != 0, "a TLS client past the cap is refused too")
            // Released slots are usable again.
            holders.forEach { _ = Glibc.shutdown($0.descriptor, Int32(SHUT_RDWR)) }
            // The gateway frees their slots once it sees them close (a moment on a loaded machine).
            var fresh: TestTLSClient.Response?
            for _ in 0..<50 where fresh == nil {
                try await Task.sleep(for: .milliseconds(100))
                fresh = try? await gateway.get("/api/whoami", as: "auditor")
            }
            #expect(fresh?.status == 200)
            #expect(try await offThread { try keptAlive.request("GET", "/api/whoami").status } == 200)
        }
    }

    @Test("past the per-certificate cap, that certificate's new connections are closed after the handshake and audited; others still connect")
    func perCertificateCap() async throws {
        try await TestGateway.with(limits: Self.limits(total: 50, perCertificate: 2)) { gateway in
            let head = gateway.server.audit.headSequence
            let first = try await gateway.client("researcher-jp")
            let second = try await gateway.client("researcher-jp")
            #expect(try await offThread { try first.request("GET", "/api/whoami").status } == 200)
            #expect(try await offThread { try second.request("GET", "/api/whoami").status } == 200)
            await #expect(throws: (any Error).self) { try await gateway.requestOnNewConnection("/api/whoami", as: "researcher-jp") }
            let record = try await AuditProbe.waitForRecord(gateway.server.audit, after: head) { $0.method == "TLS" }
            #expect(record.reasons == ["too_many_connections"])
            #expect(record.certificateSubject?.contains("CN=researcher-jp") == true)
            #expect(record.decision == "deny")
            // Another certificate connects; the first two keep being answered.
            #expect(try await gateway.get("/api/whoami", as: "auditor").status == 200)
            #expect(try await offThread { try first.request("GET", "/api/whoami").status } == 200)
            // One closed: its place is free again.
            second.shutdown()
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await gateway.get("/api/whoami", as: "researcher-jp").status == 200)
        }
    }

    static func resolve(_ limitsYAML: String) throws -> GatewayConfiguration {
        let folder = DevPKI.temporaryFolder("config")
        let yaml = """
            listen: 127.0.0.1:0
            tls: {certificate: s.pem, private_key: s.key, client_ca: ca.pem}
            data_dir: data
            audit: {signing_key: a.key}
            limits:
            \(limitsYAML)
            """
        try yaml.write(toFile: folder + "/gateway.yaml", atomically: true, encoding: .utf8)
        return try GatewayConfigurationFile.load(folder + "/gateway.yaml").resolve()
    }

    @Test("the config file's connection keys are read, with their defaults")
    func configurationKeys() throws {
        let limits = try Self.resolve("""
              request_timeout_seconds: 20
              min_request_bytes_per_second: 0
              request_rate_grace_seconds: 2.5
              max_connections: 300
              max_connections_per_certificate: 7
            """).limits
        #expect(limits.requestTimeout == .seconds(20) && limits.minimumRequestBytesPerSecond == 0 && limits.requestRateGrace == .milliseconds(2500))
        #expect(limits.maxConnections == 300 && limits.maxConnectionsPerCertificate == 7)
        let defaults = try Self.resolve("  max_body_bytes: 1000").limits
        #expect(defaults.requestTimeout == .seconds(60) && defaults.minimumRequestBytesPerSecond == 1024 && defaults.requestRateGrace == .seconds(5))
        #expect(defaults.maxConnections == nil && defaults.maxConnectionsPerCertificate == 64)
    }

    @Test("out-of-range connection keys are refused, naming the key", arguments: [
        ("request_timeout_seconds: 0", "limits.request_timeout_seconds"),
        ("request_timeout_seconds: 4000", "limits.request_timeout_seconds"),
        ("min_request_bytes_per_second: -1", "limits.min_request_bytes_per_second"),
        ("request_rate_grace_seconds: 0", "limits.request_rate_grace_seconds"),
        ("request_rate_grace_seconds: 90", "limits.request_rate_grace_seconds"),
        ("max_connections: 0", "limits.max_connections"),
        ("max_connections: 2000000", "limits.max_connections"),
        ("max_connections_per_certificate: 0", "limits.max_connections_per_certificate"),
        ("max_connections_per_certificate: 5000", "limits.max_connections_per_certificate"),
    ])
    func outOfRange(line: String, key: String) {
        do {
            _ = try Self.resolve("  " + line)
            Issue.record("\(line) was accepted")
        } catch {
            #expect("\(error)".contains(key), "\(error)")
        }
    }

    /// The hard descriptor limit, if it is below what `limits.max_connections` may say.
    static var hardDescriptorLimit: Int? {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_max != rlim_t.max, limit.rlim_max < 1_000_000 else { return nil }
        return Int(limit.rlim_max)
    }

    @Test("a configured cap that does not fit the descriptor limit is refused, naming the key", .enabled(if: hardDescriptorLimit != nil))
    func capAboveDescriptorLimit() async throws {
        let total = try #require(Self.hardDescriptorLimit)
        do {
            try await TestGateway.with(limits: Self.limits(total: total, perCertificate: 4)) { _ in }
            Issue.record("a cap of \(total) with a hard descriptor limit of \(total) was accepted")
        } catch {
            #expect("\(error)".contains("limits.max_connections"), "\(error)")
        }
    }
}
