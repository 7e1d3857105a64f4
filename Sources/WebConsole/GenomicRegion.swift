import Foundation
import GatewayCore

/// A stretch of one chromosome as a researcher writes it, `chr17:7660000-7690000`: 1-based and
/// inclusive at both ends (as genome browsers show positions), commas allowed in numbers.
public struct GenomicRegion: Sendable, Hashable, CustomStringConvertible {
    public var chromosome: String
    /// First position, 1-based.
    public var start: Int
    /// Last position, inclusive.
    public var end: Int

    /// The largest position a VCF can hold (32-bit); every region lies within 1...maximumPosition.
    public static let maximumPosition = 2_147_483_647

    public init(chromosome: String, start: Int, end: Int) {
        self.chromosome = chromosome
        self.start = start
        self.end = end
    }

    /// Bases covered.
    public var width: Int { end - start + 1 }

    public var description: String { "\(chromosome):\(start)-\(end)" }

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
        return GenomicRegion(chromosome: chromosome, start: start, end: end)
    }

    /// A chromosome name (`chr17`, `17`, `X`, `MT`): 1 to 32 letters, digits, `_` or `.`.
    static func chromosome(_ text: String, parameter: String) throws(GatewayError) -> String {
        guard (1...32).contains(text.count), text.allSatisfy({ ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "_" || $0 == "." }) else {
            throw GatewayError(.badRequest, "\(parameter): '\(text.prefix(40))' is not a chromosome name such as chr17, 17, X or MT")
        }
        return text
    }

    /// A 1-based position (commas allowed), within 1...maximumPosition, or nil.
    static func position(_ text: Substring) -> Int? {
        let digits = text.trimmingCharacters(in: .whitespaces).filter { $0 != "," }
        guard (1...10).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(digits),
              (1...maximumPosition).contains(value) else { return nil }
        return value
    }
}
