import AuditLog
import Foundation
import GatewayCore
import GatewayTestSupport

/// Keys, records and driven logs for the audit log tests.
enum AuditFixture {
    /// A fresh private key made by the openssl CLI; returns the key's path.
    /// `algorithm`: `ed25519`, `ecdsa` (P-256) or `rsa`.
    static func makeKey(_ algorithm: String = "ed25519") async throws -> String {
        let path = DevPKI.temporaryFolder("audit-key") + "/signing.key"
        let arguments: [String] = switch algorithm {
        case "ed25519": ["openssl", "genpkey", "-algorithm", "ED25519", "-out", path]
        case "ecdsa": ["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", path]
        default: ["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", path]
        }
        let result = try await Subprocess.run(arguments)
        guard result.status == 0 else { throw TestFailure("openssl genpkey failed: \(result.output)") }
        return path
    }

    static func makeSigner(_ algorithm: String = "ed25519") async throws -> AuditSigner {
        try AuditSigner(privateKeyPath: try await makeKey(algorithm))
    }

    /// A record whose fields all differ with `index`, so a single field can be altered in an export.
    static func record(_ index: Int, time: Date = Date(timeIntervalSince1970: 1_795_795_306.125)) -> AuditRecord {
        AuditRecord(
            time: time.addingTimeInterval(Double(index)), requestID: String(format: "req%029d", index),
            certificateFingerprint: String(repeating: "ab", count: 32), certificateSubject: "CN=member-\(index),O=Org,C=JP",
            member: String(format: "member-%03d", index), organization: index.isMultiple(of: 2) ? "kyoto-u" : "oxford-u",
            country: index.isMultiple(of: 2) ? "JP" : "GB", role: "researcher", remoteAddress: "127.0.0.1:\(40000 + index)",
            method: "GET", path: "/api/g_variants", query: "referenceName=1&start=\(index)", approval: "A-2026-001",
            policyVersion: 3, decision: index.isMultiple(of: 3) ? "deny" : "allow",
            reasons: index.isMultiple(of: 3) ? ["role_forbidden"] : [], cohortRestriction: nil,
            returned: .init(kind: "beacon-count", contributingSamples: 58 + index, suppressedCells: 0),
            status: index.isMultiple(of: 3) ? 403 : 200, bytes: 100 + index, durationMicroseconds: 1000 + index
        )
    }

    /// Opens a log in `folder`, runs `body` while a driver task writes what arrives (as
    /// AuditService does), then stops the driver and closes the log.
    static func withDrivenLog<T: Sendable>(
        folder: String, signer: AuditSigner, settings: AuditLog.Settings = .init(),
        _ body: @Sendable (AuditLog) async throws -> T
    ) async throws -> T {
        let log = try AuditLog(folder: folder, signer: signer, settings: settings)
        let driver = Task {
            for await _ in log.wakeups { await log.writePending() }
        }
        let result: Result<T, any Error>
        do { result = .success(try await body(log)) } catch { result = .failure(error) }
        driver.cancel()
        await driver.value
        await log.close()
        return try result.get()
    }

    /// Every record line and checkpoint line of the log in `folder`.
    static func export(_ folder: String) async throws -> (records: [String], checkpoints: [String]) {
        let database = try AuditDatabase(folder: folder)
        let records = try await database.records(AuditQuery(), after: 0, limit: 100_000).map(\.line)
        let checkpoints = try await database.checkpoints().map(\.line)
        return (records, checkpoints)
    }

    /// The decoded records of the log in `folder`.
    static func storedRecords(_ folder: String) async throws -> [AuditEntry] {
        try await AuditDatabase(folder: folder).records(AuditQuery(), after: 0, limit: 100_000)
    }

    /// A log in a new folder holding `count` records appended one after another (one commit
    /// each), with checkpoints every `every` records and one at close.
    static func makeLog(count: Int, every: Int, signer: AuditSigner) async throws -> String {
        let folder = DevPKI.temporaryFolder("audit-log")
        var settings = AuditLog.Settings()
        settings.checkpointEveryRecords = every
        try await withDrivenLog(folder: folder, signer: signer, settings: settings) { log in
            for index in 1...count { _ = try await log.append(record(index)) }
        }
        return folder
    }

    static func verifier(_ signer: AuditSigner) throws -> AuditVerifier {
        AuditVerifier(publicKey: try AuditSignatureVerifier(publicKeyPEM: signer.publicKeyPEM))
    }

    static func substrings(_ lines: [String]) -> [Substring] { lines.map { Substring($0) } }
}

extension AuditVerifier {
    /// Verifies string lines, with fixed file names.
    func check(_ records: [String], _ checkpoints: [String]) throws(AuditVerifier.Failure) -> AuditVerifier.Report {
        try verify(records: AuditFixture.substrings(records), recordsFile: "records.jsonl",
                   checkpoints: AuditFixture.substrings(checkpoints), checkpointsFile: "checkpoints.jsonl")
    }

    /// The failure of verifying `records` with `checkpoints`, or nil if they verify.
    func failure(_ records: [String], _ checkpoints: [String]) -> AuditVerifier.Failure? {
        do {
            _ = try check(records, checkpoints)
            return nil
        } catch {
            return error
        }
    }
}
