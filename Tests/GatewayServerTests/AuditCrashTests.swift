import Foundation
import GatewayTestSupport
import Testing

/// The built gateway killed with SIGKILL at random moments under load, 20 times: every
/// request answered 200 is in the audit log afterwards, and the whole chain verifies.
@Suite("Audit log survives SIGKILL")
struct AuditCrashTests {
    /// A running `genomegate serve` child process and its port.
    final class Server: @unchecked Sendable {
        let process: ChildProcess
        let port: Int

        init(pki: String, data: String) async throws {
            process = try ChildProcess([CommandLineTests.binary, "serve"] + CommandLineTests.flags(pki, data: data) + ["--log-level", "error"], output: true)
            let process = self.process
            let ready = try await CommandLineTests.firstLine(process)
            guard ready.contains("listening on"), let port = Int(ready.split(separator: ":")[3].split(separator: " ")[0]) else {
                process.terminate()
                throw TestFailure("the gateway did not start: \(ready)")
            }
            self.port = port
        }

        func kill() async throws {
            process.send(SIGKILL)
            let process = self.process
            try await offThread { process.waitUntilExit() }
        }
    }

    @Test("20 SIGKILLs under load: every 200's request id is in the log; the chain and checkpoints verify")
    func killedUnderLoad() async throws {
        let pki = try await DevPKI.shared()
        let data = try CommandLineTests.dataWithPolicy("audit-crash")
        var answered: Set<String> = []
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20 {
            let server = try await Server(pki: pki, data: data)
            let port = server.port
            let deadline = Date().addingTimeInterval(Double.random(in: 0.05...0.4, using: &generator))
            // Four clients send requests until the server dies under them.
            let ids = try await withThrowingTaskGroup(of: [String].self) { group in
                for identity in ["researcher-jp", "researcher-de", "auditor", "secretariat"] {
                    group.addTask {
                        try await offThread { () -> [String] in
                            var ids: [String] = []
                            guard let client = try? TestTLSClient(port: port, pki: pki, identity: identity) else { return ids }
                            while true {
                                guard let response = try? client.request("GET", "/api/whoami") else { return ids }
                                if response.status == 200, let id = response.headers["x-request-id"] { ids.append(id) }
                            }
                        }
                    }
                }
                try await Task.sleep(for: .seconds(max(0, deadline.timeIntervalSinceNow)))
                try await server.kill()
                var all: [String] = []
                for try await ids in group { all += ids }
                return all
            }
            answered.formUnion(ids)
        }
        #expect(answered.count > 20, "the load produced answers")
        // A clean start and stop writes a final checkpoint over everything.
        let last = try await Server(pki: pki, data: data)
        last.process.terminate()
        try await offThread { last.process.waitUntilExit() }

        let export = DevPKI.temporaryFolder("audit-crash-export")
        let exported = try await Subprocess.run([CommandLineTests.binary, "audit", "export", "--data-dir", data, "--out", export + "/records.jsonl"])
        #expect(exported.status == 0, "\(exported.output)")
        let checkpoints = try await Subprocess.run([CommandLineTests.binary, "audit", "checkpoints", "--data-dir", data, "--out", export + "/checkpoints.jsonl"])
        #expect(checkpoints.status == 0, "\(checkpoints.output)")
        let verified = try await Subprocess.run([CommandLineTests.binary, "audit", "verify", export + "/records.jsonl",
                                                 "--checkpoints", export + "/checkpoints.jsonl", "--public-key", pki + "/audit-signing.pub.pem"])
        #expect(verified.status == 0, "\(verified.output)")
        let text = try String(contentsOfFile: export + "/records.jsonl", encoding: .utf8)
        var logged: Set<String> = []
        for line in text.split(separator: "\n") {
            if let range = line.range(of: #""request_id":""#) {
                logged.insert(String(line[range.upperBound...].prefix(32)))
            }
        }
        let missing = answered.subtracting(logged)
        print("audit crash test: 20 SIGKILLs, \(answered.count) answered requests, \(logged.count) records, \(missing.count) answered but missing")
        #expect(missing.isEmpty, "\(missing.count) of \(answered.count) answered requests are not in the audit log")
    }
}
