import Foundation
import GatewayCore
import GRDB

/// What the gateway verified of its own audit store (``AuditDatabase/verify(from:cap:publicKey:keyID:)``):
/// one signed range of records, checked exactly as `genomegate audit verify` checks an export.
public struct AuditVerification: Sendable, Equatable {
    /// The range checked: from sequence 1 or just after a checkpoint, to a checkpoint.
    public var firstSequence: Int
    public var lastSequence: Int
    public var records: Int
    /// Checkpoint signatures checked (every one from the first, each linked to the one before).
    public var checkpoints: Int
    /// The checkpoint that signs the range's end, and when it was signed.
    public var lastCheckpointSequence: Int?
    public var lastCheckpointTime: String?
    /// The signing key's id (``AuditSigner/keyID``) the checkpoints name.
    public var keyID: String?
    /// The last signed sequence of the whole log, and where the next range would start.
    public var lastSignedSequence: Int
    public var nextFromSequence: Int?
    /// The first problem, with its record's sequence; nil when the range verified.
    public var failure: Problem?

    public struct Problem: Sendable, Equatable {
        public var sequence: Int?
        public var message: String
    }

    public var passed: Bool { failure == nil }
}

extension AuditDatabase {
    /// Verifies at most about `cap` records of the store (chain, hashes, checkpoint signatures
    /// and links, signed ends; ``AuditVerifier`` with `requireSignedEnd`, as the CLI does), in
    /// memory proportional to `cap`. The range starts at `from` (moved back to sequence 1 or
    /// to just after the checkpoint before it, where a signed range can start), or by default
    /// ends at the last checkpoint; it ends at the last checkpoint within `cap` records.
    ///
    /// Synchronous and CPU-bound: call it off the event loop (the server runs it on NIO's
    /// thread pool). Throws only when the store cannot be read or `from` is past the last signed record.
    public func verify(from: Int?, cap: Int, publicKey: AuditSignatureVerifier) throws(GatewayError) -> AuditVerification {
        let checkpoints: [AuditCheckpointEntry]
        do {
            checkpoints = try pool.read { db in
                try Row.fetchAll(db, sql: "SELECT sequence, checkpoint, signature FROM audit_checkpoint ORDER BY sequence").map {
                    AuditCheckpointEntry(sequence: $0[0], canonical: $0[1], signature: $0[2])
                }
            }
        } catch {
            throw GatewayError(.auditUnavailable, "the audit store \(path) cannot be read: \(error)")
        }
        let signed = checkpoints.map(\.sequence)
        let lastSigned = signed.last ?? 0
        if let from, from > lastSigned {
            throw GatewayError(.badRequest, "from_sequence \(from) is after the last signed record, \(lastSigned)")
        }
        guard lastSigned > 0 else {
            // Nothing signed: an empty log passes; records without any signature do not.
            let stored = (try? head().sequence) ?? 0
            return AuditVerification(firstSequence: 0, lastSequence: 0, records: 0, checkpoints: 0, lastSignedSequence: 0,
                                     failure: stored > 0 ? .init(sequence: nil, message: "no checkpoint signs the log's \(stored) records yet") : nil)
        }
        // Where a signed range may start: 1, or right after a checkpoint.
        let starts = [1] + signed.dropLast().map { $0 + 1 }
        let start: Int
        if let from {
            start = starts.last { $0 <= max(from, 1) } ?? 1
        } else {
            start = starts.first { lastSigned - $0 + 1 <= cap } ?? starts.last ?? 1
        }
        // The last checkpoint within the cap. None (checkpoints further apart than the cap, which
        // the default settings never make): refused rather than reading an unbounded range.
        guard let end = signed.last(where: { $0 >= start && $0 - start + 1 <= cap }) else {
            let following = signed.first { $0 >= start } ?? lastSigned
            throw GatewayError(.conflict, "no checkpoint signs the log within \(cap) records of sequence \(start) (the next signs \(following)); verify an export with genomegate audit verify")
        }
        let lines: [String]
        do {
            lines = try pool.read { db in
                try Row.fetchAll(db, sql: "SELECT sequence, record, prev_hash, hash FROM audit_record WHERE sequence >= ? AND sequence <= ? ORDER BY sequence",
                                 arguments: [start, end]).map { Self.entry($0).line }
            }
        } catch {
            throw GatewayError(.auditUnavailable, "the audit store \(path) cannot be read: \(error)")
        }
        let closing = checkpoints.first { $0.sequence == end }
        let closingCheckpoint = closing.flatMap { try? JSONDecoder().decode(AuditCheckpoint.self, from: Data($0.canonical.utf8)) }
        var result = AuditVerification(firstSequence: start, lastSequence: end, records: 0, checkpoints: 0,
                                       lastCheckpointSequence: closing?.sequence, lastCheckpointTime: closingCheckpoint?.time,
                                       keyID: closingCheckpoint?.keyID, lastSignedSequence: lastSigned,
                                       nextFromSequence: end < lastSigned ? end + 1 : nil)
        do {
            let report = try AuditVerifier(publicKey: publicKey).verify(
                records: lines.map { Substring($0) }, recordsFile: "records", checkpoints: checkpoints.map { Substring($0.line) },
                checkpointsFile: "checkpoints", toSequence: end, requireSignedEnd: true)
            result.records = report.records
            result.checkpoints = report.checkpoints
        } catch {
            // A line number of the records is a sequence here: line n holds record start + n - 1.
            let sequence = error.sequence ?? (error.file == "records" ? start + error.line - 1 : nil)
            result.failure = .init(sequence: sequence, message: error.message)
            result.records = lines.count
            result.checkpoints = checkpoints.filter { $0.sequence <= end }.count
        }
        if result.records != end - start + 1, result.failure == nil {
            result.failure = .init(sequence: start, message: "the store holds \(result.records) records for sequences \(start)...\(end)")
        }
        return result
    }
}
