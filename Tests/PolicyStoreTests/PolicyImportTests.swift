import Foundation
import GatewayCore
import GatewayPolicy
import GatewayTestSupport
import PolicyStore
import Testing

@Suite("Policy import")
struct PolicyImportTests {
    static let examples = DevPKI.repositoryRoot + "/policy"

    @Test("the example policy files import into an empty store as version 1")
    func examplesImport() throws {
        let imported = try PolicyImport(folder: Self.examples)
        #expect(imported.state.members.count == 6)
        #expect(imported.problems(applyingTo: PolicyState()).isEmpty)
        let database = try PolicyDatabase(folder: DevPKI.temporaryFolder("policy-import"))
        let receipt = try database.apply(.importing(imported.state, from: "policy"), actor: "operator:test", channel: "import")
        #expect(receipt.version == 1)
        #expect(database.snapshot.state.approvals.count == imported.state.approvals.count)
    }

    @Test("the example files read as documented: one role each, inclusive Japan-time end dates, the equivalence list")
    func examplesContent() throws {
        let state = try PolicyImport(folder: Self.examples).state
        #expect(state.organizations.count == 6)
        #expect(state.datasets.keys.sorted() == ["demo-wgs", "jp-wgs-cancer"])
        #expect(state.members["auditor"]?.role == .auditor)
        #expect(state.members["secretariat"]?.role == .secretariat)
        let approval = try #require(state.approvals["A-2026-004"])
        #expect(approval.commercialUse)
        #expect(approval.validFrom == PolicyTime.parse("2026-03-31T15:00:00Z"))
        #expect(approval.validUntil == PolicyTime.parse("2030-03-31T15:00:00Z"))
        #expect(state.jurisdictions["DE"]?.effectiveFrom == PolicyTime.parse("2019-01-22T15:00:00Z"))
        #expect(state.jurisdictions["JP"] == nil)
        #expect(state.jurisdictions["US"] == nil)
        #expect(state.withdrawals.isEmpty)
    }

    // MARK: Bad files

    /// Writes `files` (name -> text) into a fresh folder, after copying the named example files.
    static func folder(_ files: [String: String], copying examples: [String] = []) throws -> String {
        let folder = DevPKI.temporaryFolder("policy-bad")
        for name in examples {
            try FileManager.default.copyItem(atPath: Self.examples + "/" + name, toPath: folder + "/" + name)
        }
        for (name, text) in files { try text.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8) }
        return folder
    }

    static let approvalHead = """
        approvals:
          - id: A-1
            decision_reference: DURC-1
            decision_date: 2026-03-15
            title: T
            purpose: trial-design
            organization: kyoto-u
            members: [researcher-jp]
            scope:
              datasets: [demo-wgs]
              query_kinds: [beacon-count]
            commercial_use: false
        """  // lines 1-12

    static let fingerprint = String(repeating: "ab", count: 32)

    struct BadFile: Sendable, CustomTestStringConvertible {
        var name: String
        var file: String
        var text: String
        var line: Int
        /// The field as the message names it, or nil when the problem has none.
        var field: String?
        var says: String
        var testDescription: String { name }
    }

    static let unreadable: [BadFile] = [
        BadFile(name: "unknown field", file: "approvals.yaml", text: approvalHead + """

                valid_from: 2026-04-01
                valid_untill: 2027-03-31
            """, line: 14, field: "approvals[0].valid_untill", says: "unknown field 'valid_untill'"),
        BadFile(name: "unknown field in the scope of the second entry", file: "approvals.yaml", text: approvalHead + """

                valid_from: 2026-04-01
                valid_until: 2027-03-31
              - id: A-2
                decision_reference: DURC-2
                decision_date: 2026-03-15
                title: T2
                purpose: trial-design
                organization: kyoto-u
                members: [researcher-jp]
                scope:
                  datasets: [demo-wgs]
                  query_kind: [beacon-count]
            """, line: 24, field: "approvals[1].scope.query_kind", says: "unknown field 'query_kind'"),
        BadFile(name: "bad date", file: "approvals.yaml", text: approvalHead + """

                valid_from: 2026-02-30
                valid_until: 2027-03-31
            """, line: 13, field: "approvals[0].valid_from", says: "'2026-02-30' is not a date"),
        BadFile(name: "not a boolean", file: "approvals.yaml", text: approvalHead.replacingOccurrences(
            of: "commercial_use: false", with: "commercial_use: maybe") + """

                valid_from: 2026-04-01
                valid_until: 2027-03-31
            """, line: 12, field: "approvals[0].commercial_use", says: "wrong type"),
        BadFile(name: "unknown enum value", file: "organizations.yaml", text: """
            organizations:
              - id: kyoto-u
                name: Kyoto University
                kind: university
                country: JP
            """, line: 4, field: "organizations[0].kind", says: "'university' is not one of: academia, industry, public-body"),
        BadFile(name: "member with two roles", file: "members.yaml", text: """
            members:
              - id: m-1
                name: M
                organization: kyoto-u
                role: researcher
                certificates:
                  - fingerprint: "\(fingerprint)"
              - id: m-2
                name: N
                organization: kyoto-u
                role: [researcher, auditor]
                certificates:
                  - fingerprint: "\(fingerprint.uppercased())"
            """, line: 11, field: "members[1].role", says: "exactly one role"),
        BadFile(name: "missing field", file: "members.yaml", text: """
            members:
              - id: m-1
                organization: kyoto-u
                role: researcher
            """, line: 2, field: "members[0].name", says: "missing field 'name'"),
        BadFile(name: "bad fingerprint", file: "members.yaml", text: """
            members:
              - id: m-1
                name: M
                organization: kyoto-u
                role: researcher
                certificates:
                  - fingerprint: "abc"
            """, line: 7, field: "members[0].certificates[0].fingerprint", says: "not a SHA-256 fingerprint"),
        BadFile(name: "duplicate ids in one file", file: "datasets.yaml", text: """
            datasets:
              - id: dup
                name: A
                duo:
                  - id: "DUO:0000042"
              - id: dup
                name: B
                duo:
                  - id: "DUO:0000006"
            """, line: 6, field: nil, says: "dataset 'dup' is listed twice (first as entry 1)"),
        BadFile(name: "duplicate country in the equivalence list", file: "jurisdictions.yaml", text: """
            equivalent:
              - {country: DE, effective_from: 2019-01-23}
              - {country: FR, effective_from: 2019-01-23}
              - {country: DE, effective_from: 2020-01-23}
            """, line: 4, field: nil, says: "jurisdiction 'DE' is listed twice"),
        BadFile(name: "wrong top-level key", file: "jurisdictions.yaml", text: """
            # The equivalence list.
            # (misnamed)
            jurisdictions:
              - {country: DE, effective_from: 2019-01-23}
            """, line: 3, field: nil, says: "unknown top-level key 'jurisdictions' (expected 'equivalent')"),
        BadFile(name: "a second top-level key", file: "organizations.yaml", text: """
            organizations:
              - id: kyoto-u
                name: Kyoto University
                kind: academia
                country: JP
            members: []
            """, line: 6, field: nil, says: "unknown top-level key 'members'"),
        BadFile(name: "top level is a list", file: "datasets.yaml", text: """
            - id: d
              name: D
            """, line: 1, field: nil, says: "the top level must be a mapping"),
    ]

    @Test("a file that cannot be read is refused naming file, line and field", arguments: unreadable)
    func unreadableFile(_ bad: BadFile) throws {
        let folder = try Self.folder([bad.file: bad.text])
        let error = #expect(throws: GatewayError.self) { try PolicyImport(folder: folder) }
        let message = error?.message ?? ""
        #expect(error?.code == .invalidPolicy)
        #expect(message.hasPrefix(bad.file), "\(message)")
        #expect(message.contains("line \(bad.line)"), "\(message)")
        #expect(message.contains("line \(bad.line):") || message.contains("line \(bad.line),") || message.contains("line \(bad.line) "),
                "\(message)")
        if let field = bad.field { #expect(message.contains("field \(field)"), "\(message)") }
        #expect(message.contains(bad.says), "\(message)")
    }

    static let malformed = """
        organizations:
          - id: kyoto-u
            name: Kyoto: University
            kind: academia
            country: JP
        """

    @Test("malformed YAML is refused naming the file")
    func malformedYAML() throws {
        let folder = try Self.folder(["organizations.yaml": Self.malformed])
        let error = #expect(throws: GatewayError.self) { try PolicyImport(folder: folder) }
        #expect(error?.code == .invalidPolicy)
        #expect(error?.message.hasPrefix("organizations.yaml") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("not valid YAML") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("mapping values are not allowed") == true, "\(error?.message ?? "")")
    }

    @Test("malformed YAML is refused naming the line like every other file error")
    func malformedYAMLLine() throws {
        let folder = try Self.folder(["organizations.yaml": Self.malformed])
        let error = #expect(throws: GatewayError.self) { try PolicyImport(folder: folder) }
        #expect(error?.message.hasPrefix("organizations.yaml line 3") == true, "\(error?.message ?? "")")
    }

    static let invalid: [BadFile] = [
        BadFile(name: "unknown country code", file: "organizations.yaml", text: """
            organizations:
              - id: kyoto-u
                name: Kyoto University
                kind: academia
                country: JP
              - id: nowhere-u
                name: Nowhere University
                kind: academia
                country: XX
            """, line: 9, field: "country", says: "organization nowhere-u, field country: 'XX' is not an ISO 3166-1"),
        BadFile(name: "unknown DUO code", file: "datasets.yaml", text: """
            datasets:
              - id: demo-wgs
                name: Demo
                duo:
                  - id: "DUO:0000042"
              - id: other
                name: Other
                duo:
                  - id: "DUO:0000042"
                  - id: "DUO:9999999"
            """, line: 8, field: "duo", says: "dataset other, field duo: unknown DUO term 'DUO:9999999'"),
        BadFile(name: "approval ending before it starts", file: "approvals.yaml", text: approvalHead + """

                valid_from: 2027-04-01
                valid_until: 2027-03-31
            """, line: 14, field: "valid_until", says: "approval A-1, field valid_until: ends before"),
        BadFile(name: "approval naming an unknown member", file: "approvals.yaml", text: approvalHead.replacingOccurrences(
            of: "members: [researcher-jp]", with: "members:\n    - researcher-jp\n    - ghost") + """

                valid_from: 2026-04-01
                valid_until: 2027-03-31
            """, line: 10, field: "members[1]", says: "no member 'ghost'"),
        BadFile(name: "Japan in the equivalence list", file: "jurisdictions.yaml", text: """
            equivalent:
              - {country: DE, effective_from: 2019-01-23}
              - {country: JP, effective_from: 2019-01-23}
            """, line: 3, field: "country", says: "Japan is the home jurisdiction"),
    ]

    @Test("an import that would make the policy invalid is refused naming file, line and field", arguments: invalid)
    func invalidImport(_ bad: BadFile) throws {
        let base = bad.file == "approvals.yaml" ? ["organizations.yaml", "members.yaml", "datasets.yaml"] : []
        let folder = try Self.folder([bad.file: bad.text], copying: base)
        let imported = try PolicyImport(folder: folder)
        let problems = imported.problems(applyingTo: PolicyState())
        #expect(problems.count == 1, "\(problems)")
        let problem = problems.first ?? ""
        #expect(problem.hasPrefix("\(bad.file) line \(bad.line): "), "\(problem)")
        #expect(problem.contains("field \(bad.field ?? "")"), "\(problem)")
        #expect(problem.contains(bad.says), "\(problem)")

        // The store refuses the same import as a whole.
        let database = try PolicyDatabase(folder: DevPKI.temporaryFolder("policy-bad-store"))
        let error = #expect(throws: GatewayError.self) {
            try database.apply(.importing(imported.state, from: folder), actor: "operator:test", channel: "import")
        }
        #expect(error?.code == .invalidPolicy)
        #expect(error?.message.contains(bad.says) == true, "\(error?.message ?? "")")
        #expect(database.snapshot.version == 0)
    }

    @Test("problems of an import that come from the stored policy say so")
    func storedProblems() throws {
        // The files add an approval for a member the store does not have; the store's records are valid.
        let folder = try Self.folder(["approvals.yaml": Self.approvalHead + """

                valid_from: 2026-04-01
                valid_until: 2027-03-31
            """])
        let imported = try PolicyImport(folder: folder)
        let examples = try PolicyImport(folder: Self.examples).state
        #expect(imported.problems(applyingTo: examples).isEmpty)
        var withoutMember = examples
        withoutMember.members["researcher-jp"] = nil
        let problems = imported.problems(applyingTo: withoutMember)
        #expect(problems.contains { $0.hasPrefix("approvals.yaml line 8: approval A-1, field members[0]: no member 'researcher-jp'") },
                "\(problems)")
    }

    @Test("a folder without any policy file is refused")
    func emptyFolder() {
        let error = #expect(throws: GatewayError.self) { try PolicyImport(folder: DevPKI.temporaryFolder("policy-none")) }
        #expect(error?.code == .invalidPolicy)
        #expect(error?.message.contains("holds none of the policy files") == true)
    }

    @Test("an empty policy file is refused naming it")
    func emptyFile() throws {
        let folder = try Self.folder(["members.yaml": "# nothing yet\n"])
        let error = #expect(throws: GatewayError.self) { try PolicyImport(folder: folder) }
        #expect(error?.code == .invalidPolicy)
        #expect(error?.message.hasPrefix("members.yaml") == true, "\(error?.message ?? "")")
    }
}

// MARK: - Withdrawal CSV

@Suite("Withdrawal CSV")
struct WithdrawalCSVTests {
    static let now = PolicyTime.parse("2027-01-01T00:00:00Z")!

    @Test("rows that are refused name the line and the problem", arguments: [
        // text, line, says
        ("JPWGS-000001,2026-11-20\n", 1, "the header must be"),
        ("participant,effective_at\nJPWGS-000001\n", 1, "the header must be"),
        ("participant_id,effective_at,reason\nJPWGS-000001\n", 1, "the header must be"),
        ("participant_id,effective_at\nJPWGS-000001,2026-11-20\nJPWGS-000002,2026-13-45\n", 3, "field effective_at: '2026-13-45' is not a date"),
        ("participant_id,effective_at\r\nJPWGS-000001,2026-11-20\r\nJPWGS-000002,yesterday\r\n", 3, "field effective_at"),
        ("participant_id,effective_at\n\nJPWGS-000002,soon\n", 3, "field effective_at"),            // blank lines count
        ("participant_id,effective_at\nJPWGS-000001,2026-11-20,extra\n", 2, "3 fields, the header has 2"),
        ("participant_id,effective_at\nJPWGS-000001,2026-11-20\nJPWGS-000002\n", 3, "1 field, the header has 2"),
        ("participant_id,effective_at\r\nJPWGS-000002\r\n", 2, "1 field, the header has 2"),
        ("participant_id,effective_at\nJPWGS-000001,2026-02-30\n", 2, "field effective_at: '2026-02-30' is not a date"),
        ("participant_id,effective_at\nJPWGS-000001,2026-11-30T25:00:00Z\n", 2, "field effective_at: '2026-11-30T25:00:00Z'"),
        ("participant_id,effective_at\nJPWGS-000001,2026-11-30T05:00:60+09:00\n", 2, "field effective_at"),
        ("participant_id\nJPWGS-000001,2026-11-20\n", 2, "2 fields, the header has 1"),
        ("participant_id\n\"JPWGS-000001\"\n", 2, "field participant_id"),
        ("participant_id,effective_at\nJPWGS-000001,2026-11-20\n\"JPWGS,000002\",2026-11-20\n", 3, "fields, the header has 2"),
        ("participant_id,effective_at\n,2026-11-20\n", 2, "field participant_id"),
    ])
    func refused(text: String, line: Int, says: String) {
        let error = #expect(throws: GatewayError.self) { try WithdrawalCSV.parse(text, source: "withdrawals.csv", now: Self.now) }
        #expect(error?.code == .invalidPolicy)
        #expect(error?.message.hasPrefix("withdrawals.csv line \(line)") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains(says) == true, "\(error?.message ?? "")")
    }

    @Test("an empty file is refused")
    func emptyFile() {
        for text in ["", "\n"] {
            let error = #expect(throws: GatewayError.self) { try WithdrawalCSV.parse(text, source: "w.csv", now: Self.now) }
            #expect(error?.message.hasPrefix("w.csv") == true)
        }
    }

    @Test("effective_at is optional: no such column, or an empty field, means the time of recording")
    func effectiveAtOptional() throws {
        let rows = try WithdrawalCSV.parse("""
            participant_id,effective_at
            JPWGS-000001,
            JPWGS-000002,
            JPWGS-000003,2026-11-20
            JPWGS-000004 , 2026-11-21T10:15:00+09:00

            """, source: "withdrawals.csv", now: Self.now)
        #expect(rows.map(\.participantID) == ["JPWGS-000001", "JPWGS-000002", "JPWGS-000003", "JPWGS-000004"])
        #expect(rows.map(\.effectiveAt) == [
            Self.now, Self.now, PolicyTime.parse("2026-11-19T15:00:00Z")!, PolicyTime.parse("2026-11-21T01:15:00Z")!,
        ])
        #expect(rows.allSatisfy { $0.recordedAt == nil })

        let idsOnly = try WithdrawalCSV.parse("participant_id\r\nP-1\r\nP-2\r\n", source: "withdrawals.csv", now: Self.now)
        #expect(idsOnly.map(\.participantID) == ["P-1", "P-2"])
        #expect(idsOnly.allSatisfy { $0.effectiveAt == Self.now })
        #expect(try WithdrawalCSV.parse("participant_id\n", source: "w.csv", now: Self.now).isEmpty)
    }

    @Test("a withdrawals.csv error in an import names the file and line")
    func inImport() throws {
        let folder = DevPKI.temporaryFolder("policy-withdrawals-bad")
        try "participant_id,effective_at\nP-1,2026-11-20\nP-2,2026-11-31\n"
            .write(toFile: folder + "/withdrawals.csv", atomically: true, encoding: .utf8)
        let error = #expect(throws: GatewayError.self) { try PolicyImport(folder: folder) }
        #expect(error?.message.hasPrefix("withdrawals.csv line 3, field effective_at") == true, "\(error?.message ?? "")")
    }

    @Test("a participant listed twice in one file is recorded once, with the first row")
    func duplicateRows() throws {
        let folder = DevPKI.temporaryFolder("policy-withdrawals-dup")
        try "participant_id,effective_at\nP-1,2026-11-20\nP-1,2026-12-01\n"
            .write(toFile: folder + "/withdrawals.csv", atomically: true, encoding: .utf8)
        let state = try PolicyImport(folder: folder).state
        #expect(state.withdrawals.count == 1)
        #expect(state.withdrawals["P-1"]?.effectiveAt == PolicyTime.parse("2026-11-20"))
    }
}
