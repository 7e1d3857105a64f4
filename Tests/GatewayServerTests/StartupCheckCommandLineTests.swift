import Foundation
import GatewayTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `genomegate serve` as a new operator meets it: each start-up failure is one line on stderr
/// naming what is wrong and how to fix it, the exit is non-zero, and no store was created or
/// opened in the data folder.
@Suite("genomegate serve start-up checks")
struct StartupCheckCommandLineTests {
    /// Files a start must not create before its checks pass.
    static let storeFiles = ["audit.sqlite", "variants.sqlite", "visiting.sqlite", "privacy.ledger", "privacy.key", "genomegate.pid"]

    /// A data folder's entries with their sizes and modification times.
    static func snapshot(_ folder: String) -> [String: String] {
        var entries: [String: String] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
            var status = stat()
            guard stat(folder + "/" + name, &status) == 0 else { continue }
            entries[name] = "\(status.st_size) \(status.st_mtim.tv_sec).\(status.st_mtim.tv_nsec)"
        }
        return entries
    }

    /// Whether the tests run as root, where a permission failure has to be provoked by dropping
    /// capabilities (setpriv) from the child's bounding set.
    static let isRoot = getuid() == 0
    static let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// `genomegate serve` with `arguments`; when `unprivileged` and running as root, without the
    /// capabilities that let root bind low ports and ignore file modes.
    static func serve(_ arguments: [String], unprivileged: Bool = false) async throws -> Subprocess.Result {
        var command = [CommandLineTests.binary, "serve"] + arguments
        if unprivileged, isRoot, let setpriv {
            command = [setpriv, "--bounding-set=-net_bind_service,-dac_override,-dac_read_search,-fowner"] + command
        }
        return try await Subprocess.run(command)
    }

    /// The refusal is one line `genomegate: error: <problem> — <fix>` mentioning each of `mentions`,
    /// the exit is non-zero and the data folder is as it was, with no store in it.
    static func expectRefusal(_ result: Subprocess.Result, data: String, before: [String: String], mentions: [String],
                              sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status != 0, sourceLocation: sourceLocation)
        let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: true)
        #expect(lines.count == 1, "exactly one line: \(result.stderr)", sourceLocation: sourceLocation)
        let line = String(lines.first ?? "")
        #expect(line.hasPrefix("genomegate: error: "), "\(line)", sourceLocation: sourceLocation)
        #expect(line.contains(" — "), "problem — fix: \(line)", sourceLocation: sourceLocation)
        for mention in mentions {
            #expect(line.contains(mention), "\(mention) in: \(line)", sourceLocation: sourceLocation)
        }
        #expect(!result.stdout.contains("listening on"), sourceLocation: sourceLocation)
        #expect(snapshot(data) == before, "the data folder is untouched", sourceLocation: sourceLocation)
        for store in storeFiles {
            #expect(!FileManager.default.fileExists(atPath: data + "/" + store), "\(store) not created", sourceLocation: sourceLocation)
        }
    }

    /// A TCP listener on 127.0.0.1 and a free port; returns the descriptor and the port.
    static func listener() throws -> (descriptor: Int32, port: Int) {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw TestFailure("socket() failed: \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, length) == 0 && listen(descriptor, 4) == 0 && getsockname(descriptor, pointer, &length) == 0
            }
        }
        guard bound else { close(descriptor); throw TestFailure("cannot listen: \(errno)") }
        return (descriptor, Int(UInt16(bigEndian: address.sin_port)))
    }

    @Test("a port another process listens on: one line naming the port and how to free it, before any store")
    func busyPort() async throws {
        let pki = try await DevPKI.shared()
        let data = try CommandLineTests.dataWithPolicy("busy-port")
        let (descriptor, port) = try Self.listener()
        defer { close(descriptor) }
        let before = Self.snapshot(data)
        let result = try await Self.serve(CommandLineTests.flags(pki, data: data, listen: "127.0.0.1:\(port)"))
        Self.expectRefusal(result, data: data, before: before,
                           mentions: ["listen 127.0.0.1:\(port)", "port \(port) is already in use", "--listen"])
    }

    @Test("the metrics port held by another process: one line naming metrics.listen, no store touched")
    func busyMetricsPort() async throws {
        let pki = try await DevPKI.shared()
        let data = try CommandLineTests.dataWithPolicy("busy-metrics-port")
        let (descriptor, port) = try Self.listener()
        defer { close(descriptor) }
        let before = Self.snapshot(data)
        // The last --metrics-listen wins over flags()' port 0.
        let result = try await Self.serve(CommandLineTests.flags(pki, data: data) + ["--metrics-listen", "127.0.0.1:\(port)"])
        Self.expectRefusal(result, data: data, before: before,
                           mentions: ["metrics.listen 127.0.0.1:\(port)", "port \(port) is already in use", "--metrics-listen"])
    }

    @Test("a port below 1024 without CAP_NET_BIND_SERVICE: one line naming the port and the capability")
    func privilegedPort() async throws {
        let unprivilegedStart = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_unprivileged_port_start", encoding: .utf8))
            .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 1024
        guard unprivilegedStart > 80 else {
            print("skipped: this machine lets every user bind port 80 (net.ipv4.ip_unprivileged_port_start=\(unprivilegedStart))")
            return
        }
        guard !Self.isRoot || Self.setpriv != nil else {
            print("skipped: running as root without setpriv to drop CAP_NET_BIND_SERVICE")
            return
        }
        let pki = try await DevPKI.shared()
        let data = try CommandLineTests.dataWithPolicy("low-port")
        let before = Self.snapshot(data)
        let result = try await Self.serve(CommandLineTests.flags(pki, data: data, listen: "127.0.0.1:80"), unprivileged: true)
        Self.expectRefusal(result, data: data, before: before,
                           mentions: ["listen 127.0.0.1:80", "port 80 is below 1024", "CAP_NET_BIND_SERVICE", "8443"])
    }

    @Test("a server key that is not the certificate's: one line saying it does not match")
    func keyMismatch() async throws {
        let pki = try await DevPKI.shared()
        let data = try CommandLineTests.dataWithPolicy("key-mismatch")
        let before = Self.snapshot(data)
        let result = try await Self.serve(CommandLineTests.flags(pki, data: data) + ["--key", pki + "/researcher-jp.key"])
        Self.expectRefusal(result, data: data, before: before,
                           mentions: [pki + "/researcher-jp.key", "does not match the certificate", pki + "/server.pem", "openssl pkey -pubout"])
        #expect(!result.stderr.contains("is not a PEM private key"), "\(result.stderr)")
    }

    @Test("a data folder this user cannot read or write: one line naming it and the fix")
    func unwritableDataFolder() async throws {
        guard !Self.isRoot || Self.setpriv != nil else {
            print("skipped: running as root without setpriv to drop CAP_DAC_OVERRIDE")
            return
        }
        let pki = try await DevPKI.shared()
        let data = try CommandLineTests.dataWithPolicy("locked-data")
        let before = Self.snapshot(data)
        try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: data)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: data) }
        let result = try await Self.serve(CommandLineTests.flags(pki, data: data), unprivileged: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: data)
        Self.expectRefusal(result, data: data, before: before, mentions: ["data_dir \(data)", "this user", "chmod 700 \(data)"])
    }

    @Test("a data folder that is a file: one line naming it")
    func dataFolderIsAFile() async throws {
        let pki = try await DevPKI.shared()
        let folder = DevPKI.temporaryFolder("data-file")
        try "not a folder\n".write(toFile: folder + "/data", atomically: true, encoding: .utf8)
        let before = Self.snapshot(folder)
        let result = try await Self.serve(CommandLineTests.flags(pki, data: folder + "/data"))
        Self.expectRefusal(result, data: folder, before: before, mentions: ["data_dir \(folder)/data is not a folder", "--data-dir"])
    }

    @Test("a data folder without a policy store: one line saying how to bootstrap it, and no empty store created")
    func missingPolicyStore() async throws {
        let pki = try await DevPKI.shared()
        let data = DevPKI.temporaryFolder("no-policy")
        let result = try await Self.serve(CommandLineTests.flags(pki, data: data))
        Self.expectRefusal(result, data: data, before: [:], mentions: ["policy.sqlite", "genomegate policy import DIR --data-dir \(data)"])
    }

    @Test("a private key open to other users or writable by its group is refused, naming the file and `chmod 600`", arguments: [
        ("server", 0o644), ("server", 0o604), ("server", 0o620), ("audit", 0o644), ("privacy", 0o644), ("privacy", 0o640),
    ])
    func openKeyFile(which: String, mode: Int) async throws {
        let pki = try await DevPKI.shared()
        let data = try CommandLineTests.dataWithPolicy("open-key")
        let keys = DevPKI.temporaryFolder("keys")
        var flags = CommandLineTests.flags(pki, data: data)
        let path: String
        switch which {
        case "server":
            path = keys + "/server.key"
            try FileManager.default.copyItem(atPath: pki + "/server.key", toPath: path)
            flags += ["--key", path]
        case "audit":
            path = keys + "/audit-signing.key"
            try FileManager.default.copyItem(atPath: pki + "/audit-signing.key", toPath: path)
            flags += ["--audit-key", path]
        default:
            path = data + "/privacy.key"
            try Data(repeating: 7, count: 32).write(to: URL(fileURLWithPath: path))
        }
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        let before = Self.snapshot(data)
        let result = try await Self.serve(flags)
        #expect(result.status != 0)
        let line = result.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!line.contains("\n"), "one line: \(line)")
        #expect(line.hasPrefix("genomegate: error: ") && line.contains(path), "\(line)")
        #expect(line.contains("(mode 0\(String(mode, radix: 8)))") && line.contains("— run `chmod 600 \(path)`"), "\(line)")
        #expect(Self.snapshot(data) == before)
        for store in ["audit.sqlite", "variants.sqlite", "visiting.sqlite"] {
            #expect(!FileManager.default.fileExists(atPath: data + "/" + store), "\(store) not created")
        }
    }

    @Test("a server key readable by its group only (root:genomegate 0640) is accepted")
    func groupReadableKeyIsAccepted() async throws {
        let pki = try await DevPKI.shared()
        let data = try CommandLineTests.dataWithPolicy("group-key")
        let key = DevPKI.temporaryFolder("keys") + "/server.key"
        try FileManager.default.copyItem(atPath: pki + "/server.key", toPath: key)
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: key)
        let process = try ChildProcess([CommandLineTests.binary, "serve"] + CommandLineTests.flags(pki, data: data) + ["--key", key], output: true)
        let ready = try await CommandLineTests.firstLine(process)
        process.terminate()
        try await offThread { process.waitUntilExit() }
        #expect(ready.hasPrefix("genomegate: listening on"), "\(ready)")
    }
}
