import Foundation
import GatewayServer
import GatewayTestSupport
import GatewayTLS
import Testing

/// The start-up rules as values, the CRL's nextUpdate as API, and the example systemd unit.
@Suite("start-up checks")
struct StartupChecksTests {
    static func configuration(_ pki: String, data: String) -> GatewayConfiguration {
        GatewayConfiguration(
            host: "127.0.0.1", port: 0,
            tls: TLSServerConfiguration(certificatePath: pki + "/server.pem", privateKeyPath: pki + "/server.key",
                                        clientCAPath: pki + "/ca.pem", crlPath: pki + "/crl.pem"),
            dataDirectory: data, audit: .init(signingKeyPath: pki + "/audit-signing.key"))
    }

    @Test("rules compose and run in order; the first failure is the one reported")
    func composition() async throws {
        let pki = try await DevPKI.shared()
        let data = try CommandLineTests.dataWithPolicy("checks")
        let configuration = Self.configuration(pki, data: data)
        #expect(StartupChecks.standard.firstFailure(for: configuration) == nil)
        let first = StartupCheck("first") { _ in StartupFailure(.dataFolder, "first problem", fix: "first fix") }
        let second = StartupCheck("second") { _ in StartupFailure(.policyStoreMissing, "second problem", fix: "second fix") }
        let checks = StartupChecks.standard + [first, second]
        #expect(checks.firstFailure(for: configuration)?.line == "first problem — first fix")
        #expect(checks.failures(for: configuration).map(\.code) == [.dataFolder, .policyStoreMissing])
        #expect(StartupFailure(.tlsMaterial, "a\nb", fix: "c").line == "a b — c", "always one line")
    }

    @Test("the key file rule: group read allowed, anything for others or group write refused", arguments: [
        (0o600, true), (0o400, true), (0o640, true), (0o644, false), (0o604, false), (0o660, false), (0o601, false),
    ])
    func keyModes(mode: Int, accepted: Bool) async throws {
        let pki = try await DevPKI.shared()
        let key = DevPKI.temporaryFolder("mode") + "/server.key"
        try FileManager.default.copyItem(atPath: pki + "/server.key", toPath: key)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: key)
        var configuration = Self.configuration(pki, data: DevPKI.temporaryFolder("mode-data"))
        configuration.tls.privateKeyPath = key
        let failure = StartupCheck.keyFilePermissions(configuration)
        #expect((failure == nil) == accepted, "\(String(mode, radix: 8)): \(failure?.line ?? "accepted")")
        if let failure { #expect(failure.code == .keyFilePermissions && failure.fix.contains("chmod 600 \(key)")) }
    }

    @Test("the server context exposes the CRL's nextUpdate; none without a CRL")
    func crlNextUpdate() async throws {
        let pki = try await DevPKI.make()
        _ = try await StartupCRLCommandLineTests.makeCRL(pki, "crl.pem", ["-crlhours", "5"])
        let configuration = Self.configuration(pki, data: "")
        let provider = try TLSContextProvider(configuration: configuration.tls)
        let next = try #require(provider.crlNextUpdate)
        #expect(abs(next.timeIntervalSinceNow - 5 * 3600) < 120, "\(next)")
        #expect(provider.current.crlExpiryWarning() != nil, "5 h is inside the default 72 h margin")
        #expect(provider.current.crlExpiryWarning(now: next.addingTimeInterval(-73 * 3600)) == nil)
        #expect(provider.current.crlExpiryWarning(now: next.addingTimeInterval(1))?.contains("expired at") == true)
        var withoutCRL = configuration.tls
        withoutCRL.crlPath = nil
        #expect(try TLSServerContext(configuration: withoutCRL).crlNextUpdate == nil)
    }

    @Test("tls.crl_warning_margin_hours is read and range-checked", arguments: [("12", true), ("-1", false), ("9000", false)])
    func marginKey(value: String, valid: Bool) throws {
        let text = """
            listen: 127.0.0.1:0
            tls: {certificate: s.pem, private_key: s.key, client_ca: ca.pem, crl_warning_margin_hours: \(value)}
            data_dir: data
            audit: {signing_key: a.key}
            """
        let file = try GatewayConfigurationFile.parse(text, path: "gateway.yaml")
        if valid {
            #expect(try file.resolve().tls.crlWarningMargin == .seconds(12 * 3600))
        } else {
            #expect(throws: (any Error).self) { try file.resolve() }
        }
    }

    @Test("deploy/genomegate.service holds the hardening directives")
    func serviceUnit() throws {
        let text = try String(contentsOfFile: DevPKI.repositoryRoot + "/deploy/genomegate.service", encoding: .utf8)
        let directives = Set(text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.hasPrefix("#") })
        for required in [
            "User=genomegate", "Group=genomegate", "ProtectSystem=strict", "ReadWritePaths=/var/lib/genomegate", "NoNewPrivileges=yes",
            "PrivateTmp=yes", "ProtectHome=yes", "CapabilityBoundingSet=", "AmbientCapabilities=",
            "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX", "SystemCallFilter=@system-service",
            "ExecReload=/bin/kill -HUP $MAINPID", "Restart=on-failure", "LimitNOFILE=65536",
        ] {
            #expect(directives.contains(required), "\(required)")
        }
        #expect(directives.contains { $0.hasPrefix("ExecStart=") && $0.contains(" serve ") && $0.contains("--data-dir /var/lib/genomegate") })
        #expect(!directives.contains { $0.hasPrefix("ReadWritePaths=") && $0 != "ReadWritePaths=/var/lib/genomegate" }, "only the data folder")
    }
}
