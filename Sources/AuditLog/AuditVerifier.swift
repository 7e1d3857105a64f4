import Foundation
import GatewayCore

/// Checks an export (JSON Lines) against its chain and the signed checkpoints: sequences
/// contiguous, every hash recomputed from the record's exact text and its predecessor, every
/// checkpoint signature valid and linked to the one before, every checkpoint's head hash
/// equal to the record it names, and no record missing before the last checkpoint the
/// export should reach. Stops at the first problem and names it precisely.
public struct AuditVerifier {
    public struct Report: Sendable, Equatable {
        public var records: Int
        public var firstSequence: Int?
        public var lastSequence: Int?
        public var checkpoints: Int
        /// The last checkpointed sequence covered by the export.
        public var lastCheckpointedSequence: Int?
    }

    /// A problem, with where it is.
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var file: String
        public var line: Int
        public var sequence: Int?
        public var message: String

        public var description: String {
            "\(file) line \(line)" + (sequence.map { " (sequence \($0))" } ?? "") + ": \(message)"
        }
    }

    let verifier: AuditSignatureVerifier?

    public init(publicKey: AuditSignatureVerifier?) {
        self.verifier = publicKey
    }

    /// Verifies `records` (export lines) with `checkpoints` (checkpoint lines).
    ///
    /// - `toSequence`: the export's declared end; checkpoints after it are not expected to be
    ///   reached (a range export). Without it, the export must reach the last checkpoint.
    /// - `requireSignedEnd`: the export's last record must be one a checkpoint signs, and a
    ///   range starting after sequence 1 must start right after a signed checkpoint; otherwise
    ///   records outside any signature could have been rewritten with recomputed hashes.
    ///   `genomegate audit verify` always requires it.
    public func verify(
        records: [Substring], recordsFile: String, checkpoints: [Substring], checkpointsFile: String,
        toSequence: Int? = nil, requireSignedEnd: Bool = false
    ) throws(Failure) -> Report {
        // Checkpoints first: each signed, each linked to its predecessor.
        var signedHeads: [Int: (hash: String, line: Int)] = [:]
        var previousSignature = ""
        var checkpointCount = 0
        for (index, line) in checkpoints.enumerated() where !line.isEmpty {
            let number = index + 1
            guard let outer = Self.object(line), let signature = outer["signature"] as? String,
                  let canonical = AuditLine.embedded("checkpoint", in: line),
                  let checkpoint = try? JSONDecoder().decode(AuditCheckpoint.self, from: Data(canonical.utf8)) else {
                throw Failure(file: checkpointsFile, line: number, sequence: nil, message: "not a checkpoint line")
            }
            guard let verifier else { throw Failure(file: checkpointsFile, line: number, sequence: checkpoint.sequence, message: "no public key to check signatures with") }
            guard let signatureBytes = AuditChain.bytes(hex: signature), verifier.verify(String(canonical), signature: signatureBytes) else {
                throw Failure(file: checkpointsFile, line: number, sequence: checkpoint.sequence, message: "the checkpoint's signature is not valid for this public key (forged or altered checkpoint)")
            }
            guard checkpoint.previousSignature == previousSignature else {
                throw Failure(file: checkpointsFile, line: number, sequence: checkpoint.sequence, message: "the checkpoint does not follow the previous one (a checkpoint is missing or out of order)")
            }
            previousSignature = signature
            if let toSequence, checkpoint.sequence > toSequence { continue }
            signedHeads[checkpoint.sequence] = (checkpoint.headHash, number)
            checkpointCount += 1
        }
        let lastCheckpoint = signedHeads.keys.max()
        // Records: contiguous, hashes chained.
        var report = Report(records: 0, firstSequence: nil, lastSequence: nil, checkpoints: checkpointCount, lastCheckpointedSequence: nil)
        var previous: (sequence: Int, hash: String)?
        var lastLine = 0
        for (index, line) in records.enumerated() where !line.isEmpty {
            let number = index + 1
            lastLine = number
            guard let outer = Self.object(line), let sequence = outer["sequence"] as? Int,
                  let previousHash = outer["prev_hash"] as? String, let hash = outer["hash"] as? String,
                  let canonical = AuditLine.embedded("record", in: line) else {
                throw Failure(file: recordsFile, line: number, sequence: nil, message: "not an audit record line")
            }
            if let previous {
                guard sequence > previous.sequence else {
                    throw Failure(file: recordsFile, line: number, sequence: sequence, message: "sequence \(sequence) comes after \(previous.sequence): records are out of order")
                }
                guard sequence == previous.sequence + 1 else {
                    throw Failure(file: recordsFile, line: number, sequence: sequence, message: "sequence \(sequence) follows \(previous.sequence): records \(previous.sequence + 1)...\(sequence - 1) are missing")
                }
                guard previousHash == previous.hash else {
                    throw Failure(file: recordsFile, line: number, sequence: sequence, message: "prev_hash is not the hash of record \(previous.sequence): the chain is broken")
                }
            } else if sequence == 1, previousHash != AuditChain.hex(AuditChain.genesis) {
                throw Failure(file: recordsFile, line: number, sequence: sequence, message: "the first record's prev_hash is not the genesis hash")
            } else if sequence > 1, let anchor = signedHeads[sequence - 1] {
                guard anchor.hash == previousHash else {
                    throw Failure(file: recordsFile, line: number, sequence: sequence, message: "prev_hash differs from the head signed in checkpoint line \(anchor.line) for sequence \(sequence - 1): the log was rewritten")
                }
            } else if sequence > 1, requireSignedEnd {
                throw Failure(file: recordsFile, line: number, sequence: sequence, message: "the export starts at sequence \(sequence), which does not follow a signed checkpoint: export from sequence 1 or from just after a checkpoint")
            }
            guard let previousBytes = AuditChain.bytes(hex: previousHash),
                  AuditChain.hex(AuditChain.hash(previous: previousBytes, canonical: String(canonical))) == hash else {
                throw Failure(file: recordsFile, line: number, sequence: sequence, message: "the hash does not match the record's text: the record was changed")
            }
            guard let inner = Self.object(canonical), inner["sequence"] as? Int == sequence else {
                throw Failure(file: recordsFile, line: number, sequence: sequence, message: "the record's own sequence differs from the line's")
            }
            if let signed = signedHeads[sequence] {
                guard signed.hash == hash else {
                    throw Failure(file: recordsFile, line: number, sequence: sequence, message: "the hash differs from the one signed in checkpoint line \(signed.line): the log was rewritten")
                }
                report.lastCheckpointedSequence = sequence
            }
            report.records += 1
            report.firstSequence = report.firstSequence ?? sequence
            report.lastSequence = sequence
            previous = (sequence, hash)
        }
        // The tail: a checkpoint beyond the export's end, within its range, means records were dropped.
        if let lastCheckpoint {
            let line = signedHeads[lastCheckpoint]?.line ?? 0
            if let first = report.firstSequence, let last = report.lastSequence, lastCheckpoint > last, lastCheckpoint >= first {
                throw Failure(file: recordsFile, line: lastLine, sequence: last,
                              message: "the records end at sequence \(last) but checkpoint line \(line) signs the log up to \(lastCheckpoint): records \(last + 1)...\(lastCheckpoint) were dropped (or export up to a checkpoint)")
            }
            if report.records == 0 {
                throw Failure(file: recordsFile, line: 1, sequence: nil,
                              message: "the export holds no records but checkpoint line \(line) signs the log up to \(lastCheckpoint): records were dropped")
            }
        }
        if requireSignedEnd, let last = report.lastSequence, report.lastCheckpointedSequence != last {
            let signed = report.lastCheckpointedSequence.map { "the last signed one is \($0)" } ?? "no checkpoint signs any of them"
            throw Failure(file: recordsFile, line: lastLine, sequence: last,
                          message: "records up to sequence \(last) are not covered by a signed checkpoint (\(signed)): they could have been rewritten; export through the API (it signs the head first) or from a stopped gateway")
        }
        return report
    }

    static func object(_ text: Substring) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
    }
}
