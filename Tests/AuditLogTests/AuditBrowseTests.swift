import AuditLog
import Foundation
import GatewayCore
import GatewayTestSupport
import GRDB
import Testing

/// The auditors' pages' queries over a real log of 22 records (checkpoints every 5 and at
/// close: 5, 10, 15, 20, 22; every third record a deny, members all different, organizations
/// alternating, one second apart): keyset pages through an index for every filter, never a sort;
/// the gateway's own verification of bounded ranges, which names the first record changed
/// behind its back; the usage aggregation.
@Suite("Audit log: pages, verification and usage from the store")
struct AuditBrowseTests {
    static func makeLog() async throws -> (folder: String, signer: AuditSigner) {
        let signer = try await AuditFixture.makeSigner()
        return (try await AuditFixture.makeLog(count: 22, every: 5, signer: signer), signer)
    }

    static func query(_ change: (inout AuditQuery) -> Void) -> AuditQuery {
        var query = AuditQuery()
        change(&query)
        return query
    }

    static let filters: [(String, AuditQuery, String)] = [
        ("none", AuditQuery(), "INTEGER PRIMARY KEY"),
        ("member", query { $0.member = "member-004" }, "audit_record_member"),
        ("organization", query { $0.organization = "kyoto-u" }, "audit_record_organization"),
        ("approval", query { $0.approval = "A-2026-001" }, "audit_record_approval"),
        ("decision", query { $0.decision = "deny" }, "audit_record_decision"),
        ("from_time", query { $0.fromTime = "2026-11-27T00:00:00.000Z" }, "audit_record_time"),
        ("to_time", query { $0.toTime = "2026-11-27T00:00:00.000Z" }, "audit_record_time"),
        ("both times", query { $0.fromTime = "2026-11-26T00:00:00.000Z"; $0.toTime = "2026-11-27T00:00:00.000Z" }, "audit_record_time"),
    ]

    @Test("every filter's page, first, next and previous, reads one index range and never sorts", arguments: filters)
    func indexedPlans(name: String, query: AuditQuery, index: String) async throws {
        let (folder, _) = try await Self.makeLog()
        let database = try AuditDatabase(folder: folder)
        for cursor in [AuditPageCursor.start, .after(7), .before(15)] {
            let plan = try await database.pagePlan(query, from: cursor).joined(separator: " | ")
            if name == "none", cursor == .start {
                #expect(plan == "SCAN audit_record", "the first page of everything reads the table in rowid order up to the limit: \(plan)")
                continue
            }
            #expect(plan.contains(index) && plan.hasPrefix("SEARCH"), "\(name) \(cursor): \(plan)")
            #expect(!plan.contains("TEMP B-TREE") && !plan.contains("SCAN audit_record"), "\(name) \(cursor): \(plan)")
        }
    }

    @Test("keyset pages: forwards and back by sequence; with a time filter by arrival time")
    func paging() async throws {
        let (folder, _) = try await Self.makeLog()
        let database = try AuditDatabase(folder: folder)
        let allowed = Self.query { $0.decision = "allow" }
        #expect(try await database.page(allowed, from: .start, limit: 5).map(\.sequence) == [1, 2, 4, 5, 7])
        #expect(try await database.page(allowed, from: .after(7), limit: 5).map(\.sequence) == [8, 10, 11, 13, 14])
        #expect(try await database.page(allowed, from: .before(8), limit: 5).map(\.sequence) == [1, 2, 4, 5, 7])
        #expect(try await database.page(allowed, from: .before(14), limit: 3).map(\.sequence) == [10, 11, 13])
        let fifth = try #require(try await database.entry(sequence: 5))
        let time = try #require((try JSONSerialization.jsonObject(with: Data(fifth.canonical.utf8)) as? [String: Any])?["time"] as? String)
        let timed = Self.query { $0.fromTime = time }
        #expect(try await database.page(timed, from: .start, limit: 3).map(\.sequence) == [5, 6, 7])
        #expect(try await database.page(timed, from: .after(7), limit: 3).map(\.sequence) == [8, 9, 10])
        #expect(try await database.page(timed, from: .before(8), limit: 2).map(\.sequence) == [6, 7])
        #expect(try await database.page(timed, from: .after(999), limit: 3).isEmpty, "a cursor that is not a record: an empty page")
        #expect(try await database.entry(sequence: 23) == nil)
        #expect(try await database.checkpoint(covering: 11)?.sequence == 15)
        #expect(try await database.checkpoint(covering: 22)?.sequence == 22)
    }

    @Test("the gateway's verification: bounded signed ranges, and a record changed in the store named as the first bad one")
    func verification() async throws {
        let (folder, signer) = try await Self.makeLog()
        let database = try AuditDatabase(folder: folder)
        let key = try AuditSignatureVerifier(publicKeyPEM: signer.publicKeyPEM)
        let whole = try database.verify(from: nil, cap: 100, publicKey: key)
        #expect(whole.passed && whole.firstSequence == 1 && whole.lastSequence == 22 && whole.records == 22 && whole.checkpoints == 5, "\(whole)")
        #expect(whole.lastCheckpointSequence == 22 && whole.keyID == signer.keyID && whole.nextFromSequence == nil)
        let latest = try database.verify(from: nil, cap: 8, publicKey: key)
        #expect(latest.passed && latest.firstSequence == 16 && latest.lastSequence == 22 && latest.records == 7, "\(latest)")
        let middle = try database.verify(from: 7, cap: 8, publicKey: key)
        #expect(middle.passed && middle.firstSequence == 6 && middle.lastSequence == 10 && middle.nextFromSequence == 11, "\(middle)")
        #expect(throws: GatewayError.self) { try database.verify(from: 23, cap: 8, publicKey: key) }
        #expect(performing: { try database.verify(from: 1, cap: 4, publicKey: key) }, throws: { error in
            (error as? GatewayError)?.code == .conflict && "\(error)".contains("within 4 records of sequence 1")
        })

        // Someone with write access to the file changes record 11's text (the triggers dropped first).
        let queue = try DatabaseQueue(path: folder + "/" + AuditDatabase.fileName)
        try await queue.write { db in
            try db.execute(sql: "DROP TRIGGER audit_record_immutable")
            try db.execute(sql: #"UPDATE audit_record SET record = replace(record, '"status":200', '"status":500') WHERE sequence = 11"#)
        }
        let tampered = try database.verify(from: 11, cap: 8, publicKey: key)
        #expect(!tampered.passed && tampered.failure?.sequence == 11, "\(tampered)")
        #expect(tampered.failure?.message.contains("the record was changed") == true, "\(tampered)")
        let fromStart = try database.verify(from: nil, cap: 100, publicKey: key)
        #expect(fromStart.failure?.sequence == 11)
        #expect(try database.verify(from: 16, cap: 8, publicKey: key).passed, "a range after the change does not reach it")
    }

    @Test("usage over a period: one row per approval with requests, decisions, kinds, members and organizations; CSV the same")
    func usage() async throws {
        let (folder, _) = try await Self.makeLog()
        let database = try AuditDatabase(folder: folder)
        let usage = try await database.usage(from: AuditTime.earliest, to: AuditTime.latest)
        let row = try #require(usage.rows.first)
        #expect(usage.rows.count == 1 && row.approval == "A-2026-001")
        #expect(row.requests == 22 && row.denied == 7 && row.allowed == 15 && row.members == 22, "\(row)")
        #expect(row.organizations == ["kyoto-u", "oxford-u"] && row.kinds.map(\.kind) == ["beacon-count"] && row.kinds.first?.count == 22)
        let csv = usage.csv { _ in "causal-gene-research" }.split(separator: "\n")
        #expect(csv.count == 2 && csv[1].contains(",A-2026-001,causal-gene-research,22,15,7,beacon-count 22,22,kyoto-u oxford-u,0"), "\(csv)")
        let fifth = try #require(try await database.entry(sequence: 5))
        let time = try #require((try JSONSerialization.jsonObject(with: Data(fifth.canonical.utf8)) as? [String: Any])?["time"] as? String)
        let part = try await database.usage(from: time, to: AuditTime.latest)
        #expect(part.rows.first?.requests == 18, "records 5 to 22")
        #expect(try await database.usage(from: AuditTime.earliest, to: time).rows.first?.requests == 4)
    }
}
