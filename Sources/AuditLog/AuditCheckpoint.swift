import Foundation

/// A signed statement of the chain's head: "the log up to `sequence` ends in `headHash`",
/// linked to the previous checkpoint by its signature (like CloudTrail's digest chain).
///
/// Written every N records or T seconds and at shutdown. With the public key, anyone holding
/// an export can prove that no record up to the last checkpoint was changed, removed or
/// reordered, and that the tail was not dropped.
public struct AuditCheckpoint: Sendable, Hashable, Codable {
    public var sequence: Int
    /// Hex SHA-256 chain hash of record `sequence`.
    public var headHash: String
    public var time: String
    /// Hex signature of the previous checkpoint; empty for the first.
    public var previousSignature: String
    /// Which key signed it (see ``AuditSigner/keyID``).
    public var keyID: String

    public init(sequence: Int, headHash: String, time: Date, previousSignature: String, keyID: String) {
        self.sequence = sequence
        self.headHash = headHash
        self.time = AuditTime.format(time)
        self.previousSignature = previousSignature
        self.keyID = keyID
    }

    enum CodingKeys: String, CodingKey {
        case sequence, time
        case headHash = "head_hash"
        case previousSignature = "previous_signature"
        case keyID = "key_id"
    }

    /// The signed text: JSON, keys sorted, no whitespace.
    public func canonicalJSON() throws -> String {
        String(decoding: try AuditRecord.encoder.encode(self), as: UTF8.self)
    }
}

/// One exported line: a record or checkpoint with its chain data, the canonical text last
/// and verbatim, so a verifier hashes exactly the bytes that were hashed.
///
/// `{"sequence":N,"prev_hash":"…","hash":"…","record":{…}}` and
/// `{"signature":"…","checkpoint":{…}}`.
public enum AuditLine {
    public static func record(sequence: Int, previousHash: String, hash: String, canonical: String) -> String {
        #"{"sequence":\#(sequence),"prev_hash":"\#(previousHash)","hash":"\#(hash)","record":"# + canonical + "}"
    }

    public static func checkpoint(signature: String, canonical: String) -> String {
        #"{"signature":"\#(signature)","checkpoint":"# + canonical + "}"
    }

    /// The canonical text embedded after `"key":` in `line` (it runs to the last `}` but one).
    public static func embedded(_ key: String, in line: Substring) -> Substring? {
        guard let range = line.range(of: "\"\(key)\":"), line.hasSuffix("}") else { return nil }
        return line[range.upperBound..<line.index(before: line.endIndex)]
    }
}
