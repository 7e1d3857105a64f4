import Foundation

/// Development certificates made by the repository's own scripts/dev-certs.
public enum DevPKI {
    /// The repository root (this file is Tests/GatewayTestSupport/DevPKI.swift).
    public static let repositoryRoot: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }()

    /// One PKI made once per test process, for tests that do not change it.
    public static func shared() async throws -> String {
        try await SharedPKI.instance.folder()
    }

    /// Makes a fresh PKI in a new temporary folder and returns its path.
    /// Every test that changes the CRL or registry makes its own.
    public static func make() async throws -> String {
        let folder = temporaryFolder("pki")
        let result = try await Subprocess.run([repositoryRoot + "/scripts/dev-certs", folder, "--force"])
        guard result.status == 0 else { throw TestFailure("dev-certs failed: \(result.output)") }
        return folder
    }

    /// A fresh, empty temporary folder.
    public static func temporaryFolder(_ label: String) -> String {
        let path = NSTemporaryDirectory() + "genomegate-\(label)-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Revokes `name` in the PKI at `folder` and rewrites its crl.pem.
    public static func revoke(_ name: String, in folder: String) async throws {
        for arguments in [
            ["openssl", "ca", "-config", folder + "/ca.cnf", "-batch", "-revoke", "\(folder)/\(name).pem"],
            ["openssl", "ca", "-config", folder + "/ca.cnf", "-batch", "-gencrl", "-out", folder + "/crl.pem"],
        ] {
            let result = try await Subprocess.run(arguments)
            guard result.status == 0 else { throw TestFailure("\(arguments.joined(separator: " ")) failed: \(result.output)") }
        }
    }
}

/// Makes the shared PKI once, however many tests ask at the same time.
actor SharedPKI {
    static let instance = SharedPKI()
    private var made: Task<String, any Error>?

    func folder() async throws -> String {
        if let made { return try await made.value }
        let task = Task { try await DevPKI.make() }
        made = task
        return try await task.value
    }
}
