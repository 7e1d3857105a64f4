import AuditLog
import Foundation
import GatewayTestSupport
import Testing

/// Tampering experiments on an export of a real log: 22 records (line n holds sequence n),
/// checkpoints every 5 records and at close (checkpoint lines 1-5 sign 5, 10, 15, 20, 22).
@Suite("Audit export tampering")
struct AuditTamperingTests {
    struct Export: Sendable {
        var signer: AuditSigner
        var records: [String]
        var checkpoints: [String]
        func verifier() throws -> AuditVerifier { try AuditFixture.verifier(signer) }
    }

    static func makeExport() async throws -> Export {
        let signer = try await AuditFixture.makeSigner()
        let folder = try await AuditFixture.makeLog(count: 22, every: 5, signer: signer)
        let (records, checkpoints) = try await AuditFixture.export(folder)
        return Export(signer: signer, records: records, checkpoints: checkpoints)
    }

    /// The lines from `start` (1-based) on with their hashes recomputed, as a forger without
    /// the signing key would: each line's text as given, chained from its predecessor.
    static func rechained(_ lines: [String], from start: Int) throws -> [String] {
        var lines = lines
        let previousHash = try #require(try object(lines[start - 2])["hash"] as? String)
        var previous = try #require(AuditChain.bytes(hex: previousHash))
        for index in (start - 1)..<lines.count {
            let canonical = String(try #require(AuditLine.embedded("record", in: Substring(lines[index]))))
            let sequence = try #require(try object(lines[index])["sequence"] as? Int)
            let hash = AuditChain.hash(previous: previous, canonical: canonical)
            lines[index] = AuditLine.record(sequence: sequence, previousHash: AuditChain.hex(previous), hash: AuditChain.hex(hash), canonical: canonical)
            previous = hash
        }
        return lines
    }

    static func object(_ line: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    /// Flips the hex digit at `offset` of the value of `"key":"…"` in `line`.
    static func flipHexDigit(of key: String, in line: String, at offset: Int = 10) throws -> String {
        let start = try #require(line.range(of: "\"\(key)\":\"")).upperBound
        let index = line.index(start, offsetBy: offset)
        let digit = line[index]
        let replacement: Character = digit == "0" ? "1" : "0"
        return line.replacingCharacters(in: index...index, with: String(replacement))
    }

    @Test("the untouched export verifies, and the report counts are right")
    func untouched() async throws {
        let export = try await Self.makeExport()
        #expect(export.records.count == 22)
        #expect(export.checkpoints.count == 5)
        let report = try export.verifier().check(export.records, export.checkpoints)
        #expect(report.records == 22)
        #expect(report.firstSequence == 1)
        #expect(report.lastSequence == 22)
        #expect(report.checkpoints == 5)
        #expect(report.lastCheckpointedSequence == 22)
        // Without checkpoints the chain alone verifies.
        let chainOnly = try export.verifier().check(export.records, [])
        #expect(chainOnly.records == 22 && chainOnly.checkpoints == 0 && chainOnly.lastCheckpointedSequence == nil)
        // Trailing empty lines (a file's final newline) are ignored.
        #expect(try export.verifier().check(export.records + [""], export.checkpoints + [""]).records == 22)
    }

    @Test("(a) a changed field in one record names that line: the record was changed", arguments: [
        ("\"member\":\"member-007\"", "\"member\":\"member-070\""),
        ("\"status\":200", "\"status\":201"),
        ("\"decision\":\"allow\"", "\"decision\":\"deny\""),
        ("\"contributing_samples\":65", "\"contributing_samples\":6"),
        ("\"time\":\"2026-11-27T16:01:53.125Z\"", "\"time\":\"2026-11-27T16:01:53.126Z\""),
        ("\"reasons\":[]", "\"reasons\":[\"approval_expired\"]"),
    ])
    func changedField(original: String, replacement: String) async throws {
        let export = try await Self.makeExport()
        var records = export.records
        #expect(records[6].contains(original), "\(records[6])")
        records[6] = records[6].replacingOccurrences(of: original, with: replacement)
        let failure = try #require(try export.verifier().failure(records, export.checkpoints))
        #expect(failure.file == "records.jsonl")
        #expect(failure.line == 7)
        #expect(failure.sequence == 7)
        #expect(failure.message.contains("changed"), "\(failure)")
    }

    @Test("(a) an altered hash or prev_hash field names that line")
    func changedChainFields() async throws {
        let export = try await Self.makeExport()
        var records = export.records
        records[6] = try Self.flipHexDigit(of: "hash", in: records[6])
        let hashFailure = try #require(try export.verifier().failure(records, export.checkpoints))
        #expect(hashFailure.line == 7 && hashFailure.sequence == 7 && hashFailure.message.contains("changed"), "\(hashFailure)")
        records = export.records
        records[6] = try Self.flipHexDigit(of: "prev_hash", in: records[6])
        let previousFailure = try #require(try export.verifier().failure(records, export.checkpoints))
        #expect(previousFailure.line == 7 && previousFailure.sequence == 7, "\(previousFailure)")
        #expect(previousFailure.message.contains("chain is broken"), "\(previousFailure)")
    }

    @Test("(a) a changed record with every later hash recomputed is caught by the next checkpoint")
    func rewrittenChain() async throws {
        let export = try await Self.makeExport()
        var records = export.records
        records[6] = records[6].replacingOccurrences(of: "member-007", with: "member-070")
        records = try Self.rechained(records, from: 7)
        // The chain alone is consistent again...
        #expect(try export.verifier().check(records, []).records == 22)
        // ...but checkpoint line 2 signed sequence 10's original hash.
        let failure = try #require(try export.verifier().failure(records, export.checkpoints))
        #expect(failure.file == "records.jsonl")
        #expect(failure.line == 10)
        #expect(failure.sequence == 10)
        #expect(failure.message.contains("checkpoint line 2") && failure.message.contains("rewritten"), "\(failure)")
    }

    @Test("(a) a record whose own sequence differs from its line's is refused")
    func innerSequence() async throws {
        let export = try await Self.makeExport()
        var records = export.records
        records[6] = records[6].replacingOccurrences(of: "\"sequence\":7,\"status\"", with: "\"sequence\":70,\"status\"")
        records = try Self.rechained(records, from: 7)
        let failure = try #require(try export.verifier().failure(records, []))
        #expect(failure.line == 7 && failure.sequence == 7, "\(failure)")
        #expect(failure.message.contains("own sequence"), "\(failure)")
    }

    @Test("(b) deleted record lines are named as the missing gap", arguments: [
        ([7], 7, 8, "records 7...7 are missing"),
        ([7, 8, 9], 7, 10, "records 7...9 are missing"),
        ([2], 2, 3, "records 2...2 are missing"),
        ([21], 21, 22, "records 21...21 are missing"),
    ])
    func deletedLines(deleted: [Int], line: Int, sequence: Int, message: String) async throws {
        let export = try await Self.makeExport()
        var records = export.records
        for number in deleted.reversed() { records.remove(at: number - 1) }
        let failure = try #require(try export.verifier().failure(records, export.checkpoints))
        #expect(failure.file == "records.jsonl")
        #expect(failure.line == line)
        #expect(failure.sequence == sequence)
        #expect(failure.message.contains(message), "\(failure)")
    }

    @Test("(c) swapped lines fail at the first displaced line")
    func swappedLines() async throws {
        let export = try await Self.makeExport()
        var records = export.records
        records.swapAt(6, 7)
        let failure = try #require(try export.verifier().failure(records, export.checkpoints))
        #expect(failure.line == 7)
        #expect(failure.sequence == 8)
        #expect(failure.message.contains("missing") || failure.message.contains("out of order"), "\(failure)")
    }

    @Test("(c) a record moved back (or replayed) is out of order")
    func outOfOrder() async throws {
        let export = try await Self.makeExport()
        var moved = export.records
        moved.insert(moved.remove(at: 4), at: 9) // sequence 5 now follows sequence 10
        let failure = try #require(try export.verifier().failure(moved, export.checkpoints))
        #expect(failure.line == 5 && failure.sequence == 6, "the gap at line 5 is met first: \(failure)")
        var replayed = export.records
        replayed.insert(replayed[4], at: 5) // sequence 5 twice
        let replay = try #require(try export.verifier().failure(replayed, export.checkpoints))
        #expect(replay.line == 6)
        #expect(replay.sequence == 5)
        #expect(replay.message.contains("out of order"), "\(replay)")
    }

    @Test("(d) a dropped tail is named: the checkpoints sign records the export lacks", arguments: [
        (3, 19, "records 20...22 were dropped"),
        (1, 21, "records 22...22 were dropped"),
        (12, 10, "records 11...22 were dropped"),
    ])
    func droppedTail(dropped: Int, lastLine: Int, message: String) async throws {
        let export = try await Self.makeExport()
        let records = Array(export.records.dropLast(dropped))
        let failure = try #require(try export.verifier().failure(records, export.checkpoints))
        #expect(failure.file == "records.jsonl")
        #expect(failure.line == lastLine)
        #expect(failure.sequence == lastLine)
        #expect(failure.message.contains(message), "\(failure)")
        #expect(failure.message.contains("checkpoint line 5"), "\(failure)")
    }

    @Test("(d) a dropped tail names the last record's line also when the file ends with a newline")
    func droppedTailWithFinalNewline() async throws {
        let export = try await Self.makeExport()
        let text = export.records.dropLast(3).joined(separator: "\n") + "\n"
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false) // as `genomegate audit verify` reads
        let checkpoints = export.checkpoints.map { Substring($0) }
        let verifier = try export.verifier()
        do {
            _ = try verifier.verify(records: lines, recordsFile: "r", checkpoints: checkpoints, checkpointsFile: "c")
            Issue.record("a dropped tail verified")
        } catch {
            #expect(error.line == 19, "line 19 holds the last record; line \(error.line) is empty")
            #expect(error.sequence == 19)
        }
    }

    @Test("(d) an export with every record dropped does not verify against the checkpoints")
    func everythingDropped() async throws {
        let export = try await Self.makeExport()
        let failure = try export.verifier().failure([], export.checkpoints)
        #expect(failure != nil, "records 1...22 were dropped")
        #expect(failure?.message.contains("dropped") == true)
    }

    @Test("an export ending at an earlier checkpoint verifies with the checkpoints up to it")
    func exportUpToCheckpoint() async throws {
        let export = try await Self.makeExport()
        let report = try export.verifier().check(Array(export.records.prefix(15)), Array(export.checkpoints.prefix(3)))
        #expect(report.records == 15 && report.lastCheckpointedSequence == 15 && report.checkpoints == 3)
        // An export from the middle also verifies; the report says where it starts.
        let middle = try export.verifier().check(Array(export.records.dropFirst(7)), export.checkpoints)
        #expect(middle.firstSequence == 8 && middle.lastSequence == 22 && middle.records == 15)
    }

    @Test("(e) a forged checkpoint signature names the checkpoint line", arguments: [1, 2, 5])
    func forgedSignature(line: Int) async throws {
        let export = try await Self.makeExport()
        var checkpoints = export.checkpoints
        checkpoints[line - 1] = try Self.flipHexDigit(of: "signature", in: checkpoints[line - 1])
        let failure = try #require(try export.verifier().failure(export.records, checkpoints))
        #expect(failure.file == "checkpoints.jsonl")
        #expect(failure.line == line)
        #expect(failure.sequence == [5, 10, 15, 20, 22][line - 1])
        #expect(failure.message.contains("signature"), "\(failure)")
    }

    @Test("(e) an altered checkpoint (its head hash or sequence) no longer matches its signature", arguments: [
        "head_hash", "sequence",
    ])
    func alteredCheckpoint(field: String) async throws {
        let export = try await Self.makeExport()
        var checkpoints = export.checkpoints
        checkpoints[1] = field == "head_hash"
            ? try Self.flipHexDigit(of: "head_hash", in: checkpoints[1])
            : checkpoints[1].replacingOccurrences(of: "\"sequence\":10", with: "\"sequence\":11")
        let failure = try #require(try export.verifier().failure(export.records, checkpoints))
        #expect(failure.file == "checkpoints.jsonl" && failure.line == 2, "\(failure)")
        #expect(failure.message.contains("signature"), "\(failure)")
    }

    @Test("(e) a removed checkpoint breaks the checkpoint chain at the next line")
    func removedCheckpoint() async throws {
        let export = try await Self.makeExport()
        var checkpoints = export.checkpoints
        checkpoints.remove(at: 1)
        let failure = try #require(try export.verifier().failure(export.records, checkpoints))
        #expect(failure.file == "checkpoints.jsonl")
        #expect(failure.line == 2)
        #expect(failure.sequence == 15)
        #expect(failure.message.contains("does not follow"), "\(failure)")
    }

    @Test("(f) a checkpoint signed by another key fails")
    func otherKey() async throws {
        let export = try await Self.makeExport()
        let other = try await AuditFixture.makeSigner()
        // Re-sign checkpoint 3 with another key (its text unchanged).
        var checkpoints = export.checkpoints
        let canonical = String(try #require(AuditLine.embedded("checkpoint", in: Substring(checkpoints[2]))))
        checkpoints[2] = AuditLine.checkpoint(signature: AuditChain.hex(try other.sign(canonical)), canonical: canonical)
        let failure = try #require(try export.verifier().failure(export.records, checkpoints))
        #expect(failure.file == "checkpoints.jsonl" && failure.line == 3 && failure.sequence == 15, "\(failure)")
        #expect(failure.message.contains("signature"), "\(failure)")
        // The untouched export checked with another public key fails at the first checkpoint.
        let wrongKey = try #require(try AuditFixture.verifier(other).failure(export.records, export.checkpoints))
        #expect(wrongKey.file == "checkpoints.jsonl" && wrongKey.line == 1 && wrongKey.sequence == 5, "\(wrongKey)")
        #expect(wrongKey.message.contains("signature"))
        // No public key: checkpoints cannot be checked, which is a failure, not a pass.
        let noKey = try #require(AuditVerifier(publicKey: nil).failure(export.records, export.checkpoints))
        #expect(noKey.line == 1 && noKey.message.contains("no public key"), "\(noKey)")
    }

    @Test("(f) a rewritten log re-signed with a forger's key fails at the first checkpoint")
    func forgedCheckpointChain() async throws {
        let export = try await Self.makeExport()
        let forger = try await AuditFixture.makeSigner()
        var records = export.records
        records[6] = records[6].replacingOccurrences(of: "member-007", with: "member-070")
        records = try Self.rechained(records, from: 7)
        var previousSignature = ""
        var checkpoints: [String] = []
        for sequence in [5, 10, 15, 20, 22] {
            let hash = try #require(try Self.object(records[sequence - 1])["hash"] as? String)
            let checkpoint = AuditCheckpoint(sequence: sequence, headHash: hash, time: Date(), previousSignature: previousSignature, keyID: forger.keyID)
            let text = try checkpoint.canonicalJSON()
            let signature = AuditChain.hex(try forger.sign(text))
            checkpoints.append(AuditLine.checkpoint(signature: signature, canonical: text))
            previousSignature = signature
        }
        #expect(try AuditFixture.verifier(forger).check(records, checkpoints).records == 22, "consistent under the forger's key")
        let failure = try #require(try export.verifier().failure(records, checkpoints))
        #expect(failure.file == "checkpoints.jsonl" && failure.line == 1, "\(failure)")
        #expect(failure.message.contains("signature"))
    }

    @Test("malformed lines are named", arguments: [
        ("records", "not json at all", "not an audit record line"),
        ("records", #"{"sequence":4}"#, "not an audit record line"),
        ("checkpoints", "{}", "not a checkpoint line"),
    ])
    func malformed(file: String, text: String, message: String) async throws {
        let export = try await Self.makeExport()
        var records = export.records, checkpoints = export.checkpoints
        if file == "records" { records[3] = text } else { checkpoints[3] = text }
        let failure = try #require(try export.verifier().failure(records, checkpoints))
        #expect(failure.file == "\(file).jsonl" && failure.line == 4 && failure.sequence == nil, "\(failure)")
        #expect(failure.message.contains(message), "\(failure)")
        #expect(failure.description.hasPrefix("\(file).jsonl line 4: "))
    }

    @Test("a first record whose prev_hash is not the genesis hash is refused")
    func notGenesis() async throws {
        let export = try await Self.makeExport()
        var records = export.records
        records[0] = try Self.flipHexDigit(of: "prev_hash", in: records[0])
        let failure = try #require(try export.verifier().failure(records, export.checkpoints))
        #expect(failure.line == 1 && failure.sequence == 1 && failure.message.contains("genesis"), "\(failure)")
    }
}
