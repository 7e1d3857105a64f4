import Foundation
import GatewayTestSupport
import GatewayTLS
import Testing

/// Loading a server context from files: everything bad is named, nothing half-loaded.
@Suite("TLS server context")
struct TLSServerContextTests {
    static func configuration(_ pki: String) -> TLSServerConfiguration {
        TLSServerConfiguration(certificatePath: pki + "/server.pem", privateKeyPath: pki + "/server.key",
                               clientCAPath: pki + "/ca.pem", crlPath: pki + "/crl.pem")
    }

    @Test("the dev PKI loads")
    func loads() async throws {
        let pki = try await DevPKI.make()
        let context = try TLSServerContext(configuration: Self.configuration(pki))
        #expect(context.generation == 1)
        #expect(TLSServerContext.openSSLVersion.hasPrefix("OpenSSL 3"))
    }

    @Test("bad files are refused with the file and the reason")
    func badFiles() async throws {
        let pki = try await DevPKI.make()
        let garbage = pki + "/garbage.pem"
        try Data("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n".utf8).write(to: URL(fileURLWithPath: garbage))
        var cases: [(TLSServerConfiguration, TLSError.Code, String)] = []
        var configuration = Self.configuration(pki)
        configuration.certificatePath = pki + "/missing.pem"
        cases.append((configuration, .certificateFile, "missing.pem"))
        configuration = Self.configuration(pki)
        configuration.certificatePath = garbage
        cases.append((configuration, .certificateFile, "garbage.pem"))
        configuration = Self.configuration(pki)
        configuration.privateKeyPath = pki + "/researcher-jp.key"
        cases.append((configuration, .privateKeyFile, "does not match the certificate"))
        configuration = Self.configuration(pki)
        configuration.clientCAPath = garbage
        cases.append((configuration, .clientCAFile, "garbage.pem"))
        configuration = Self.configuration(pki)
        configuration.crlPath = garbage
        cases.append((configuration, .crlFile, "garbage.pem"))
        configuration = Self.configuration(pki)
        configuration.crlPath = pki + "/ca.pem"  // a certificate, not a CRL
        cases.append((configuration, .crlFile, "holds no valid PEM object"))
        configuration = Self.configuration(pki)
        configuration.clientCAPath = pki + "/other-ca.pem"  // the CRL's issuer is not trusted
        cases.append((configuration, .crlFile, "not in the client CA bundle"))

        for (configuration, code, mention) in cases {
            do {
                _ = try TLSServerContext(configuration: configuration)
                Issue.record("expected \(code) mentioning \(mention)")
            } catch let error as TLSError {
                #expect(error.code == code, "\(error)")
                #expect(error.message.contains(mention), "\(error.message)")
            }
        }
    }

    @Test("a CRL whose nextUpdate has passed is refused")
    func expiredCRL() async throws {
        let pki = try await DevPKI.make()
        let stale = pki + "/stale-crl.pem"
        let result = try await Subprocess.run([
            "openssl", "ca", "-config", pki + "/ca.cnf", "-batch", "-gencrl", "-out", stale,
            "-crl_lastupdate", "20200101000000Z", "-crl_nextupdate", "20200201000000Z",
        ])
        #expect(result.status == 0, "\(result.output)")
        var configuration = Self.configuration(pki)
        configuration.crlPath = stale
        #expect(throws: TLSError.self) { try TLSServerContext(configuration: configuration) }
    }

    @Test("a reload that fails keeps the previous context")
    func failedReloadKeepsContext() async throws {
        let pki = try await DevPKI.make()
        let provider = try TLSContextProvider(configuration: Self.configuration(pki))
        let before = provider.current
        var broken = Self.configuration(pki)
        broken.certificatePath = pki + "/missing.pem"
        #expect(throws: TLSError.self) { try provider.reload(broken) }
        #expect(provider.current === before)
        try provider.reload(Self.configuration(pki))
        #expect(provider.current.generation == 2)
    }
}
