import AuditLog
import Foundation
@testable import GatewayServer
import GatewayTestSupport
import Testing

/// Connections that would lock members out or mislead the audit: silent TCP connections,
/// a request followed at once by close_notify, CONNECT.
@Suite("Connection abuse")
struct ConnectionAbuseTests {
    @Test("raw TCP connections that never send a ClientHello do not lock a member out")
    func silentConnectionsDoNotLockOut() async throws {
        var limits = GatewayConfiguration.Limits()
        limits.maxConnections = 8
        limits.maxPendingHandshakes = 4
        limits.maxPendingHandshakesPerAddress = 2
        // A long handshake timeout: the silent connections hold their slots for the whole test.
        try await TestGateway.with(limits: limits, handshakeTimeout: .seconds(120)) { gateway in
            let port = gateway.port
            let silent = try await offThread { try (0..<12).map { _ in try TestSocket(port: port, timeout: 2) } }
            try await Task.sleep(for: .seconds(1))
            // All but the per-address cap are closed at once, without a byte (the wait only bounds
            // a loaded machine; the two held ones wait their 120 s handshake timeout).
            let closed = try await offThread {
                silent.map { socket in
                    socket.setTimeout(8)
                    let (bytes, closed) = socket.readUntilClosed()
                    return closed && bytes.isEmpty
                }.count { $0 }
            }
            #expect(closed == 10, "\(closed) of 12 silent connections closed; 2 should be held")
            // A member from another address connects and is answered.
            let member = try await gateway.curl(["--interface", "127.0.0.2", "-o", "/dev/null", "-w", "%{http_code}",
                                                 "https://127.0.0.1:\(port)/api/whoami", "--resolve", "localhost:\(port):127.0.0.1"],
                                                as: "researcher-jp")
            #expect(member.stdout == "200", "\(member.output)")
            #expect(gateway.server.limiter.pending <= 2)
        }
    }

    @Test("a request followed at once by close_notify is answered and audited under its certificate")
    func closeNotifyAfterRequest() async throws {
        try await TestGateway.with { gateway in
            let head = gateway.server.audit.headSequence
            let client = try await gateway.client("researcher-jp")
            let response = try await offThread {
                try client.write(Array("GET /api/whoami HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
                client.sendCloseNotify()
                return try client.readResponse()
            }
            #expect(response.status == 200)
            #expect(response.text.contains("researcher-jp"), "\(response.text)")
            let record = try await AuditProbe.waitForRecord(gateway.server.audit, after: head) { $0.path == "/api/whoami" }
            #expect(record.member == "researcher-jp" && record.decision == "allow", "\(record)")
            #expect(client.ending() == .closeNotify, "the connection closes after the answer")
        }
    }

    @Test("openssl s_client piping one request (close_notify and FIN at once) is audited as its member")
    func sClientPipedRequest() async throws {
        try await TestGateway.with { gateway in
            for _ in 0..<3 {
                let head = gateway.server.audit.headSequence
                let result = try await Subprocess.run([
                    "openssl", "s_client", "-connect", "127.0.0.1:\(gateway.port)",
                    "-cert", gateway.pki + "/researcher-jp.pem", "-key", gateway.pki + "/researcher-jp.key",
                    "-CAfile", gateway.pki + "/ca.pem",
                ], input: Array("GET /api/whoami HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
                let record = try await AuditProbe.waitForRecord(gateway.server.audit, after: head) { $0.method == "GET" }
                #expect(record.member == "researcher-jp", "\(record) / \(result.output)")
                #expect(record.reasons.contains("no_peer_identity") == false)
                #expect(record.certificateSubject?.contains("researcher-jp") == true)
            }
        }
    }

    @Test("CONNECT is refused with 405 and Connection: close before routing, and audited")
    func connectRefused() async throws {
        try await TestGateway.with { gateway in
            let head = gateway.server.audit.headSequence
            let client = try await gateway.client("researcher-jp")
            let response = try await offThread {
                try client.write(Array("CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\nGET /api/whoami HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
                return try client.readResponse()
            }
            #expect(response.status == 405)
            #expect(response.headers["connection"]?.lowercased() == "close")
            // NIO's encoder sends an answer to CONNECT without a body (RFC 9112 §6.3's tunnel framing).
            let started = Date()
            #expect(client.ending() == .closeNotify)
            #expect(Date().timeIntervalSince(started) < 5, "closed at once, not at the idle timeout")
            let record = try await AuditProbe.waitForRecord(gateway.server.audit, after: head) { $0.status == 405 }
            #expect(record.reasons == ["method_not_allowed"] && record.decision == "deny")
            #expect(record.certificateSubject?.contains("researcher-jp") == true)
        }
    }

    @Test("the connection hardening keys are read, with their defaults")
    func configurationKeys() throws {
        let limits = try ConnectionLimitTests.resolve("""
              max_connections: 100
              max_pending_handshakes: 10
              max_pending_handshakes_per_address: 3
              write_timeout_seconds: 5
              shutdown_grace_seconds: 2.5
            """).limits
        #expect(limits.maxPendingHandshakes == 10 && limits.maxPendingHandshakesPerAddress == 3)
        #expect(limits.writeTimeout == .seconds(5) && limits.shutdownGrace == .milliseconds(2500))
        let defaults = try ConnectionLimitTests.resolve("  max_body_bytes: 1000").limits
        #expect(defaults.maxPendingHandshakes == nil && defaults.maxPendingHandshakesPerAddress == 256)
        #expect(defaults.writeTimeout == .seconds(30) && defaults.shutdownGrace == .seconds(10))
        #expect(ConnectionCounts(maxTotal: 4096, maxPerCertificate: 64).maxPending == 2048, "default: half the connection cap")
    }

    @Test("out-of-range connection hardening keys are refused, naming the key", arguments: [
        ("max_pending_handshakes: 0", "limits.max_pending_handshakes"),
        ("max_pending_handshakes: 5000", "limits.max_pending_handshakes"),
        ("max_pending_handshakes_per_address: 0", "limits.max_pending_handshakes_per_address"),
        ("write_timeout_seconds: 0", "limits.write_timeout_seconds"),
        ("write_timeout_seconds: 4000", "limits.write_timeout_seconds"),
        ("shutdown_grace_seconds: -1", "limits.shutdown_grace_seconds"),
    ])
    func outOfRange(line: String, key: String) {
        do {
            _ = try ConnectionLimitTests.resolve("  " + line)
            Issue.record("\(line) was accepted")
        } catch {
            #expect("\(error)".contains(key), "\(error)")
        }
    }

    @Test("pending handshakes are counted per address and in total, and released")
    func pendingCounts() {
        var counts = ConnectionCounts(maxTotal: 10, maxPerCertificate: 5, maxPending: 3, maxPendingPerAddress: 2)
        let keep = (0..<5).map { _ in NSObject() }
        let keys = keep.map(ObjectIdentifier.init)
        #expect(counts.open(keys[0], address: "a") == nil)
        #expect(counts.open(keys[1], address: "a") == nil)
        #expect(counts.open(keys[2], address: "a") == .pendingHandshakesPerAddress)
        #expect(counts.open(keys[2], address: "b") == nil)
        #expect(counts.open(keys[3], address: "c") == .pendingHandshakes)
        counts.endHandshake(keys[0])
        counts.endHandshake(keys[0])  // idempotent
        #expect(counts.pending == 2 && counts.total == 3)
        #expect(counts.open(keys[3], address: "a") == nil)
    }
}
