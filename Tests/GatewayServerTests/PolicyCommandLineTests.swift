import Foundation
import GatewayTestSupport
import Testing

/// The policy commands of the built `genomegate` binary, as the local operator runs them.
@Suite("genomegate policy commands")
struct PolicyCommandLineTests {
    static func run(_ arguments: [String]) async throws -> Subprocess.Result {
        try await Subprocess.run([CommandLineTests.binary] + arguments)
    }

    @Test("policy import bootstraps a store; importing the same files again changes nothing; show and history report it")
    func importShowHistory() async throws {
        let data = DevPKI.temporaryFolder("policy-cli")
        let policy = DevPKI.repositoryRoot + "/policy"
        let first = try await Self.run(["policy", "import", policy, "--data-dir", data, "--actor", "operator:alice"])
        #expect(first.status == 0, "\(first.output)")
        #expect(first.stdout.contains("policy version 1"))
        let again = try await Self.run(["policy", "import", policy, "--data-dir", data])
        #expect(again.status == 0)
        #expect(again.stdout.contains("matches the stored policy"))
        let show = try await Self.run(["policy", "show", "--data-dir", data])
        #expect(show.stdout.contains("policy version 1"))
        #expect(show.stdout.contains("members 6"))
        let history = try await Self.run(["policy", "history", "--data-dir", data, "--kind", "member", "--id", "auditor"])
        let lines = history.stdout.split(separator: "\n")
        #expect(lines.count == 1)
        let entry = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any]
        #expect(entry?["actor"] as? String == "operator:alice")
        #expect(entry?["channel"] as? String == "import")
        #expect(entry?["action"] as? String == "create")
    }

    @Test("a bad policy file is refused naming file, line and field; nothing is imported", arguments: [
        ("organizations.yaml", "organizations:\n  - id: x\n    name: X\n    kind: academia\n    country: ZZ\n", "line 5", "country"),
        ("organizations.yaml", "organizations:\n  - id: x\n    name: X\n    kind: academia\n    country: JP\n    contry: JP\n", "line 6", "contry"),
        ("organizations.yaml", "organizations: [\n", "organizations.yaml", "YAML"),
        ("datasets.yaml", "datasets:\n  - id: d\n    name: D\n    duo:\n      - id: \"DUO:9999999\"\n", "line 4", "DUO:9999999"),
    ])
    func badFile(file: String, text: String, line: String, mention: String) async throws {
        let folder = DevPKI.temporaryFolder("policy-bad")
        try text.write(toFile: folder + "/" + file, atomically: true, encoding: .utf8)
        let data = DevPKI.temporaryFolder("policy-bad-data")
        let result = try await Self.run(["policy", "import", folder, "--data-dir", data])
        #expect(result.status == 65, "\(result.output)")
        #expect(result.stderr.contains(file), "\(result.stderr)")
        #expect(result.stderr.contains(line), "\(result.stderr)")
        #expect(result.stderr.contains(mention), "\(result.stderr)")
        let show = try await Self.run(["policy", "show", "--data-dir", data])
        #expect(show.stdout.contains("policy version 0"))
    }

    @Test("approvals, members and withdrawals commands change the store; refused changes exit non-zero and say why")
    func changes() async throws {
        let data = DevPKI.temporaryFolder("policy-cli-changes")
        #expect(try await Self.run(["policy", "import", DevPKI.repositoryRoot + "/policy", "--data-dir", data]).status == 0)

        let suspend = try await Self.run(["approvals", "suspend", "A-2026-002", "--data-dir", data, "--reason", "committee meeting 12"])
        #expect(suspend.status == 0, "\(suspend.output)")
        #expect(suspend.stdout.contains("policy version 2"))
        let twice = try await Self.run(["approvals", "suspend", "A-2026-002", "--data-dir", data])
        #expect(twice.status == 65)
        #expect(twice.stderr.contains("already suspended"))
        let missing = try await Self.run(["approvals", "revoke", "A-NOPE", "--data-dir", data])
        #expect(missing.status == 66)

        let patch = DevPKI.temporaryFolder("patch") + "/patch.json"
        try #"{"valid_until": "2026-01-01"}"#.write(toFile: patch, atomically: true, encoding: .utf8)
        let amend = try await Self.run(["approvals", "amend", "A-2026-001", patch, "--data-dir", data])
        #expect(amend.status == 65)
        #expect(amend.stderr.contains("valid_until"), "\(amend.stderr)")

        let csv = DevPKI.temporaryFolder("csv") + "/withdrawals.csv"
        try "participant_id,effective_at\nJP-0001,2026-11-20\nJP-0002,\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let withdrawn = try await Self.run(["withdrawals", "import", csv, "--data-dir", data])
        #expect(withdrawn.status == 0, "\(withdrawn.output)")
        let repeated = try await Self.run(["withdrawals", "import", csv, "--data-dir", data])
        #expect(repeated.status == 0)
        #expect(repeated.stdout.contains("already withdrawn"))
        try "participant_id,effective_at\nJP-0003,yesterday\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let bad = try await Self.run(["withdrawals", "import", csv, "--data-dir", data])
        #expect(bad.status == 65)
        #expect(bad.stderr.contains("line 2"), "\(bad.stderr)")

        let show = try await Self.run(["policy", "show", "--data-dir", data])
        #expect(show.stdout.contains("policy version 3"))
        #expect(show.stdout.contains("withdrawals 2"))
        let suspendMember = try await Self.run(["members", "suspend", "researcher-us", "--data-dir", data])
        #expect(suspendMember.status == 0)
        let list = try await Self.run(["members", "list", "--data-dir", data])
        #expect(list.stdout.contains(#""id":"researcher-us""#))
        #expect(list.stdout.contains(#""status":"suspended""#))
    }
}
