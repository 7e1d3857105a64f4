import AuditLog
import Foundation
import GatewayTestSupport
import Testing

/// Selecting and paging stored records (what the export endpoint and command stream).
@Suite("Audit export queries")
struct AuditExportTests {
    /// 20 records; record i is at base + i seconds, member-0ii, kyoto-u when i is even, deny when i is a multiple of 3.
    static func folder() async throws -> String {
        try await AuditFixture.makeLog(count: 20, every: 100, signer: try await AuditFixture.makeSigner())
    }

    static func query(_ configure: (inout AuditQuery) -> Void) -> AuditQuery {
        var query = AuditQuery()
        configure(&query)
        return query
    }

    static let base = Date(timeIntervalSince1970: 1_795_795_306.125)

    @Test("filters select exactly the matching sequences")
    func filters() async throws {
        let database = try AuditDatabase(folder: try await Self.folder())
        let cases: [(String, AuditQuery, [Int])] = [
            ("all", AuditQuery(), Array(1...20)),
            ("sequence range", Self.query { $0.fromSequence = 5; $0.toSequence = 9 }, [5, 6, 7, 8, 9]),
            ("time range (from inclusive, to exclusive)", Self.query {
                $0.fromTime = AuditTime.format(Self.base.addingTimeInterval(5))
                $0.toTime = AuditTime.format(Self.base.addingTimeInterval(8))
            }, [5, 6, 7]),
            ("member", Self.query { $0.member = "member-012" }, [12]),
            ("organization", Self.query { $0.organization = "kyoto-u" }, [2, 4, 6, 8, 10, 12, 14, 16, 18, 20]),
            ("decision", Self.query { $0.decision = "deny" }, [3, 6, 9, 12, 15, 18]),
            ("approval", Self.query { $0.approval = "A-2026-001" }, Array(1...20)),
            ("approval nobody has", Self.query { $0.approval = "A-1999-999" }, []),
            ("combined", Self.query { $0.organization = "kyoto-u"; $0.decision = "deny"; $0.toSequence = 15 }, [6, 12]),
        ]
        for (name, query, expected) in cases {
            let entries = try await database.records(query, after: 0, limit: 1000)
            #expect(entries.map(\.sequence) == expected, "\(name)")
        }
        #expect(AuditQuery().isContiguous)
        #expect(Self.query { $0.fromSequence = 3; $0.fromTime = "x" }.isContiguous)
        #expect(!Self.query { $0.member = "m" }.isContiguous)
        #expect(!Self.query { $0.decision = "deny" }.isContiguous)
    }

    @Test("paging with after and limit walks every record once, in order")
    func paging() async throws {
        let database = try AuditDatabase(folder: try await Self.folder())
        var after = 0
        var pages: [[Int]] = []
        while true {
            let page = try await database.records(AuditQuery(), after: after, limit: 7)
            guard let last = page.last else { break }
            pages.append(page.map(\.sequence))
            after = last.sequence
        }
        #expect(pages == [Array(1...7), Array(8...14), Array(15...20)])
        let filtered = try await database.records(Self.query { $0.decision = "deny" }, after: 6, limit: 2)
        #expect(filtered.map(\.sequence) == [9, 12])
    }

    @Test("an entry's line and CSV row carry the stored record")
    func entryForms() async throws {
        let database = try AuditDatabase(folder: try await Self.folder())
        let entry = try #require(try await database.records(Self.query { $0.member = "member-004" }, after: 0, limit: 10).first)
        var record = AuditFixture.record(4)
        record.sequence = 4
        #expect(entry.canonical == (try record.canonicalJSON()))
        #expect(try entry.csvRow() == record.csvRow)
        #expect(entry.line == AuditLine.record(sequence: 4, previousHash: AuditChain.hex(entry.previousHash), hash: AuditChain.hex(entry.hash), canonical: entry.canonical))
        let row = try entry.csvRow()
        #expect(row.hasPrefix("4,2026-11-27T16:01:50.125Z,req00000000000000000000000000004,member-004,kyoto-u,JP,researcher,"), "\(row)")
        #expect(row.contains(",\"CN=member-4,O=Org,C=JP\","), "a field with commas is quoted")
        #expect(row.hasSuffix(",beacon-count,62,0,200,104,1004,,,"), "\(row) (no policy revision, privacy charge or airlock outcome in this record)")
    }
}
