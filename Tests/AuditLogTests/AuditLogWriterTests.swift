import AuditLog
import Foundation
import GatewayCore
import GatewayTestSupport
import GRDB
import Testing

@Suite("Audit log writer")
struct AuditLogWriterTests {
    /// Checks that `entries` form one chain from genesis: contiguous sequences, each hash from
    /// its text and predecessor, each text's own sequence the row's.
    static func expectValidChain(_ entries: [AuditEntry], sourceLocation: SourceLocation = #_sourceLocation) throws {
        var previous = AuditChain.genesis
        for (index, entry) in entries.enumerated() {
            #expect(entry.sequence == index + 1, sourceLocation: sourceLocation)
            #expect(entry.previousHash == previous, "sequence \(entry.sequence)", sourceLocation: sourceLocation)
            #expect(entry.hash == AuditChain.hash(previous: previous, canonical: entry.canonical), "sequence \(entry.sequence)", sourceLocation: sourceLocation)
            let record = try JSONDecoder().decode(AuditRecord.self, from: Data(entry.canonical.utf8))
            #expect(record.sequence == entry.sequence, sourceLocation: sourceLocation)
            previous = entry.hash
        }
    }

    static func checkpointSequences(_ folder: String) async throws -> [Int] {
        try await AuditDatabase(folder: folder).checkpoints().map(\.sequence)
    }

    @Test("200 concurrent appends get sequences 1...200 exactly once, committed as one valid chain", arguments: [true, false])
    func concurrentAppends(groupCommit: Bool) async throws {
        let folder = DevPKI.temporaryFolder("audit-concurrent")
        let signer = try await AuditFixture.makeSigner()
        var settings = AuditLog.Settings()
        settings.groupCommit = groupCommit
        // One checkpoint per commit: the checkpoints count the commits.
        settings.checkpointEveryRecords = 1
        let results = try await AuditFixture.withDrivenLog(folder: folder, signer: signer, settings: settings) { log in
            try await withThrowingTaskGroup(of: (Int, Int).self) { group in
                for index in 1...200 {
                    group.addTask { (index, try await log.append(AuditFixture.record(index))) }
                }
                var results: [(Int, Int)] = []
                for try await result in group { results.append(result) }
                #expect(log.headSequence == 200)
                return results
            }
        }
        let sequences = results.map(\.1)
        #expect(sequences.sorted() == Array(1...200))
        #expect(Set(sequences).count == 200)
        let entries = try await AuditFixture.storedRecords(folder)
        #expect(entries.count == 200)
        try Self.expectValidChain(entries)
        // The sequence append returned is the one the record was stored with.
        let members = Dictionary(uniqueKeysWithValues: try entries.map { entry in
            (entry.sequence, try JSONDecoder().decode(AuditRecord.self, from: Data(entry.canonical.utf8)).member)
        })
        for (index, sequence) in results {
            #expect(members[sequence] == String(format: "member-%03d", index))
        }
        let commits = try await Self.checkpointSequences(folder)
        #expect(commits.last == 200)
        if groupCommit {
            #expect(commits.count < 200, "group commit shares commits between concurrent requests: \(commits.count) commits")
        } else {
            #expect(commits == Array(1...200), "one commit per record")
        }
    }

    @Test("records waiting before the writer runs are committed in one batch (one commit)")
    func oneBatch() async throws {
        let folder = DevPKI.temporaryFolder("audit-batch")
        var settings = AuditLog.Settings()
        settings.checkpointEveryRecords = 1
        let log = try AuditLog(folder: folder, signer: try await AuditFixture.makeSigner(), settings: settings)
        for index in 1...50 { log.appendDetached(AuditFixture.record(index)) }
        await log.writePending()
        #expect(log.headSequence == 50)
        #expect(try await Self.checkpointSequences(folder) == [50], "one commit, so one checkpoint")
        await log.close()
        try Self.expectValidChain(try await AuditFixture.storedRecords(folder))
    }

    @Test("maximumBatch bounds a commit")
    func maximumBatch() async throws {
        let folder = DevPKI.temporaryFolder("audit-max-batch")
        var settings = AuditLog.Settings()
        settings.checkpointEveryRecords = 1
        settings.maximumBatch = 16
        let log = try AuditLog(folder: folder, signer: try await AuditFixture.makeSigner(), settings: settings)
        for index in 1...40 { log.appendDetached(AuditFixture.record(index)) }
        await log.writePending()
        #expect(try await Self.checkpointSequences(folder) == [16, 32, 40])
        await log.close()
    }

    @Test("a checkpoint every N records, and one at close", arguments: [true, false])
    func checkpointEveryN(groupCommit: Bool) async throws {
        let folder = DevPKI.temporaryFolder("audit-every")
        let signer = try await AuditFixture.makeSigner()
        var settings = AuditLog.Settings()
        settings.checkpointEveryRecords = 50
        settings.checkpointEvery = .seconds(3600)  // by count only, however slow a loaded machine runs the test
        settings.groupCommit = groupCommit
        try await AuditFixture.withDrivenLog(folder: folder, signer: signer, settings: settings) { log in
            for index in 1...210 { _ = try await log.append(AuditFixture.record(index)) }
            #expect(try await Self.checkpointSequences(folder) == [50, 100, 150, 200])
        }
        #expect(try await Self.checkpointSequences(folder) == [50, 100, 150, 200, 210], "close() signs the tail")
        // Each checkpoint signs the hash of the record it names, and links to the previous signature.
        let database = try AuditDatabase(folder: folder)
        let entries = try await database.records(AuditQuery(), after: 0, limit: 1000)
        let checkpoints = try await database.checkpoints()
        let publicKey = try AuditSignatureVerifier(publicKeyPEM: signer.publicKeyPEM)
        var previousSignature = ""
        for entry in checkpoints {
            let checkpoint = try JSONDecoder().decode(AuditCheckpoint.self, from: Data(entry.canonical.utf8))
            #expect(checkpoint.sequence == entry.sequence)
            #expect(checkpoint.headHash == AuditChain.hex(entries[entry.sequence - 1].hash))
            #expect(checkpoint.previousSignature == previousSignature)
            #expect(checkpoint.keyID == signer.keyID)
            #expect(publicKey.verify(entry.canonical, signature: try #require(AuditChain.bytes(hex: entry.signature))))
            #expect(try checkpoint.canonicalJSON() == entry.canonical)
            previousSignature = entry.signature
        }
    }

    @Test("with concurrent appends and group commit, checkpoints are at least N apart and sign the right heads")
    func checkpointsUnderGroupCommit() async throws {
        let folder = DevPKI.temporaryFolder("audit-every-concurrent")
        let signer = try await AuditFixture.makeSigner()
        var settings = AuditLog.Settings()
        settings.checkpointEveryRecords = 50
        settings.checkpointEvery = .seconds(3600)  // by count only, however slow a loaded machine runs the test
        try await AuditFixture.withDrivenLog(folder: folder, signer: signer, settings: settings) { log in
            try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 1...200 { group.addTask { try await log.append(AuditFixture.record(index)) } }
                try await group.waitForAll()
            }
        }
        let sequences = try await Self.checkpointSequences(folder)
        #expect(sequences.last == 200)
        for (earlier, later) in zip([0] + sequences, sequences).dropLast() {
            #expect(later - earlier >= 50, "\(sequences)")
        }
        let (records, checkpoints) = try await AuditFixture.export(folder)
        let report = try AuditFixture.verifier(signer).check(records, checkpoints)
        #expect(report.records == 200 && report.lastCheckpointedSequence == 200)
    }

    @Test("a time-based checkpoint is signed when records came and the interval passed")
    func timeBasedCheckpoint() async throws {
        let folder = DevPKI.temporaryFolder("audit-time")
        var settings = AuditLog.Settings()
        settings.checkpointEvery = .seconds(1)
        let signer = try await AuditFixture.makeSigner()
        let opened = ContinuousClock.now
        let log = try AuditLog(folder: folder, signer: signer, settings: settings)
        log.appendDetached(AuditFixture.record(1))
        await log.writePending()
        if ContinuousClock.now - opened < .milliseconds(900) { // (unless the machine is too busy to tell)
            #expect(try await Self.checkpointSequences(folder) == [], "the interval has not passed")
        }
        try await Task.sleep(for: .milliseconds(1100)) // the interval counts from init, which came before
        await log.writePending()
        #expect(try await Self.checkpointSequences(folder) == [1])
        await log.writePending()
        #expect(try await Self.checkpointSequences(folder) == [1], "nothing new: no new checkpoint")
        await log.close()
        #expect(try await Self.checkpointSequences(folder) == [1], "nothing new at close either")
    }

    @Test("after close, append is refused with audit_unavailable")
    func appendAfterClose() async throws {
        let folder = DevPKI.temporaryFolder("audit-closed")
        let log = try AuditLog(folder: folder, signer: try await AuditFixture.makeSigner())
        await log.close()
        await #expect(throws: GatewayError.self) { _ = try await log.append(AuditFixture.record(1)) }
        do {
            _ = try await log.append(AuditFixture.record(1))
        } catch {
            #expect(error.code == .auditUnavailable)
        }
        #expect(log.headSequence == 0)
    }

    @Test("reopening the folder continues the chain and the checkpoint chain")
    func reopen() async throws {
        let folder = DevPKI.temporaryFolder("audit-reopen")
        let signer = try await AuditFixture.makeSigner()
        var settings = AuditLog.Settings()
        settings.checkpointEveryRecords = 50
        settings.checkpointEvery = .seconds(3600)  // by count only, however slow a loaded machine runs the test
        try await AuditFixture.withDrivenLog(folder: folder, signer: signer, settings: settings) { log in
            for index in 1...200 { _ = try await log.append(AuditFixture.record(index)) }
        }
        let before = try await AuditFixture.storedRecords(folder)
        let sequence = try await AuditFixture.withDrivenLog(folder: folder, signer: signer, settings: settings) { log in
            #expect(log.headSequence == 200)
            return try await log.append(AuditFixture.record(201))
        }
        #expect(sequence == 201)
        let after = try await AuditFixture.storedRecords(folder)
        #expect(after.count == 201)
        #expect(Array(after.prefix(200)) == before, "nothing earlier changed")
        #expect(after[200].previousHash == before[199].hash)
        try Self.expectValidChain(after)
        #expect(try await Self.checkpointSequences(folder) == [50, 100, 150, 200, 201])
        let (records, checkpoints) = try await AuditFixture.export(folder)
        let report = try AuditFixture.verifier(signer).check(records, checkpoints)
        #expect(report.records == 201 && report.firstSequence == 1 && report.lastSequence == 201)
        #expect(report.checkpoints == 5 && report.lastCheckpointedSequence == 201)
    }

    @Test("the database refuses UPDATE and DELETE of records and checkpoints", arguments: [
        "UPDATE audit_record SET member = 'someone-else' WHERE sequence = 2",
        "UPDATE audit_record SET record = '{}'",
        "DELETE FROM audit_record WHERE sequence = 3",
        "DELETE FROM audit_record",
        "UPDATE audit_checkpoint SET signature = '00'",
        "DELETE FROM audit_checkpoint",
    ])
    func triggers(statement: String) async throws {
        let signer = try await AuditFixture.makeSigner()
        let folder = try await AuditFixture.makeLog(count: 5, every: 2, signer: signer)
        let before = try await AuditFixture.export(folder)
        let queue = try DatabaseQueue(path: folder + "/" + AuditDatabase.fileName)
        do {
            try await queue.write { try $0.execute(sql: statement) }
            Issue.record("\(statement) was allowed")
        } catch let error as DatabaseError {
            #expect(error.message?.contains("never") == true, "\(error)")
        }
        try queue.close()
        let after = try await AuditFixture.export(folder)
        #expect(after.records == before.records && after.checkpoints == before.checkpoints)
    }

    @Test("a changed last record is detected when the log is opened", arguments: [
        "UPDATE audit_record SET record = replace(record, 'member-005', 'member-999') WHERE sequence = 5",
        "UPDATE audit_record SET hash = zeroblob(32) WHERE sequence = 5",
        "UPDATE audit_record SET prev_hash = zeroblob(32) WHERE sequence = 5",
    ])
    func tamperedHead(statement: String) async throws {
        let signer = try await AuditFixture.makeSigner()
        let folder = try await AuditFixture.makeLog(count: 5, every: 100, signer: signer)
        #expect(try AuditDatabase(folder: folder).head().sequence == 5)
        let queue = try DatabaseQueue(path: folder + "/" + AuditDatabase.fileName)
        try await queue.write { db in
            try db.execute(sql: "DROP TRIGGER audit_record_immutable")
            try db.execute(sql: statement)
            #expect(db.changesCount == 1)
        }
        try queue.close()
        #expect(throws: GatewayError.self) { try AuditDatabase(folder: folder).head() }
        // Twice: a failed open must release the lock, or the second would say "another process".
        for _ in 0..<2 {
            do {
                _ = try AuditLog(folder: folder, signer: signer)
                Issue.record("a damaged log opened")
            } catch {
                #expect(error.code == .auditUnavailable)
                #expect(error.message.contains("record 5"), "\(error.message)")
            }
        }
    }

    @Test("an empty store's head is sequence 0 with the genesis hash")
    func emptyHead() throws {
        let head = try AuditDatabase(folder: DevPKI.temporaryFolder("audit-empty")).head()
        #expect(head.sequence == 0)
        #expect(head.hash == AuditChain.genesis)
    }
}
