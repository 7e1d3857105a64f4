import Foundation
import GatewayTestSupport
import Testing

/// A CRL at or near its nextUpdate: an expired one stops the start (with it every client would
/// be refused); one within `tls.crl_warning_margin_hours` is warned about at start and on SIGHUP.
@Suite("genomegate serve and the CRL's nextUpdate")
struct StartupCRLCommandLineTests {
    /// Writes a CRL of the PKI's CA to `name` in the PKI with `options` (e.g. `-crlhours 1`).
    static func makeCRL(_ pki: String, _ name: String, _ options: [String]) async throws -> String {
        let path = pki + "/" + name
        let result = try await Subprocess.run(["openssl", "ca", "-config", pki + "/ca.cnf", "-batch", "-gencrl", "-out", path] + options)
        guard result.status == 0 else { throw TestFailure("openssl ca -gencrl failed: \(result.output)") }
        return path
    }

    @Test("an expired CRL stops the start in one line: when it expired, that every client would be refused, the fix")
    func expiredCRL() async throws {
        let pki = try await DevPKI.make()
        let stale = try await Self.makeCRL(pki, "stale-crl.pem", ["-crl_lastupdate", "20200101000000Z", "-crl_nextupdate", "20200201000000Z"])
        let data = try CommandLineTests.dataWithPolicy("stale-crl")
        let before = StartupCheckCommandLineTests.snapshot(data)
        let result = try await StartupCheckCommandLineTests.serve(CommandLineTests.flags(pki, data: data) + ["--crl", stale])
        StartupCheckCommandLineTests.expectRefusal(result, data: data, before: before, mentions: [
            stale, "expired at 2020-02-01T00:00:00Z", "every client certificate would be refused", "fresh CRL", "SIGHUP",
        ])
    }

    @Test("a CRL within the warning margin is warned about at start and again on SIGHUP, naming the file, nextUpdate and the fix")
    func nearExpiryCRL() async throws {
        let pki = try await DevPKI.make()
        _ = try await Self.makeCRL(pki, "crl.pem", ["-crlhours", "1"])
        let data = try CommandLineTests.dataWithPolicy("near-crl")
        let process = try ChildProcess([CommandLineTests.binary, "serve"] + CommandLineTests.flags(pki, data: data) + ["--log-level", "notice"],
                                       output: true, error: true)
        defer { if process.isRunning { process.terminate() } }
        let errors = process.standardError!
        let collected = Task.detached { try await offThread { String(decoding: errors.readDataToEndOfFile(), as: UTF8.self) } }
        let ready = try await CommandLineTests.firstLine(process)
        #expect(ready.hasPrefix("genomegate: listening on"), "\(ready)")
        let reloaded = try await Subprocess.run([CommandLineTests.binary, "reload", "--data-dir", data])
        #expect(reloaded.status == 0, "\(reloaded.output)")
        process.terminate()
        try await offThread { process.waitUntilExit() }
        let log = try await collected.value
        let warnings = log.split(separator: "\n").filter { $0.contains("CRL \(pki)/crl.pem expires at") }
        #expect(warnings.count == 2, "one at start, one on reload:\n\(log)")
        for warning in warnings {
            #expect(warning.contains("warning"), "logged as a warning: \(warning)")
            #expect(warning.contains("tls.crl_warning_margin_hours") && warning.contains("every client certificate is refused"), "\(warning)")
            #expect(warning.contains("publish or fetch a new CRL") && warning.contains("SIGHUP"), "\(warning)")
        }
    }

    @Test("a CRL outside the margin is not warned about; a margin of 0 hours turns the warning off")
    func marginSetting() async throws {
        let pki = try await DevPKI.make()
        _ = try await Self.makeCRL(pki, "crl.pem", ["-crlhours", "1"])
        let data = try CommandLineTests.dataWithPolicy("crl-margin")
        let config = DevPKI.temporaryFolder("crl-margin-config") + "/gateway.yaml"
        try "tls:\n  crl_warning_margin_hours: 0\n".write(toFile: config, atomically: true, encoding: .utf8)
        let process = try ChildProcess([CommandLineTests.binary, "serve", "--config", config] + CommandLineTests.flags(pki, data: data),
                                       output: true, error: true)
        defer { if process.isRunning { process.terminate() } }
        let errors = process.standardError!
        let collected = Task.detached { try await offThread { String(decoding: errors.readDataToEndOfFile(), as: UTF8.self) } }
        let ready = try await CommandLineTests.firstLine(process)
        process.terminate()
        try await offThread { process.waitUntilExit() }
        let log = try await collected.value
        #expect(ready.hasPrefix("genomegate: listening on"), "\(ready)")
        #expect(!log.contains("expires at"), "\(log)")
    }
}
