import Foundation
import GatewayTestSupport
import Testing

/// The built `genomegate` binary, run as an operator would.
@Suite("genomegate command line")
struct CommandLineTests {
    /// The binary SwiftPM built beside this test bundle.
    static let binary: String = {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: executable).deletingLastPathComponent().appendingPathComponent("genomegate").path
    }()

    static func flags(_ pki: String, data: String, listen: String = "127.0.0.1:0") -> [String] {
        ["--listen", listen, "--cert", pki + "/server.pem", "--key", pki + "/server.key", "--client-ca", pki + "/ca.pem",
         "--crl", pki + "/crl.pem", "--data-dir", data, "--audit-key", pki + "/audit-signing.key", "--metrics-listen", "127.0.0.1:0"]
    }

    /// The first line `process` writes to standard output (the gateway's ready line).
    static func firstLine(_ process: ChildProcess) async throws -> String {
        let output = process.standardOutput!
        return try await offThread { () -> String in
            var line = Data()
            while let byte = try output.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) { line += byte }
            return String(decoding: line, as: UTF8.self)
        }
    }

    /// A fresh data folder whose policy store holds the example policy (policy/).
    static func dataWithPolicy(_ label: String) throws -> String {
        let data = DevPKI.temporaryFolder(label)
        try PolicyFixture.importFolder(DevPKI.repositoryRoot + "/policy", into: data)
        return data
    }

    @Test("version prints the gateway and OpenSSL versions")
    func version() async throws {
        let result = try await Subprocess.run([Self.binary, "version"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("genomegate "))
        #expect(result.stdout.contains("OpenSSL 3"))
    }

    @Test("bad flags and config values exit non-zero naming what is wrong", arguments: [
        (["--listen", "nonsense"], "listen 'nonsense'"),
        (["--listen", "127.0.0.1:99999"], "listen '127.0.0.1:99999'"),
        (["--cert", "/nonexistent/server.pem"], "/nonexistent/server.pem"),
        (["--crl", "/nonexistent/crl.pem"], "/nonexistent/crl.pem"),
        (["--handshake-timeout", "0"], "handshake_timeout_seconds"),
        (["--log-level", "loud"], "--log-level"),
    ])
    func badFlags(override: [String], mention: String) async throws {
        let pki = try await DevPKI.shared()
        let data = try Self.dataWithPolicy("cli")
        let result = try await Subprocess.run([Self.binary, "serve"] + Self.flags(pki, data: data) + override)
        #expect(result.status != 0)
        #expect(result.stderr.contains(mention), "\(result.stderr)")
        #expect(!result.stdout.contains("listening on"))
    }

    @Test("out-of-range disclosure and QC settings in the config file are refused, naming the key", arguments: [
        ("disclosure:\n  minimum_cell_count: 1\n", "disclosure.minimum_cell_count"),
        ("qc:\n  minimum_depth_tumour: -5\n", "qc.minimum_depth_tumour"),
        ("qc:\n  minimum_depth: 30\n", "qc.minimum_depth"),
    ])
    func badPolicySettings(yaml: String, mention: String) async throws {
        let pki = try await DevPKI.shared()
        let folder = DevPKI.temporaryFolder("config")
        try yaml.write(toFile: folder + "/gateway.yaml", atomically: true, encoding: .utf8)
        let result = try await Subprocess.run([Self.binary, "serve", "--config", folder + "/gateway.yaml"] + Self.flags(pki, data: folder + "/data"))
        #expect(result.status != 0)
        #expect(result.stderr.contains(mention), "\(result.stderr)")
        #expect(!result.stdout.contains("listening on"))
    }

    @Test("a config file with an unknown key is refused, naming the key")
    func unknownConfigKey() async throws {
        let folder = DevPKI.temporaryFolder("config")
        try "listen: 127.0.0.1:0\ntls:\n  certifcate: server.pem\n".write(toFile: folder + "/gateway.yaml", atomically: true, encoding: .utf8)
        let result = try await Subprocess.run([Self.binary, "serve", "--config", folder + "/gateway.yaml"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("tls.certifcate"), "\(result.stderr)")
    }

    @Test("serve: ready line, SIGHUP reloads via `genomegate reload`, a broken CRL is refused, SIGTERM stops cleanly")
    func serveReloadAndStop() async throws {
        let pki = try await DevPKI.make()
        let data = try Self.dataWithPolicy("cli-data")
        let process = try ChildProcess([Self.binary, "serve"] + Self.flags(pki, data: data) + ["--log-level", "notice"], output: true)
        defer { if process.isRunning { process.terminate() } }
        let ready = try await Self.firstLine(process)
        #expect(ready.hasPrefix("genomegate: listening on https://127.0.0.1:"), "\(ready)")
        let port = try #require(Int(ready.split(separator: ":")[3].split(separator: " ")[0]))
        #expect(FileManager.default.fileExists(atPath: data + "/genomegate.pid"))

        // researcher-de works, is revoked by a new CRL, and `genomegate reload` applies it.
        let client = try await offThread { try TestTLSClient(port: port, pki: pki, identity: "researcher-de") }
        #expect(try await offThread { try client.request("GET", "/api/whoami").status } == 200)
        try await DevPKI.revoke("researcher-de", in: pki)
        let reloaded = try await Subprocess.run([Self.binary, "reload", "--data-dir", data])
        #expect(reloaded.status == 0, "\(reloaded.output)")
        #expect(try await offThread { try client.request("GET", "/api/whoami").status } == 401)

        // A broken CRL: the command fails and says why; the gateway keeps serving.
        try "garbage\n".write(toFile: pki + "/crl.pem", atomically: true, encoding: .utf8)
        let refused = try await Subprocess.run([Self.binary, "reload", "--data-dir", data])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("crl.pem"), "\(refused.stderr)")
        let jp = try await offThread { try TestTLSClient(port: port, pki: pki, identity: "researcher-jp").request("GET", "/api/whoami").status }
        #expect(jp == 200)

        process.terminate()  // SIGTERM: graceful shutdown
        try await offThread { process.waitUntilExit() }
        #expect(process.terminationStatus == 0)
        #expect(!FileManager.default.fileExists(atPath: data + "/genomegate.pid"))
    }
}

extension CommandLineTests {
    @Test("serve refuses a data folder whose policy store is empty, saying how to bootstrap it")
    func emptyPolicy() async throws {
        let pki = try await DevPKI.shared()
        let result = try await Subprocess.run([Self.binary, "serve"] + Self.flags(pki, data: DevPKI.temporaryFolder("empty")))
        #expect(result.status != 0)
        #expect(result.stderr.contains("genomegate policy import"), "\(result.stderr)")
    }

    @Test("the example policy/gateway.yaml and the example policy files work together")
    func exampleFilesParse() async throws {
        // Point the example at a real PKI by overriding the TLS flags; the rest comes from the file.
        let pki = try await DevPKI.shared()
        let data = try Self.dataWithPolicy("example")
        let process = try ChildProcess([Self.binary, "serve", "--config", DevPKI.repositoryRoot + "/policy/gateway.yaml", "--listen", "127.0.0.1:0",
                                        "--cert", pki + "/server.pem", "--key", pki + "/server.key", "--client-ca", pki + "/ca.pem",
                                        "--crl", pki + "/crl.pem", "--data-dir", data, "--audit-key", pki + "/audit-signing.key",
                                        "--metrics-listen", "127.0.0.1:0"], output: true)
        let ready = try await Self.firstLine(process)
        process.terminate()
        try await offThread { process.waitUntilExit() }
        #expect(ready.contains("listening on https://127.0.0.1:"), "\(ready)")
        #expect(process.terminationStatus == 0)
    }
}

extension CommandLineTests {
    @Test("analyses list prints the catalogue: each analysis, its parameters, output and airlock rules; --json one object per line")
    func analysesList() async throws {
        let text = try await Subprocess.run([Self.binary, "analyses", "list"])
        #expect(text.status == 0)
        #expect(text.stdout.hasPrefix("allelic-association"), "\(text.stdout)")
        for part in ["parameters:", "region:", "cases:", "controls:", "output:", "airlock:", "Fisher"] {
            #expect(text.stdout.contains(part), "\(part)")
        }
        let json = try await Subprocess.run([Self.binary, "analyses", "list", "--json"])
        let lines = json.stdout.split(separator: "\n")
        #expect(json.status == 0 && lines.count == 5)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(object["name"] as? String == "allelic-association" && (object["airlock"] as? [String])?.isEmpty == false)
    }
}
