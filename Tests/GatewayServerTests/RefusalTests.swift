import Foundation
import GatewayTestSupport
import GatewayTLS
import Testing

/// Everything that must be refused is refused, each for its own reason.
@Suite("Mutual TLS: refused clients")
struct RefusalTests {
    @Test("no client certificate: handshake refused")
    func noClientCertificate() async throws {
        try await TestGateway.with { gateway in
            let result = try await gateway.curl([gateway.url + "/api/info"], as: nil)
            #expect(result.status != 0)
            #expect(!result.stdout.contains("beaconId"))
            let failure = try await gateway.handshakes.waitForFailure()
            #expect(failure.message.contains("peer did not return a certificate"), "\(failure.message)")
            #expect(failure.code == .noCertificate)
        }
    }

    @Test("refused certificates", arguments: [
        ("stranger", "unable to get local issuer certificate", TLSError.Code.certificateUnknownCA),
        ("expired", "certificate has expired", .certificateExpired),
        ("notyet", "certificate is not yet valid", .certificateNotYetValid),
        ("revoked", "certificate revoked", .certificateRevoked),
    ])
    func refusedCertificate(identity: String, reason: String, code: TLSError.Code) async throws {
        try await TestGateway.with { gateway in
            let result = try await gateway.curl([gateway.url + "/api/whoami"], as: identity)
            #expect(result.status != 0, "curl should fail for \(identity)")
            #expect(!result.stdout.contains("member"))
            let failure = try await gateway.handshakes.waitForFailure()
            #expect(failure.code == code)
            #expect(failure.message.contains(reason), "\(failure.message)")
            // The refusal names the certificate that was shown, for the audit trail.
            #expect(failure.peerSubject?.contains("CN=\(identity)") == true, "\(failure.peerSubject ?? "none")")
        }
    }

    @Test("each kind of refused handshake is audited with its own reason code", arguments: [
        ("stranger", "tls_certificate_unknown_ca"),
        ("expired", "tls_certificate_expired"),
        ("notyet", "tls_certificate_not_yet_valid"),
        ("revoked", "tls_certificate_revoked"),
        (nil, "tls_no_certificate"),
    ] as [(String?, String)])
    func auditedReason(identity: String?, reason: String) async throws {
        try await TestGateway.with { gateway in
            let log = gateway.server.audit
            let head = log.headSequence
            let result = try await gateway.curl([gateway.url + "/api/whoami"], as: identity)
            #expect(result.status != 0)
            let record = try await AuditProbe.waitForRecord(log, after: head) { $0.method == "TLS" }
            #expect(record.reasons == [reason], "\(record.reasons)")
            #expect(record.decision == "deny")
            if let identity { #expect(record.certificateSubject?.contains("CN=\(identity)") == true) }
        }
    }

    @Test("a protocol refusal (no shared protocol version) is not called a certificate problem")
    func protocolRefusalCode() async throws {
        try await TestGateway.with { gateway in
            _ = try await Subprocess.run([
                "openssl", "s_client", "-connect", "127.0.0.1:\(gateway.port)", "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0",
                "-cert", gateway.pki + "/researcher-jp.pem", "-key", gateway.pki + "/researcher-jp.key",
            ])
            let failure = try await gateway.handshakes.waitForFailure()
            #expect(failure.code == .handshakeFailed)
        }
    }

    @Test("a valid certificate of nobody registered gets 403 unknown_member")
    func unknownMember() async throws {
        try await TestGateway.with { gateway in
            let response = try await gateway.get("/api/whoami", as: "unregistered")
            #expect(response.status == 403)
            #expect(((try response.json())["error"] as? [String: Any])?["code"] as? String == "unknown_member")
        }
    }

    @Test("TLS 1.1 and 1.0 are refused", arguments: ["-tls1_1", "-tls1"])
    func oldProtocols(flag: String) async throws {
        try await TestGateway.with { gateway in
            let result = try await Subprocess.run([
                "openssl", "s_client", "-connect", "127.0.0.1:\(gateway.port)", flag, "-cipher", "DEFAULT@SECLEVEL=0",
                "-cert", gateway.pki + "/researcher-jp.pem", "-key", gateway.pki + "/researcher-jp.key",
            ])
            #expect(result.status != 0)
            let failure = try await gateway.handshakes.waitForFailure()
            #expect(failure.message.contains("unsupported protocol"), "\(failure.message)")
        }
    }

    @Test("a TLS 1.2 CBC suite is refused")
    func cbcSuite() async throws {
        try await TestGateway.with { gateway in
            let result = try await Subprocess.run([
                "openssl", "s_client", "-connect", "127.0.0.1:\(gateway.port)", "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA",
                "-cert", gateway.pki + "/researcher-jp.pem", "-key", gateway.pki + "/researcher-jp.key",
            ])
            #expect(result.status != 0)
            let failure = try await gateway.handshakes.waitForFailure()
            #expect(failure.message.contains("no shared cipher"), "\(failure.message)")
        }
    }

    @Test("plain HTTP on the TLS port gets no HTTP answer")
    func plainHTTP() async throws {
        try await TestGateway.with { gateway in
            let result = try await Subprocess.run(["curl", "-sS", "--max-time", "10", "http://127.0.0.1:\(gateway.port)/api/info"])
            #expect(result.status != 0)
            #expect(!result.stdout.contains("beaconId"))
            let failure = try await gateway.handshakes.waitForFailure()
            #expect(failure.message.contains("http request"), "\(failure.message)")
        }
    }

    @Test("random bytes: the connection is closed, nothing but an alert comes back")
    func randomBytes() async throws {
        try await TestGateway.with { gateway in
            let port = gateway.port
            let (bytes, closed) = try await offThread {
                let socket = try TestSocket(port: port, timeout: 10)
                var generator = SystemRandomNumberGenerator()
                try socket.send((0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) })
                return socket.readUntilClosed()
            }
            #expect(closed)
            #expect(bytes.count < 64, "at most a TLS alert, got \(bytes.count) bytes")
            #expect(!String(decoding: bytes, as: UTF8.self).contains("HTTP/"))
            _ = try await gateway.handshakes.waitForFailure()
        }
    }

    @Test("a client that connects and sends nothing is closed after the handshake timeout")
    func silentClient() async throws {
        try await TestGateway.with(handshakeTimeout: .seconds(1)) { gateway in
            let port = gateway.port
            // Timed from the connection on the worker thread (a loaded machine may start the closure late).
            let (bytes, closed, elapsed) = try await offThread {
                let socket = try TestSocket(port: port, timeout: 15)
                let started = Date()
                let (bytes, closed) = socket.readUntilClosed()
                return (bytes, closed, Date().timeIntervalSince(started))
            }
            #expect(closed)
            #expect(bytes.isEmpty)
            #expect(elapsed >= 0.8 && elapsed < 8, "closed after \(elapsed) s, well before the 15 s read timeout")
            let failure = try await gateway.handshakes.waitForFailure()
            #expect(failure.code == .handshakeTimeout)
        }
    }
}
