import Foundation
import GatewayTestSupport
import Testing

/// Reload without restart: new CRLs and registries count from the next request.
@Suite("Reload")
struct ReloadTests {
    @Test("a certificate revoked by a new CRL is refused on its next request, on an already-open connection")
    func revokeOnOpenConnection() async throws {
        try await TestGateway.with(pki: try await DevPKI.make()) { gateway in
            let client = try await gateway.client("researcher-de")
            #expect(try await offThread { try client.request("GET", "/api/whoami").status } == 200)

            try await DevPKI.revoke("researcher-de", in: gateway.pki)
            #expect(gateway.server.reloader.reload() == nil)

            let refused = try await offThread { try client.request("GET", "/api/whoami") }
            #expect(refused.status == 401)
            #expect(((try refused.json())["error"] as? [String: Any])?["code"] as? String == "certificate_revoked")
            #expect(try await offThread { client.serverClosed() })

            // A new connection is refused at the handshake; other members are unaffected.
            await #expect(throws: (any Error).self) { try await gateway.requestOnNewConnection("/api/whoami", as: "researcher-de") }
            #expect(try await gateway.get("/api/whoami", as: "researcher-jp").status == 200)
        }
    }

    @Test("a broken CRL file: reload refused, the old configuration keeps serving")
    func brokenCRL() async throws {
        try await TestGateway.with(pki: try await DevPKI.make()) { gateway in
            let client = try await gateway.client("researcher-jp")
            #expect(try await offThread { try client.request("GET", "/api/whoami").status } == 200)
            let generation = gateway.server.contexts.current.generation

            try Data("-----BEGIN X509 CRL-----\nnot a crl\n-----END X509 CRL-----\n".utf8)
                .write(to: URL(fileURLWithPath: gateway.pki + "/crl.pem"))
            let refusal = try #require(gateway.server.reloader.reload())
            #expect(refusal.message.contains("crl.pem"))
            #expect(gateway.server.contexts.current.generation == generation)

            #expect(try await offThread { try client.request("GET", "/api/whoami").status } == 200)
            #expect(try await gateway.get("/api/whoami", as: "researcher-gb").status == 200)
            // The old CRL still applies to new handshakes.
            await #expect(throws: (any Error).self) { try await gateway.requestOnNewConnection("/api/whoami", as: "revoked") }
            let status = try #require(gateway.server.dataDirectory.readReloadStatus())
            #expect(status.succeeded == false)
        }
    }

    @Test("a member suspended with the CLI (another process) is refused on its next request, on an already-open connection")
    func memberSuspendedByCommandLine() async throws {
        try await TestGateway.with(pki: try await DevPKI.make()) { gateway in
            let client = try await gateway.client("researcher-gb")
            #expect(try await offThread { try client.request("GET", "/api/whoami").status } == 200)
            let data = gateway.server.configuration.dataDirectory
            let suspended = try await Subprocess.run([CommandLineTests.binary, "members", "suspend", "researcher-gb", "--data-dir", data, "--reason", "test"])
            #expect(suspended.status == 0, "\(suspended.output)")
            // No reload, no signal: the next request sees the committed change.
            let refused = try await offThread { try client.request("GET", "/api/whoami") }
            #expect(refused.status == 403)
            #expect(((try refused.json())["error"] as? [String: Any])?["code"] as? String == "member_suspended")
            #expect(try await gateway.get("/api/whoami", as: "researcher-jp").status == 200)
        }
    }
}
