import GatewayCore
import VariantStore

/// A genomic variant query as Beacon v2 defines it (coordinates 0-based; `end` exclusive).
///
/// Three forms: a sequence query (`start` and `alternateBases`), a range query
/// (one `start`, one `end`: variants starting in [start, end)), and a bracket query
/// (two `start`s, two `end`s: variants starting in [start0, start1] and ending in
/// [end0, end1]). `referenceBases` and `alternateBases` accept the IUPAC wildcard
/// `N` for any base.
public struct VariantQuery: Sendable, Hashable, Codable {
    public var referenceName: String
    public var start: [Int]
    public var end: [Int]
    public var referenceBases: String?
    public var alternateBases: String?
    public var assemblyId: String?
    public var variantType: String?

    /// Largest range a single query may span (bases).
    public static let maximumRange = 10_000_000
    /// Largest coordinate a query may name: VCF and BCF positions are 32-bit, so no stored
    /// variant lies beyond it. Every `start` is in 0...maximumPosition, every `end` in
    /// 1...maximumPosition, so no arithmetic on them can overflow.
    public static let maximumPosition = 2_147_483_647

    /// Checks the combination of parameters; the error names the parameter.
    public func validated() throws(GatewayError) -> VariantQuery {
        func bad(_ message: String) -> GatewayError { GatewayError(.badRequest, message) }
        guard !referenceName.isEmpty, referenceName.count <= 64,
              referenceName.allSatisfy({ $0.isLetter || $0.isNumber || "_.:-".contains($0) }) else {
            throw bad("referenceName '\(referenceName)' is not a chromosome name such as 1, chr1, X or MT")
        }
        guard (1...2).contains(start.count) else { throw bad("start needs one or two positions") }
        guard end.count <= 2 else { throw bad("end takes at most two positions") }
        guard start.allSatisfy({ (0...Self.maximumPosition).contains($0) }) else {
            throw bad("start must be whole numbers from 0 to \(Self.maximumPosition) (0-based coordinates)")
        }
        guard end.allSatisfy({ (1...Self.maximumPosition).contains($0) }) else {
            throw bad("end must be whole numbers from 1 to \(Self.maximumPosition) (0-based, exclusive)")
        }
        for (name, bases) in [("referenceBases", referenceBases), ("alternateBases", alternateBases)] {
            if let bases, bases.isEmpty || !bases.allSatisfy({ "ACGTN".contains($0) }) || bases.count > 1000 {
                throw bad("\(name) '\(bases.prefix(40))' must be 1 to 1000 of A, C, G, T and N")
            }
        }
        if let type = variantType, !Self.knownTypes.contains(type.uppercased()) {
            throw bad("variantType '\(type.prefix(40))' is not a variant type this beacon knows: \(Self.knownTypes.sorted().joined(separator: ", "))")
        }
        switch (start.count, end.count) {
        case (1, 0):
            guard alternateBases != nil || variantType != nil else {
                throw bad("a query with start and no end needs alternateBases (or variantType)")
            }
        case (1, 1):
            guard start[0] < end[0] else { throw bad("start \(start[0]) must be less than end \(end[0])") }
            guard end[0] - start[0] <= Self.maximumRange else {
                throw bad("the range \(start[0])-\(end[0]) is longer than \(Self.maximumRange) bases")
            }
        case (2, 2):
            guard start[0] <= start[1], end[0] <= end[1] else { throw bad("bracket bounds must be ordered: start[0] <= start[1], end[0] <= end[1]") }
            guard start[1] - start[0] <= Self.maximumRange else { throw bad("the start bracket is longer than \(Self.maximumRange) bases") }
        default:
            throw bad("give start alone, start and end, or two starts and two ends (bracket query)")
        }
        return self
    }

    /// The 1-based VCF position range a store must scan to answer this query (of a
    /// ``validated()`` query; coordinates are clamped to 0...maximumPosition, so it never traps).
    public var positionRange: ClosedRange<Int> {
        func clamped(_ position: Int) -> Int { min(max(position, 0), Self.maximumPosition) }
        let first = clamped(start.first ?? 0) + 1
        let last: Int
        switch (start.count, end.count) {
        case (1, 0): last = first
        case (1, 1): last = clamped(end[0])
        default: last = clamped(start.count > 1 ? start[1] : start[0]) + 1
        }
        return first...max(first, last)
    }

    /// Whether a stored variant (1-based `position`, VCF alleles, 1-based inclusive `endPosition`) answers this query.
    public func matches(position: Int, reference: String, alternate: String, variantType: String, endPosition: Int) -> Bool {
        let variantStart = position - 1
        let variantEnd = endPosition  // 0-based exclusive
        switch (start.count, end.count) {
        case (1, 0): guard variantStart == start[0] else { return false }
        case (1, 1): guard variantStart >= start[0], variantStart < end[0] else { return false }
        default:
            guard variantStart >= start[0], variantStart <= start[1], variantEnd >= end[0], variantEnd <= end[1] else { return false }
        }
        if let referenceBases, !Self.basesMatch(pattern: referenceBases, reference) { return false }
        if let alternateBases, !Self.basesMatch(pattern: alternateBases, alternate) { return false }
        if let wanted = self.variantType, !Self.typeMatches(wanted: wanted, stored: variantType) { return false }
        return true
    }

    /// The variant types a query may name: the stored types as Beacon names them, and their synonyms.
    static let knownTypes: Set<String> = Set(typeSynonyms.keys).union(VariantType.allCases.map { $0.beaconName.uppercased() })

    static func basesMatch(pattern: String, _ bases: String) -> Bool {
        guard pattern.count == bases.count else { return false }
        return zip(pattern.uppercased(), bases.uppercased()).allSatisfy { $0 == "N" || $0 == $1 }
    }

    static let typeSynonyms: [String: Set<String>] = [
        "SNP": ["SNV", "SNP"], "SNV": ["SNV", "SNP"],
        "INDEL": ["INDEL", "INS", "DEL"],
        "EFO:0030067": ["CNV", "DEL", "DUP"], "CNV": ["CNV", "DEL", "DUP"],
        "EFO:0030068": ["DEL"], "EFO:0030070": ["DUP"],
    ]

    /// Beacon types and their common synonyms (SNP = SNV; EFO terms for CNV kinds).
    static func typeMatches(wanted: String, stored: String) -> Bool {
        let wantedUpper = wanted.uppercased()
        let accepted = typeSynonyms[wantedUpper] ?? [wantedUpper]
        return accepted.contains(stored.uppercased())
    }
}
