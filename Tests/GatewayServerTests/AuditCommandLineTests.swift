import AuditLog
import Foundation
import GatewayTestSupport
import Testing

/// `genomegate audit export | checkpoints | verify` on the data folder of a gateway that has stopped.
@Suite("genomegate audit (command line)")
struct AuditCommandLineTests {
    /// A data folder holding the audit log of a short session: requests by several members,
    /// a refused one, an unregistered certificate and a refused handshake; checkpoints every 4.
    static func sessionFolder() async throws -> (data: String, pki: String, records: Int) {
        let data = DevPKI.temporaryFolder("audit-cli")
        let pki = try await DevPKI.shared()
        let records = try await TestGateway.with(dataDirectory: data, configure: { $0.audit.checkpointEveryRecords = 4 }) { gateway in
            for (path, identity) in [("/api/info", "researcher-jp"), ("/api/whoami", "auditor"), ("/api/admin/members", "secretariat"),
                                     ("/api/admin/members", "researcher-jp"), ("/api/whoami", "unregistered"), ("/api/datasets", "researcher-jp"),
                                     ("/api/audit/records", "auditor"), ("/api/map", "secretariat"), ("/api/info", "researcher-de")] {
                _ = try await gateway.get(path, as: identity)
            }
            let head = gateway.server.audit.headSequence
            _ = try await gateway.curl([gateway.url + "/api/info"], as: "stranger")
            _ = try await AuditProbe.waitForRecord(gateway.server.audit, after: head) { $0.method == "TLS" }
            return gateway.server.audit.headSequence
        }
        return (data, pki, records)
    }

    static func run(_ arguments: [String]) async throws -> Subprocess.Result {
        try await Subprocess.run([CommandLineTests.binary, "audit"] + arguments)
    }

    static func lines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    @Test("export, checkpoints and verify on a stopped gateway's folder; a tampered copy fails naming the line")
    func exportAndVerify() async throws {
        let (data, pki, count) = try await Self.sessionFolder()
        #expect(count == 10)
        let out = DevPKI.temporaryFolder("audit-cli-out")
        let export = try await Self.run(["export", "--data-dir", data, "--out", out + "/records.jsonl"])
        #expect(export.status == 0, "\(export.output)")
        #expect(export.stderr.contains("exported 10 audit records"), "\(export.stderr)")
        let checkpoints = try await Self.run(["checkpoints", "--data-dir", data, "--out", out + "/checkpoints.jsonl"])
        #expect(checkpoints.status == 0, "\(checkpoints.output)")
        let records = try Self.lines(out + "/records.jsonl")
        #expect(records.count == 10)
        // Checkpoints at 4 and 8, and the one close() signed at 10.
        let checkpointLines = try Self.lines(out + "/checkpoints.jsonl")
        #expect(checkpointLines.count == 3)
        #expect(checkpointLines.last?.contains("\"sequence\":10") == true)
        // The export is what the store holds, line for line.
        let stored = try await AuditDatabase(folder: data).records(AuditQuery(), after: 0, limit: 1000).map(\.line)
        #expect(records == stored)

        let key = pki + "/audit-signing.pub.pem"
        let verified = try await Self.run(["verify", out + "/records.jsonl", "--checkpoints", out + "/checkpoints.jsonl", "--public-key", key])
        #expect(verified.status == 0, "\(verified.output)")
        #expect(verified.stdout.contains("verified 10 records (sequences 1...10) and 3 signed checkpoints; signed up to sequence 10"), "\(verified.stdout)")

        // Tampered copies.
        let cases: [(String, [String], String)] = [
            ("changed", records.enumerated().map { $0.offset == 2 ? $0.element.replacingOccurrences(of: "\"status\":", with: "\"status\":1") : $0.element },
             "records.jsonl line 3 (sequence 3): the hash does not match the record's text: the record was changed"),
            ("deleted", records.enumerated().filter { $0.offset != 4 }.map(\.element),
             "line 5 (sequence 6): sequence 6 follows 4: records 5...5 are missing"),
            ("swapped", { var copy = records; copy.swapAt(5, 6); return copy }(), "line 6 (sequence 7)"),
            ("dropped", Array(records.prefix(7)), "records 8...10 were dropped"),
        ]
        for (name, lines, message) in cases {
            let path = out + "/\(name)-records.jsonl"
            try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            let result = try await Self.run(["verify", path, "--checkpoints", out + "/checkpoints.jsonl", "--public-key", key])
            #expect(result.status == 1, "\(name): \(result.output)")
            #expect(result.stderr.contains("verification failed"), "\(name): \(result.stderr)")
            #expect(result.stderr.contains(message), "\(name): \(result.stderr)")
        }
        // A forged checkpoint signature.
        var forged = checkpointLines
        let start = try #require(forged[1].range(of: "\"signature\":\"")).upperBound
        let digit = forged[1][forged[1].index(start, offsetBy: 3)]
        forged[1].replaceSubrange(forged[1].index(start, offsetBy: 3)...forged[1].index(start, offsetBy: 3), with: digit == "0" ? "1" : "0")
        try (forged.joined(separator: "\n") + "\n").write(toFile: out + "/forged.jsonl", atomically: true, encoding: .utf8)
        let forgedResult = try await Self.run(["verify", out + "/records.jsonl", "--checkpoints", out + "/forged.jsonl", "--public-key", key])
        #expect(forgedResult.status == 1)
        #expect(forgedResult.stderr.contains("forged.jsonl line 2 (sequence ") && forgedResult.stderr.contains("signature"), "\(forgedResult.stderr)")
        // Another key.
        let otherKey = out + "/other.pem"
        let made = try await Subprocess.run(["sh", "-c", "openssl genpkey -algorithm ED25519 | openssl pkey -pubout -out '\(otherKey)'"])
        #expect(made.status == 0, "\(made.output)")
        let wrongKey = try await Self.run(["verify", out + "/records.jsonl", "--checkpoints", out + "/checkpoints.jsonl", "--public-key", otherKey])
        #expect(wrongKey.status == 1)
        #expect(wrongKey.stderr.contains("checkpoints.jsonl line 1 (sequence 4)") && wrongKey.stderr.contains("signature"), "\(wrongKey.stderr)")
    }

    @Test("exports are identical run to run; CSV has the header; filters and ranges apply")
    func exportForms() async throws {
        let (data, _, _) = try await Self.sessionFolder()
        let first = try await Self.run(["export", "--data-dir", data])
        let second = try await Self.run(["export", "--data-dir", data])
        #expect(first.status == 0 && second.status == 0)
        #expect(first.stdout == second.stdout)
        #expect(first.stdout.split(separator: "\n").count == 10)

        let csv = try await Self.run(["export", "--data-dir", data, "--format", "csv", "--from-sequence", "3", "--to-sequence", "5"])
        #expect(csv.status == 0, "\(csv.output)")
        let rows = csv.stdout.split(separator: "\n").map(String.init)
        #expect(rows.first == AuditRecord.csvColumns.joined(separator: ","))
        #expect(rows.dropFirst().map { String($0.prefix { $0 != "," }) } == ["3", "4", "5"])
        #expect(try await Self.run(["export", "--data-dir", data, "--format", "csv", "--from-sequence", "3", "--to-sequence", "5"]).stdout == csv.stdout)

        let member = try await Self.run(["export", "--data-dir", data, "--member", "researcher-jp"])
        let memberLines = member.stdout.split(separator: "\n")
        #expect(memberLines.count == 3)
        #expect(memberLines.allSatisfy { $0.contains("\"member\":\"researcher-jp\"") })
        let denied = try await Self.run(["export", "--data-dir", data, "--decision", "deny"])
        let deniedLines = denied.stdout.split(separator: "\n")
        #expect(deniedLines.count == 3, "researcher-jp on the admin API, the unregistered certificate, the refused handshake")
        #expect(deniedLines.allSatisfy { $0.contains("\"decision\":\"deny\"") })

        let bad = try await Self.run(["export", "--data-dir", data, "--format", "xml"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("--format"), "\(bad.stderr)")
    }
}
