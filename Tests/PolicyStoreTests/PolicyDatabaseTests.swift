import Foundation
import GatewayCore
import GatewayPolicy
import GatewayTestSupport
import PolicyStore
import Testing

/// A store in a fresh folder holding the example policy as version 1.
struct SeededStore {
    static let examples = DevPKI.repositoryRoot + "/policy"
    static let importedAt = time("2026-05-01T00:00:00Z")

    let folder: String
    let database: PolicyDatabase

    init(_ label: String) throws {
        folder = DevPKI.temporaryFolder(label)
        database = try PolicyDatabase(folder: folder)
        let imported = try PolicyImport(folder: Self.examples)
        let receipt = try database.apply(.importing(imported.state, from: "policy"), actor: "operator:test", channel: "import",
                                         now: Self.importedAt)
        guard receipt.version == 1 else { throw TestFailure("seeded store is at version \(receipt.version)") }
    }

    /// The store as another process would open it.
    func reopen() throws -> PolicyDatabase { try PolicyDatabase(folder: folder) }
}

func time(_ text: String, endOfDay: Bool = false) -> Date {
    guard let date = PolicyTime.parse(text, endOfDay: endOfDay) else { fatalError("bad test time \(text)") }
    return date
}

func certificate(_ name: String) -> CertificateIdentity {
    .distinguishedName(subject: "CN=\(name),C=JP", issuer: "CN=Test CA,C=JP")
}

func newApproval(_ id: String, datasets: [String] = ["demo-wgs"], members: [String] = ["researcher-jp"]) -> Approval {
    Approval(id: id, decisionReference: "DURC-\(id)", decisionDate: time("2026-06-01"), title: "Approval \(id)",
             purpose: .trialDesign, organization: "kyoto-u", members: members,
             scope: .init(datasets: datasets, queryKinds: [.beaconCount]), commercialUse: false,
             validFrom: time("2026-07-01"), validUntil: time("2028-06-30", endOfDay: true))
}

@Suite("Policy database")
struct PolicyDatabaseTests {
    static let approvalID = "A-2026-001"

    @Test("an empty store is version 0 with nothing in it")
    func empty() throws {
        let database = try PolicyDatabase(folder: DevPKI.temporaryFolder("policy-empty"))
        #expect(database.snapshot.version == 0)
        #expect(database.snapshot.state == PolicyState())
        #expect(try database.history(.init()).isEmpty)
        #expect(FileManager.default.fileExists(atPath: database.path))
    }

    @Test("commits are synced to disk (synchronous FULL on the writer, which GRDB's WAL set-up lowers to NORMAL)")
    func commitsAreSynced() throws {
        let database = try PolicyDatabase(folder: DevPKI.temporaryFolder("policy-synchronous"))
        #expect(try database.writerSynchronous() == 2)
    }

    @Test("each committed change adds exactly one version, and only its own records to the history")
    func versionsIncreaseByOne() throws {
        let store = try SeededStore("policy-versions")
        let changes: [PolicyChange] = [
            .approvalStatus(Self.approvalID, .suspend),
            .approvalStatus(Self.approvalID, .reinstate),
            .createApproval(newApproval("A-NEW")),
            .amendApproval("A-NEW") { var a = $0; a.title = "Renamed"; return a },
            .registerMember(Member(id: "researcher-jp2", name: "Taro", organization: "kyoto-u", role: .researcher,
                                   certificates: [certificate("researcher-jp2")])),
            .addCertificate(certificate("researcher-jp2-b"), to: "researcher-jp2"),
            .memberStatus("researcher-jp2", .suspend),
            .saveOrganization(Organization(id: "seoul-u", name: "Seoul University", kind: .academia, country: "KR")),
            .saveJurisdiction(EquivalentJurisdiction(country: "KR", effectiveFrom: time("2028-01-01"))),
            .recordWithdrawals([Withdrawal(participantID: "JPWGS-000001", effectiveAt: time("2026-11-20"))]),
            .approvalStatus(Self.approvalID, .revoke),
        ]
        for (offset, change) in changes.enumerated() {
            let expected = 2 + offset
            let receipt = try store.database.apply(change, actor: "member:secretariat", channel: "api", now: time("2026-06-01T00:00:00Z"))
            #expect(receipt.version == expected, "\(change.summary)")
            #expect(receipt.snapshot.version == expected)
            #expect(store.database.snapshot.version == expected)
            #expect(!receipt.changed.isEmpty)
            let entries = try store.database.history(.init(afterVersion: expected - 1))
            #expect(entries.count == receipt.changed.count, "\(change.summary): \(entries.map(\.id))")
            #expect(entries.allSatisfy { $0.version == expected && $0.summary == change.summary })
        }
        let reopened = try store.reopen()
        #expect(reopened.snapshot.version == 1 + changes.count)
        #expect(reopened.snapshot.state.approvals[Self.approvalID]?.status == .revoked)
        #expect(reopened.snapshot.state.members["researcher-jp2"]?.status == .suspended)
        #expect(reopened.snapshot.state.members["researcher-jp2"]?.certificates.count == 2)
        #expect(reopened.snapshot.state.jurisdictions["KR"] != nil)
        #expect(reopened.snapshot.withdrawnParticipants == ["JPWGS-000001"])
    }

    @Test("the history of an amendment has before and after, actor, channel, summary and action")
    func amendmentHistory() throws {
        let store = try SeededStore("policy-history")
        let original = try #require(store.database.snapshot.state.approvals[Self.approvalID])
        try store.database.apply(.amendApproval(Self.approvalID) { var a = $0; a.title = "New title"; return a },
                                 actor: "member:secretariat", channel: "api", now: time("2026-06-02T03:04:05Z"))

        let entries = try store.database.history(.init(kind: .approval, id: Self.approvalID))
        #expect(entries.map(\.version) == [1, 2])
        #expect(entries.map(\.action) == ["create", "amend"])

        let created = entries[0]
        #expect(created.before == nil)
        #expect(created.actor == "operator:test")
        #expect(created.channel == "import")
        #expect(created.summary == "import from policy")
        let createdAfter = try PolicyJSON.decode(Approval.self, from: Data(try #require(created.after).utf8), what: "after")
        #expect(createdAfter == original)

        let amended = entries[1]
        #expect(amended.actor == "member:secretariat")
        #expect(amended.channel == "api")
        #expect(amended.summary == "approval \(Self.approvalID) amended")
        #expect(amended.kind == "approval")
        #expect(amended.id == Self.approvalID)
        #expect(PolicyJSON.parseTimestamp(amended.recordedAt) == time("2026-06-02T03:04:05Z"))
        let before = try PolicyJSON.decode(Approval.self, from: Data(try #require(amended.before).utf8), what: "before")
        let after = try PolicyJSON.decode(Approval.self, from: Data(try #require(amended.after).utf8), what: "after")
        #expect(before == original)
        #expect(after.title == "New title")
        var expected = original
        expected.title = "New title"
        #expect(after == expected)

        // Filters and paging.
        #expect(try store.database.history(.init(kind: .approval, id: Self.approvalID, afterVersion: 1)).map(\.version) == [2])
        #expect(try store.database.history(.init(kind: .approval, id: Self.approvalID, limit: 1)).map(\.action) == ["create"])
        #expect(try store.database.history(.init(kind: .member, afterVersion: 1)).isEmpty)
        #expect(try store.database.history(.init(id: Self.approvalID)).count == 2)
    }

    static let invalidChanges: [(String, PolicyChange, String)] = [
        ("approval ending before it starts",
         .amendApproval(approvalID) { var a = $0; a.validUntil = a.validFrom.addingTimeInterval(-1); return a }, "valid_until"),
        ("approval naming an unknown dataset", .createApproval(newApproval("A-X", datasets: ["demo-wgs", "nope"])), "scope.datasets[1]"),
        ("approval naming the auditor", .createApproval(newApproval("A-X", members: ["auditor"])), "members[0]"),
        ("member of an unknown organization",
         .registerMember(Member(id: "m-x", name: "X", organization: "nowhere", role: .researcher, certificates: [certificate("m-x")])),
         "organization"),
        ("member reusing another member's certificate",
         .registerMember(Member(id: "m-x", name: "X", organization: "kyoto-u", role: .auditor,
                                certificates: [.distinguishedName(subject: "CN=researcher-jp,O=Kyoto University,C=JP",
                                                                  issuer: "CN=GenomeGate Dev Consortium CA,O=GenomeGate Consortium,C=JP")])),
         "certificates[0]"),
        ("organization with an unknown country",
         .saveOrganization(Organization(id: "kyoto-u", name: "Kyoto University", kind: .academia, country: "JPN")), "country"),
        ("Japan on the equivalence list", .saveJurisdiction(EquivalentJurisdiction(country: "JP", effectiveFrom: time("2020-01-01"))),
         "country"),
        ("withdrawal id with a comma", .recordWithdrawals([Withdrawal(participantID: "P,1", effectiveAt: time("2026-01-01"))]),
         "participant_id"),
    ]

    @Test("a change that makes the policy invalid is refused whole: version, state and history stay as they were",
          arguments: invalidChanges)
    func invalidChange(name: String, change: PolicyChange, field: String) throws {
        let store = try SeededStore("policy-invalid")
        let before = store.database.snapshot.state
        let historyBefore = try store.database.history(.init())
        let error = #expect(throws: GatewayError.self) {
            try store.database.apply(change, actor: "member:secretariat", channel: "api")
        }
        #expect(error?.code == .invalidPolicy)
        #expect(error?.message.contains("nothing was applied") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("field \(field)") == true, "\(error?.message ?? "")")
        #expect(store.database.snapshot.version == 1)
        #expect(store.database.snapshot.state == before)
        #expect(try store.database.refreshIfChanged().version == 1)

        let reopened = try store.reopen()
        #expect(reopened.snapshot.version == 1)
        #expect(reopened.snapshot.state == before)
        #expect(try reopened.history(.init()) == historyBefore)
    }

    @Test("status changes that are not allowed, and changes to missing records, are refused with their codes", arguments: [
        ("suspend twice", [PolicyChange.approvalStatus(approvalID, .suspend)], PolicyChange.approvalStatus(approvalID, .suspend),
         "conflict", "already suspended"),
        ("reinstate an active approval", [], .approvalStatus(approvalID, .reinstate), "conflict", "already active"),
        ("reinstate a revoked approval", [.approvalStatus(approvalID, .revoke)], .approvalStatus(approvalID, .reinstate),
         "conflict", "revocation is final"),
        ("revoke a revoked approval", [.approvalStatus(approvalID, .revoke)], .approvalStatus(approvalID, .revoke),
         "conflict", "revocation is final"),
        ("suspend a revoked approval", [.approvalStatus(approvalID, .suspend), .approvalStatus(approvalID, .revoke)],
         .approvalStatus(approvalID, .suspend), "conflict", "revocation is final"),
        ("suspend a missing approval", [], .approvalStatus("A-NOPE", .suspend), "not_found", "no approval 'A-NOPE'"),
        ("amend a missing approval", [], .amendApproval("A-NOPE") { $0 }, "not_found", "no approval 'A-NOPE'"),
        ("amend an approval's status", [], .amendApproval(approvalID) { var a = $0; a.status = .revoked; return a },
         "invalid_policy", "cannot change an approval's id or status"),
        ("amend an approval's id", [], .amendApproval(approvalID) { var a = $0; a.id = "A-OTHER"; return a },
         "invalid_policy", "cannot change an approval's id or status"),
        ("amend that changes nothing", [], .amendApproval(approvalID) { $0 }, "conflict", "alters nothing"),
        ("create an existing approval", [], .createApproval(newApproval(approvalID)), "conflict", "already exists"),
        ("suspend a member twice", [.memberStatus("researcher-jp", .suspend)], .memberStatus("researcher-jp", .suspend),
         "conflict", "already suspended"),
        ("reinstate a revoked member", [.memberStatus("researcher-jp", .revoke)], .memberStatus("researcher-jp", .reinstate),
         "conflict", "revocation is final"),
        ("suspend a missing member", [], .memberStatus("ghost", .suspend), "not_found", "no member 'ghost'"),
        ("register an existing member",
         [], .registerMember(Member(id: "auditor", name: "A", organization: "audit-department", role: .auditor,
                                    certificates: [certificate("auditor-2")])), "conflict", "already registered"),
        ("add a certificate the member has", [.addCertificate(certificate("x"), to: "auditor")],
         .addCertificate(certificate("x"), to: "auditor"), "conflict", "already has that certificate"),
        ("revoke a certificate the member lacks", [], .revokeCertificate(certificate("x"), of: "auditor"),
         "not_found", "has no such certificate"),
        ("save an organization unchanged", [],
         .saveOrganization(Organization(id: "kyoto-u", name: "Kyoto University", kind: .academia, country: "JP")),
         "conflict", "alters nothing"),
        ("replace the equivalence list with a country twice", [],
         .replaceJurisdictions([EquivalentJurisdiction(country: "DE", effectiveFrom: time("2019-01-23")),
                                EquivalentJurisdiction(country: "DE", effectiveFrom: time("2020-01-23"))]),
         "invalid_policy", "listed twice"),
    ] as [(String, [PolicyChange], PolicyChange, String, String)])
    func refusedChange(name: String, setup: [PolicyChange], change: PolicyChange, code: String, says: String) throws {
        let store = try SeededStore("policy-conflict")
        for step in setup { try store.database.apply(step, actor: "member:secretariat", channel: "api") }
        let version = store.database.snapshot.version
        #expect(version == 1 + setup.count)
        let state = store.database.snapshot.state
        let error = #expect(throws: GatewayError.self) {
            try store.database.apply(change, actor: "member:secretariat", channel: "api")
        }
        #expect(error?.code.rawValue == code)
        #expect(error?.message.contains(says) == true, "\(error?.message ?? "")")
        #expect(store.database.snapshot.version == version)
        #expect(store.database.snapshot.state == state)
        #expect(try store.reopen().snapshot.version == version)
    }

    @Test("the last certificate revoked revokes the member, and the policy stays valid")
    func lastCertificate() throws {
        let store = try SeededStore("policy-last-cert")
        let member = try #require(store.database.snapshot.state.members["auditor"])
        let receipt = try store.database.apply(.revokeCertificate(try #require(member.certificates.first), of: "auditor"),
                                               actor: "member:secretariat", channel: "api")
        #expect(receipt.version == 2)
        #expect(receipt.snapshot.state.members["auditor"]?.status == .revoked)
        #expect(receipt.snapshot.state.members["auditor"]?.certificates.isEmpty == true)
    }

    @Test("withdrawals are idempotent: the first record is kept, and a change adding nobody is a conflict")
    func withdrawals() throws {
        let store = try SeededStore("policy-withdrawals")
        let first = time("2027-01-01T00:00:00Z"), second = time("2027-02-01T00:00:00Z")
        let p1 = Withdrawal(participantID: "JPWGS-000001", effectiveAt: time("2026-12-20"))
        let p2 = Withdrawal(participantID: "JPWGS-000002", effectiveAt: time("2027-01-15"))

        #expect(try store.database.apply(.recordWithdrawals([p1]), actor: "member:secretariat", channel: "api", now: first).version == 2)
        let again = Withdrawal(participantID: p1.participantID, effectiveAt: time("2027-01-30"))
        let receipt = try store.database.apply(.recordWithdrawals([again, p2]), actor: "member:secretariat", channel: "api", now: second)
        #expect(receipt.version == 3)
        #expect(receipt.changed == ["withdrawal x1"])

        let error = #expect(throws: GatewayError.self) {
            try store.database.apply(.recordWithdrawals([p2, again]), actor: "member:secretariat", channel: "api", now: time("2027-03-01"))
        }
        #expect(error?.code == .conflict)
        #expect(error?.message.contains("alters nothing") == true, "\(error?.message ?? "")")
        #expect(store.database.snapshot.version == 3)

        for database in [store.database, try store.reopen()] {
            let withdrawals = database.snapshot.state.withdrawals
            #expect(database.snapshot.version == 3)
            #expect(withdrawals.count == 2)
            #expect(withdrawals[p1.participantID]?.recordedAt == first)
            #expect(withdrawals[p1.participantID]?.effectiveAt == p1.effectiveAt)
            #expect(withdrawals[p2.participantID]?.recordedAt == second)
            #expect(withdrawals[p2.participantID]?.effectiveAt == p2.effectiveAt)
            #expect(database.snapshot.withdrawnParticipants == [p1.participantID, p2.participantID])
        }
        let history = try store.database.history(.init(kind: .withdrawal))
        #expect(history.map(\.id) == [p1.participantID, p2.participantID])
        #expect(history.map(\.version) == [2, 3])
        #expect(history.allSatisfy { $0.before == nil && $0.action == "withdraw" })
    }

    @Test("another process's change is seen: needsRefresh turns true and refreshIfChanged loads the new version")
    func anotherProcess() throws {
        let store = try SeededStore("policy-two-processes")
        let gateway = store.database
        _ = try gateway.refreshIfChanged()
        #expect(try gateway.needsRefresh() == false)

        let cli = try store.reopen()
        #expect(cli.snapshot.version == 1)
        #expect(try cli.apply(.approvalStatus(Self.approvalID, .suspend), actor: "operator:cli", channel: "cli").version == 2)

        #expect(try gateway.needsRefresh() == true)
        #expect(gateway.snapshot.version == 1, "nothing is loaded until asked")
        let refreshed = try gateway.refreshIfChanged()
        #expect(refreshed.version == 2)
        #expect(refreshed.state.approvals[Self.approvalID]?.status == .suspended)
        #expect(gateway.snapshot.version == 2)
        #expect(try gateway.needsRefresh() == false)
        #expect(try gateway.refreshIfChanged().version == 2)

        // A change made by the stale-looking instance starts from the latest stored policy.
        let cli2 = try store.reopen()
        #expect(try cli2.apply(.approvalStatus("A-2026-002", .suspend), actor: "operator:cli", channel: "cli").version == 3)
        let receipt = try gateway.apply(.approvalStatus("A-2026-003", .suspend), actor: "member:secretariat", channel: "api")
        #expect(receipt.version == 4)
        #expect(receipt.snapshot.state.approvals["A-2026-002"]?.status == .suspended)
        #expect(receipt.snapshot.state.approvals[Self.approvalID]?.status == .suspended)
        // The other instance refreshes to version 4 with every change.
        let latest = try cli.refreshIfChanged()
        #expect(latest.version == 4)
        #expect(latest.state.approvals.values.filter { $0.status == .suspended }.count == 3)
    }

    @Test("import merges: records absent from the files are kept, changed ones replaced, withdrawals only added")
    func importMerges() throws {
        let store = try SeededStore("policy-import-merge")
        let before = store.database.snapshot.state
        let folder = DevPKI.temporaryFolder("policy-import-partial")
        try """
            organizations:
              - id: kyoto-u
                name: Kyoto University (renamed)
                kind: academia
                country: JP
              - id: seoul-u
                name: Seoul National University
                kind: academia
                country: KR
            """.write(toFile: folder + "/organizations.yaml", atomically: true, encoding: .utf8)
        try "participant_id,effective_at\nJPWGS-000001,2026-11-20\n".write(toFile: folder + "/withdrawals.csv", atomically: true, encoding: .utf8)

        let partial = try PolicyImport(folder: folder)
        #expect(partial.problems(applyingTo: before).isEmpty)
        let receipt = try store.database.apply(.importing(partial.state, from: folder), actor: "operator:test", channel: "import",
                                               now: time("2027-01-01T00:00:00Z"))
        #expect(receipt.version == 2)
        #expect(Set(receipt.changed) == ["organization kyoto-u", "organization seoul-u", "withdrawal x1"])

        let state = store.database.snapshot.state
        #expect(state.organizations.count == before.organizations.count + 1)
        #expect(state.organizations["kyoto-u"]?.name == "Kyoto University (renamed)")
        #expect(state.organizations["heidelberg-u"] == before.organizations["heidelberg-u"])
        #expect(state.members == before.members)
        #expect(state.approvals == before.approvals)
        #expect(state.datasets == before.datasets)
        #expect(state.jurisdictions == before.jurisdictions)
        #expect(state.withdrawals["JPWGS-000001"]?.recordedAt == time("2027-01-01T00:00:00Z"))

        // A second import naming the same participant (with another date) and a new one only adds the new one.
        try "participant_id,effective_at\nJPWGS-000001,2026-12-31\nJPWGS-000002,2027-01-05\n"
            .write(toFile: folder + "/withdrawals.csv", atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: folder + "/organizations.yaml")
        let second = try PolicyImport(folder: folder)
        try store.database.apply(.importing(second.state, from: folder), actor: "operator:test", channel: "import",
                                 now: time("2027-02-01T00:00:00Z"))
        let withdrawals = try store.reopen().snapshot.state.withdrawals
        #expect(withdrawals.count == 2)
        #expect(withdrawals["JPWGS-000001"]?.effectiveAt == time("2026-11-20"))
        #expect(withdrawals["JPWGS-000001"]?.recordedAt == time("2027-01-01T00:00:00Z"))
        #expect(withdrawals["JPWGS-000002"]?.recordedAt == time("2027-02-01T00:00:00Z"))

        // The same files again alter nothing.
        let error = #expect(throws: GatewayError.self) {
            try store.database.apply(.importing(second.state, from: folder), actor: "operator:test", channel: "import")
        }
        #expect(error?.code == .conflict)
        #expect(store.database.snapshot.version == 3)
    }

    @Test("re-importing the example policy alters nothing")
    func reimportIsConflict() throws {
        let store = try SeededStore("policy-reimport")
        let again = try PolicyImport(folder: SeededStore.examples)
        #expect(again.problems(applyingTo: store.database.snapshot.state).isEmpty)
        let error = #expect(throws: GatewayError.self) {
            try store.database.apply(.importing(again.state, from: "policy"), actor: "operator:test", channel: "import")
        }
        #expect(error?.code == .conflict)
        #expect(try store.reopen().snapshot.version == 1)
    }
}
