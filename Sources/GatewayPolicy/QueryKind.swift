/// A kind of question a researcher asks, as an approval's scope names it.
///
/// The fixed kinds are Beacon answers and the aggregate endpoints; a visiting analysis
/// run inside the gateway is `analysis:NAME`.
public struct QueryKind: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible, Comparable {
    public let rawValue: String

    public init?(rawValue: String) {
        guard Self.fixed.contains(rawValue) || Self.isAnalysis(rawValue) else { return nil }
        self.rawValue = rawValue
    }

    private init(known: String) { self.rawValue = known }

    public static let beaconBoolean = QueryKind(known: "beacon-boolean")
    public static let beaconCount = QueryKind(known: "beacon-count")
    public static let alleleFrequency = QueryKind(known: "allele-frequency")
    public static let cohortSummary = QueryKind(known: "cohort-summary")

    /// A named visiting analysis, e.g. `analysis:mutational-signatures`.
    public static func analysis(_ name: String) -> QueryKind? { QueryKind(rawValue: "analysis:" + name) }

    static let fixed: Set<String> = ["beacon-boolean", "beacon-count", "allele-frequency", "cohort-summary"]

    private static func isAnalysis(_ text: String) -> Bool {
        guard text.hasPrefix("analysis:") else { return false }
        let name = text.dropFirst("analysis:".count)
        return !name.isEmpty && name.count <= 64
            && name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-" || $0 == "_") }
    }

    /// The kinds a scope can name, for error messages.
    public static let allowedDescription = "beacon-boolean, beacon-count, allele-frequency, cohort-summary, analysis:NAME"

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let kind = QueryKind(rawValue: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "'\(text.prefix(60))' is not a query kind (\(Self.allowedDescription))"
            )
        }
        self = kind
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }
    public static func < (lhs: QueryKind, rhs: QueryKind) -> Bool { lhs.rawValue < rhs.rawValue }
}
