import Foundation
import GatewayCore

/// Helpers shared by the policy model's `Codable` conformances.
///
/// Policy files and admin requests are strict: an unknown field is an error that
/// names it (a misspelt `valid_until` must never be silently ignored), and times
/// are either RFC 3339 timestamps or dates (`2026-04-01`, read in Japan time).
enum PolicyCoding {
    /// A coding key for any field name, to list the fields a document really has.
    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Throws a `dataCorrupted` error naming the first field of `decoder`'s object not in `keys`.
    static func rejectUnknownKeys<Keys: CodingKey & CaseIterable>(_ decoder: any Decoder, _ keys: Keys.Type) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        let known = Set(Keys.allCases.map(\.stringValue))
        for key in container.allKeys where !known.contains(key.stringValue) {
            let expected = Keys.allCases.map(\.stringValue).joined(separator: ", ")
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath + [key],
                debugDescription: "unknown field '\(key.stringValue)' (expected one of: \(expected))"
            ))
        }
    }

    /// Japan Standard Time, in which date-only policy values are read.
    static let japan = TimeZone(identifier: "Asia/Tokyo") ?? TimeZone(secondsFromGMT: 9 * 3600)!

    /// Reads `2026-04-01` (the start of that day in Japan; with `endOfDay`, the start of the
    /// next day) or an RFC 3339 timestamp (`2026-04-01T00:00:00Z`, fractional seconds allowed),
    /// every field in range (see ``RFC3339``); nil for anything else, never a nearby time.
    ///
    /// Only times from 1970 to 9999 are policy times: before 1888 Japan kept local mean time
    /// (UTC+09:18:59) and before 1582 Foundation's calendar is Julian, so an older date would
    /// be stored as another instant than it names and read back as yet another day.
    static func parseTime(_ text: String, endOfDay: Bool = false) -> Date? {
        let text = text.trimmingCharacters(in: .whitespaces)
        let time: Date?
        if isDayShape(text) {
            // Exactly YYYY-MM-DD naming a real day (the formatter alone accepts 2026/04/01).
            guard let day = dayFormatter.date(from: text), dayFormatter.string(from: day) == text else { return nil }
            time = endOfDay ? day.addingTimeInterval(86_400) : day
        } else {
            // Strictly: Foundation's ISO 8601 parser reads 2026-02-30 as 2 March and 25:00 as
            // 01:00 the next day, storing another time than the one sent.
            time = RFC3339.parse(text)
        }
        guard let time, time.timeIntervalSince1970 >= 0, time.timeIntervalSince1970 <= 253_402_300_800 else { return nil }
        return time
    }

    private static func isDayShape(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == 0x2D, bytes[7] == 0x2D else { return false }
        return bytes.enumerated().allSatisfy { index, byte in index == 4 || index == 7 || (byte >= 0x30 && byte <= 0x39) }
    }

    private static let dayFormatter: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = japan
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.isLenient = false
        return formatter
    }()

    /// Decodes a time field given as text (see ``parseTime(_:endOfDay:)``); nothing else (a
    /// number is not a time).
    static func decodeTime<Key: CodingKey>(
        _ container: KeyedDecodingContainer<Key>, _ key: Key, endOfDay: Bool = false
    ) throws -> Date {
        guard let text = try? container.decode(String.self, forKey: key) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: container,
                debugDescription: "must be a date (2026-04-01) or an RFC 3339 time (2026-04-01T09:00:00Z) as text"
            )
        }
        guard let date = parseTime(text, endOfDay: endOfDay) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: container,
                debugDescription: "'\(text.prefix(40))' is not a date (2026-04-01) or an RFC 3339 time (2026-04-01T09:00:00Z) from 1970 to 9999"
            )
        }
        return date
    }

    static func decodeTimeIfPresent<Key: CodingKey>(
        _ container: KeyedDecodingContainer<Key>, _ key: Key, endOfDay: Bool = false
    ) throws -> Date? {
        guard container.contains(key), !(try container.decodeNil(forKey: key)) else { return nil }
        return try decodeTime(container, key, endOfDay: endOfDay)
    }

    /// Decodes a `RawRepresentable` string enum, naming the allowed values when it is not one.
    static func decodeEnum<Value: RawRepresentable & CaseIterable, Key: CodingKey>(
        _ type: Value.Type, _ container: KeyedDecodingContainer<Key>, _ key: Key
    ) throws -> Value where Value.RawValue == String {
        let text = try container.decode(String.self, forKey: key)
        guard let value = Value(rawValue: text) else {
            let allowed = Value.allCases.map(\.rawValue).joined(separator: ", ")
            throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "'\(text.prefix(40))' is not one of: \(allowed)")
        }
        return value
    }
}

/// Times as policy files and the admin API write them.
public enum PolicyTime {
    /// `2026-04-01` (the start of that day in Japan; with `endOfDay`, the start of the next
    /// day) or an RFC 3339 timestamp; nil when it is neither.
    public static func parse(_ text: String, endOfDay: Bool = false) -> Date? {
        PolicyCoding.parseTime(text, endOfDay: endOfDay)
    }
}

/// Strict decoding for wrappers outside the policy model (admin request bodies).
public enum StrictDecoding {
    /// Throws a `dataCorrupted` error naming the first field of `decoder`'s object not in `allowed`.
    public static func rejectUnknownKeys(_ decoder: any Decoder, allowed: [String]) throws {
        let container = try decoder.container(keyedBy: PolicyCoding.AnyKey.self)
        for key in container.allKeys where !allowed.contains(key.stringValue) {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath + [key],
                debugDescription: "unknown field '\(key.stringValue)' (expected one of: \(allowed.joined(separator: ", ")))"
            ))
        }
    }
}
