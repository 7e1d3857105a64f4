import GatewayCore

/// A stretch of one chromosome, 1-based and inclusive, as analyses' parameters name it:
/// `{"referenceName": "1", "start": 1000000, "end": 2000000}`.
public struct GenomicRegion: Sendable, Hashable, Codable, CustomStringConvertible {
    public var referenceName: String
    public var start: Int
    public var end: Int

    public init(referenceName: String, start: Int, end: Int) {
        self.referenceName = referenceName
        self.start = start
        self.end = end
    }

    /// The number of bases it covers.
    public var length: Int { end - start + 1 }

    public var description: String { "\(referenceName):\(start)-\(end)" }

    /// Parses `value`, refusing with `bad_request` naming `parameter` (and the field) when it is
    /// not a region of at most `maximumLength` bases. `analysis` names the analysis in messages.
    public init(json value: JSONValue?, parameter: String, analysis: String, maximumLength: Int) throws(GatewayError) {
        func bad(_ name: String, _ problem: String) -> GatewayError {
            GatewayError(.badRequest, "\(analysis) parameter \(name) \(problem)")
        }
        guard case .object(let region)? = value else { throw bad(parameter, "is required: {\"referenceName\", \"start\", \"end\"}") }
        if let unknown = region.keys.sorted().first(where: { !["referenceName", "start", "end"].contains($0) }) {
            throw bad("\(parameter).\(unknown.prefix(40))", "is not part of a region (referenceName, start, end)")
        }
        guard case .string(let name)? = region["referenceName"], (1...32).contains(name.utf8.count),
              name.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F || $0 == 0x2E }) else {
            throw bad("\(parameter).referenceName", "must be a chromosome name of 1 to 32 letters, digits, '_' or '.'")
        }
        guard case .integer(let start)? = region["start"], start >= 1 else { throw bad("\(parameter).start", "must be a whole number of at least 1") }
        guard case .integer(let end)? = region["end"], end >= start else { throw bad("\(parameter).end", "must be a whole number of at least \(parameter).start") }
        // end - start cannot overflow: both are at least 1.
        guard end - start < maximumLength else {
            throw bad(parameter, "covers \(end - start + 1) bases; the most one job covers is \(maximumLength)")
        }
        self.init(referenceName: name, start: start, end: end)
    }

    /// The chromosome as the variant store matches it: without a `chr` prefix (any case), `M`
    /// written `MT`, `X` and `Y` upper case (`chr13` and `13` are one chromosome).
    public var chromosomeKey: String {
        // On the bytes (names are ASCII: the parameters allow letters, digits, '_' and '.').
        var key = referenceName.utf8[...]
        func lower(_ byte: UInt8) -> UInt8 { byte | 0x20 }
        if key.count > 3, lower(key[key.startIndex]) == UInt8(ascii: "c"), lower(key[key.index(after: key.startIndex)]) == UInt8(ascii: "h"),
           lower(key[key.index(key.startIndex, offsetBy: 2)]) == UInt8(ascii: "r") {
            key = key.dropFirst(3)
        }
        let lowered = key.map(lower)
        if lowered == [UInt8(ascii: "m")] || lowered == [UInt8(ascii: "m"), UInt8(ascii: "t")] { return "MT" }
        if lowered == [UInt8(ascii: "x")] { return "X" }
        if lowered == [UInt8(ascii: "y")] { return "Y" }
        return String(decoding: key, as: UTF8.self)
    }

    /// The region as the disclosure ledger names it (`13:1000-2000`, however the chromosome was spelled).
    public var subjectName: String { "\(chromosomeKey):\(start)-\(end)" }

    /// Whether the two regions share a base.
    public func overlaps(_ other: GenomicRegion) -> Bool {
        chromosomeKey == other.chromosomeKey && start <= other.end && other.start <= end
    }

    /// The region as canonical JSON.
    public var json: JSONValue {
        .object(["referenceName": .string(referenceName), "start": .integer(start), "end": .integer(end)])
    }
}
