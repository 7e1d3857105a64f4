import AuditLog
import Foundation
import GatewayTestSupport
import Testing

/// What `genomegate audit verify` requires beyond the chain: the export's records are covered
/// by signed checkpoints at both ends, so recomputed hashes cannot pass.
@Suite("Audit verify: signed ends")
struct AuditSignedEndTests {
    static func verify(_ verifier: AuditVerifier, _ records: [String], _ checkpoints: [String], to: Int? = nil) -> AuditVerifier.Failure? {
        do {
            _ = try verifier.verify(records: AuditFixture.substrings(records), recordsFile: "records.jsonl",
                                    checkpoints: AuditFixture.substrings(checkpoints), checkpointsFile: "checkpoints.jsonl",
                                    toSequence: to, requireSignedEnd: true)
            return nil
        } catch {
            return error
        }
    }

    /// `lines` with record `sequence`'s text changed and every later hash recomputed (a forger
    /// without the key).
    static func rewritten(_ lines: [String], from sequence: Int) throws -> [String] {
        var result: [String] = []
        var previous = AuditChain.hex(AuditChain.genesis)
        for line in lines {
            let substring = Substring(line)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let number = try #require(object["sequence"] as? Int)
            var canonical = String(try #require(AuditLine.embedded("record", in: substring)))
            if number == sequence { canonical = canonical.replacingOccurrences(of: "\"status\":200", with: "\"status\":201") }
            let previousBytes = try #require(AuditChain.bytes(hex: previous))
            let hash = AuditChain.hex(AuditChain.hash(previous: previousBytes, canonical: canonical))
            result.append(AuditLine.record(sequence: number, previousHash: previous, hash: hash, canonical: canonical))
            previous = hash
        }
        return result
    }

    @Test("a full export of a closed log verifies; a range ending at a checkpoint verifies with --to-sequence")
    func signedExports() async throws {
        let signer = try await AuditFixture.makeSigner()
        let folder = try await AuditFixture.makeLog(count: 25, every: 10, signer: signer)
        let (records, checkpoints) = try await AuditFixture.export(folder)
        let verifier = try AuditFixture.verifier(signer)
        #expect(Self.verify(verifier, records, checkpoints) == nil)
        #expect(Self.verify(verifier, Array(records.prefix(20)), checkpoints, to: 20) == nil)
        #expect(Self.verify(verifier, Array(records[10..<20]), checkpoints, to: 20) == nil, "a range starting right after a checkpoint")
    }

    @Test("records after the last checkpoint, rewritten with recomputed hashes, are refused as unsigned")
    func unsignedTail() async throws {
        let signer = try await AuditFixture.makeSigner()
        let folder = try await AuditFixture.makeLog(count: 25, every: 10, signer: signer)
        let (records, checkpoints) = try await AuditFixture.export(folder)
        let verifier = try AuditFixture.verifier(signer)
        // Without the shutdown checkpoint at 25, records 21-25 are signed by nothing.
        let withoutLast = Array(checkpoints.dropLast())
        let forged = try Self.rewritten(records, from: 23)
        let failure = try #require(Self.verify(verifier, forged, withoutLast))
        #expect(failure.sequence == 25 && failure.line == 25, "\(failure)")
        #expect(failure.message.contains("not covered by a signed checkpoint"), "\(failure)")
        // With it, the rewrite is caught against the signed head.
        let caught = try #require(Self.verify(verifier, forged, checkpoints))
        #expect(caught.message.contains("signed"), "\(caught)")
        // A range ending between checkpoints is refused too.
        let between = try #require(Self.verify(verifier, Array(records.prefix(15)), checkpoints, to: 15))
        #expect(between.message.contains("not covered"), "\(between)")
    }

    @Test("a range must start right after a signed checkpoint, and its first prev_hash must be that checkpoint's head")
    func signedStart() async throws {
        let signer = try await AuditFixture.makeSigner()
        let folder = try await AuditFixture.makeLog(count: 25, every: 10, signer: signer)
        let (records, checkpoints) = try await AuditFixture.export(folder)
        let verifier = try AuditFixture.verifier(signer)
        let unanchored = try #require(Self.verify(verifier, Array(records[12..<20]), checkpoints, to: 20))
        #expect(unanchored.line == 1 && unanchored.sequence == 13, "\(unanchored)")
        #expect(unanchored.message.contains("does not follow a signed checkpoint"), "\(unanchored)")
        // The chain rewritten from record 5 on, exported from 11: the head signed at 10 catches it.
        let forged = try Self.rewritten(records, from: 5)
        let anchored = try #require(Self.verify(verifier, Array(forged[10..<20]), checkpoints, to: 20))
        #expect(anchored.line == 1 && anchored.sequence == 11, "\(anchored)")
        #expect(anchored.message.contains("prev_hash differs from the head signed"), "\(anchored)")
    }
}
