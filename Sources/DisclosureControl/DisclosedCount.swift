/// A count as it may leave the gateway: its value, or "<k" when it is too small to show.
///
/// Encodes as a JSON number, or as the string "<5" (for k = 5).
public enum DisclosedCount: Sendable, Hashable, Codable, CustomStringConvertible {
    case value(Int)
    case suppressed(threshold: Int)

    public var value: Int? {
        if case .value(let value) = self { return value }
        return nil
    }

    public var isSuppressed: Bool { value == nil }

    public var description: String {
        switch self {
        case .value(let value): "\(value)"
        case .suppressed(let threshold): "<\(threshold)"
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .value(let value): try container.encode(value)
        case .suppressed(let threshold):
            SuppressionTally.current?.count += 1
            try container.encode("<\(threshold)")
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Int.self) {
            self = .value(value)
            return
        }
        let text = try container.decode(String.self)
        guard text.hasPrefix("<"), let threshold = Int(text.dropFirst()) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is neither a count nor '<k'")
        }
        self = .suppressed(threshold: threshold)
    }
}

/// Counts the cells an answer shows as "<k" while it is encoded (for the audit record):
/// `SuppressionTally.$current.withValue(tally) { encode }`.
public final class SuppressionTally: @unchecked Sendable {
    /// Only touched by the task encoding the answer.
    public var count = 0

    public init() {}

    @TaskLocal public static var current: SuppressionTally?
}
