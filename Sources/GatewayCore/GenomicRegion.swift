import Foundation

/// A stretch of one chromosome, 1-based and inclusive at both ends (as genome browsers and the
/// analyses' parameters show positions): `chr17:7660000-7690000`, or as JSON
/// `{"referenceName": "17", "start": 7660000, "end": 7690000}`. The console reads it from text
/// (``parse(_:parameter:)``), the visiting analyses from their JSON parameters.
public struct GenomicRegion: Sendable, Hashable, Codable, CustomStringConvertible {
    public var referenceName: String
    /// First position, 1-based.
    public var start: Int
    /// Last position, inclusive.
    public var end: Int

    /// The largest position a VCF can hold (32-bit); every region read from text lies within
    /// 1...maximumPosition.
    public static let maximumPosition = 2_147_483_647

    public init(referenceName: String, start: Int, end: Int) {
        self.referenceName = referenceName
        self.start = start
        self.end = end
    }

    /// The number of bases it covers.
    public var length: Int { end - start + 1 }

    public var description: String { "\(referenceName):\(start)-\(end)" }

    /// The region as the Beacon API asks for it: 0-based `start`, exclusive `end`.
    public var beaconStart: Int { start - 1 }
    public var beaconEnd: Int { end }

    /// Reads `text` (`chr17:7660000-7690000`, `17:7,660,000-7,690,000`); a mistake is a
    /// `bad_request` naming `parameter`. Bounded: at most 200 characters are read.
    public static func parse(_ text: String, parameter: String) throws(GatewayError) -> GenomicRegion {
        let shown = text.prefix(60)
        let wrong = GatewayError(.badRequest, "\(parameter) '\(shown)' is not a region such as chr17:7660000-7690000 (chromosome:first-last, 1-based)")
        guard text.count <= 200 else { throw wrong }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let colon = trimmed.lastIndex(of: ":") else { throw wrong }
        let chromosome = try Self.chromosome(String(trimmed[..<colon]), parameter: parameter)
        let range = trimmed[trimmed.index(after: colon)...].split(separator: "-", omittingEmptySubsequences: false)
        guard range.count == 2, let start = position(range[0]), let end = position(range[1]) else { throw wrong }
        guard start <= end else { throw GatewayError(.badRequest, "\(parameter) '\(shown)': the first position \(start) is after the last \(end)") }
        return GenomicRegion(referenceName: chromosome, start: start, end: end)
    }

    /// A chromosome name (`chr17`, `17`, `X`, `MT`): 1 to 32 letters, digits, `_` or `.`.
    public static func chromosome(_ text: String, parameter: String) throws(GatewayError) -> String {
        guard (1...32).contains(text.count), text.allSatisfy({ ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "_" || $0 == "." }) else {
            throw GatewayError(.badRequest, "\(parameter): '\(text.prefix(40))' is not a chromosome name such as chr17, 17, X or MT")
        }
        return text
    }

    /// A 1-based position (commas allowed), within 1...maximumPosition, or nil.
    public static func position(_ text: Substring) -> Int? {
        let digits = text.trimmingCharacters(in: .whitespaces).filter { $0 != "," }
        guard (1...10).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(digits),
              (1...maximumPosition).contains(value) else { return nil }
        return value
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
