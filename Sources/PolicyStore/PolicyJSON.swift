import Foundation
import GatewayCore

/// The JSON the store keeps records in, and the admin API speaks: snake_case keys as in the
/// policy files, sorted; times as RFC 3339 with milliseconds.
public enum PolicyJSON {
    public static func encode<Value: Encodable>(_ value: Value) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    public static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(timestamp(date))
        }
        return encoder
    }()

    public static let decoder = JSONDecoder()

    /// Decodes `Value` from a JSON body; an error names the field and what is wrong with it.
    /// The body is first checked by ``JSONParser`` (bounded depth and size, no duplicate key:
    /// a body naming a field twice is refused rather than read as one of the two).
    public static func decode<Value: Decodable>(_ type: Value.Type, from data: Data, what: String) throws(GatewayError) -> Value {
        _ = try parse(data, what: what)
        do {
            return try decoder.decode(Value.self, from: data)
        } catch let error as DecodingError {
            let (path, message) = PolicyImport.describe(error)
            let field = YAMLLocator.describe(path)
            throw GatewayError(.invalidPolicy, "\(what)\(field.isEmpty ? "" : ", field \(field)"): \(message)")
        } catch {
            throw GatewayError(.invalidPolicy, "\(what) is not valid JSON")
        }
    }

    /// The body as a ``JSONValue``, checked by ``JSONParser``; errors are `invalid_policy` naming `what`.
    public static func parse(_ data: Data, what: String) throws(GatewayError) -> JSONValue {
        do {
            return try JSONParser.parse(data)
        } catch {
            throw GatewayError(.invalidPolicy, "\(what): \(error.message)")
        }
    }

    public static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    public static func parseTimestamp(_ text: String) -> Date? {
        try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
