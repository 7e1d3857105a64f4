import Foundation
import GatewayTestSupport
import Testing

/// The audit store cannot be written (the gateway's file-size limit lowered under it with
/// prlimit, as a full disk would): every answer is 503 audit_unavailable and nothing else;
/// when writing is possible again the gateway answers by itself, and the chain verifies.
@Suite("Audit log: store not writable")
struct AuditDiskFullTests {
    @Test("no answer leaves unaudited while the audit store cannot grow; service resumes when it can")
    func fullDisk() async throws {
        let prlimit = ["/usr/bin/prlimit", "/bin/prlimit"].first { FileManager.default.isExecutableFile(atPath: $0) }
        try #require(prlimit != nil, "prlimit (util-linux) is needed")
        let pki = try await DevPKI.shared()
        let data = try CommandLineTests.dataWithPolicy("audit-full")
        let server = try await AuditCrashTests.Server(pki: pki, data: data)
        let port = server.port
        let client = try await offThread { try TestTLSClient(port: port, pki: pki, identity: "researcher-jp") }
        for _ in 0..<5 { #expect(try await offThread { try client.request("GET", "/api/whoami").status } == 200) }

        // The WAL can no longer grow: the next commit cannot be written.
        let wal = data + "/audit.sqlite-wal"
        let size = try #require(try FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int)
        let pid = String(server.process.processIdentifier)
        let lowered = try await Subprocess.run([prlimit!, "--pid", pid, "--fsize=\(size):"])
        #expect(lowered.status == 0, "\(lowered.output)")
        for _ in 0..<3 {
            let refused = try await offThread { try client.request("GET", "/api/whoami") }
            #expect(refused.status == 503)
            #expect(refused.text.contains("audit_unavailable"), "\(refused.text)")
            #expect(!refused.text.contains("researcher-jp"), "no data in the refusal")
        }
        let secretariat = try await offThread { try TestTLSClient(port: port, pki: pki, identity: "secretariat") }
        #expect(try await offThread { try secretariat.request("GET", "/api/admin/approvals") }.status == 503)
        // A policy change is not applied while its record could not be written.
        let suspend = try await offThread { try secretariat.request("POST", "/api/admin/approvals/A-2026-001/suspend") }
        #expect(suspend.status == 503)

        // Space returns: the gateway answers again without a restart.
        let raised = try await Subprocess.run([prlimit!, "--pid", pid, "--fsize=unlimited:"])
        #expect(raised.status == 0, "\(raised.output)")
        let recovered = try await offThread { try client.request("GET", "/api/whoami") }
        #expect(recovered.status == 200)
        #expect(recovered.text.contains(#""inForce":true"#), "the suspension was not applied")
        let id = try #require(recovered.headers["x-request-id"])

        server.process.terminate()
        let process = server.process
        try await offThread { process.waitUntilExit() }
        let export = DevPKI.temporaryFolder("audit-full-export")
        #expect(try await Subprocess.run([CommandLineTests.binary, "audit", "export", "--data-dir", data, "--out", export + "/r.jsonl"]).status == 0)
        #expect(try await Subprocess.run([CommandLineTests.binary, "audit", "checkpoints", "--data-dir", data, "--out", export + "/c.jsonl"]).status == 0)
        let verified = try await Subprocess.run([CommandLineTests.binary, "audit", "verify", export + "/r.jsonl", "--checkpoints", export + "/c.jsonl",
                                                 "--public-key", pki + "/audit-signing.pub.pem"])
        #expect(verified.status == 0, "\(verified.output)")
        let records = try String(contentsOfFile: export + "/r.jsonl", encoding: .utf8)
        #expect(records.contains(id), "the answer after recovery is recorded")
        #expect(records.split(separator: "\n").count == 6, "5 before, none while full (nothing was answered), 1 after")
    }
}
