import Foundation
import GatewayCore

/// A policy record's change as lines a person reads: `field: old → new` for a changed value,
/// added and removed entries of a list, every field of a record created. Works on the JSON the
/// policy history keeps (``before`` and ``after`` of one record). Stored times (RFC 3339, UTC)
/// read in Japan time, as the policy's days are meant: `2030-04-01 00:00 JST`.
public enum PolicyDiff {
    /// One line of the diff.
    public struct Line: Sendable, Hashable {
        public enum Kind: String, Sendable, Hashable { case changed, added, removed }
        public var kind: Kind
        /// The field's path, e.g. `scope.query_kinds`.
        public var field: String
        public var old: String?
        public var new: String?

        public init(kind: Kind, field: String, old: String? = nil, new: String? = nil) {
            self.kind = kind
            self.field = field
            self.old = old
            self.new = new
        }

        /// `field: old → new`, `+ field: value`, `− field: value`.
        public var text: String {
            switch kind {
            case .changed: "\(field): \(old ?? "–") → \(new ?? "–")"
            case .added: "+ \(field): \(new ?? "")"
            case .removed: "− \(field): \(old ?? "")"
            }
        }
    }

    /// The lines from `before` to `after` (either nil: created, or removed), fields in order.
    /// JSON that does not parse is compared as text.
    public static func lines(before: String?, after: String?) -> [Line] {
        let old = before.flatMap(parse).map(flatten) ?? [:]
        let new = after.flatMap(parse).map(flatten) ?? [:]
        var lines: [Line] = []
        for field in Set(old.keys).union(new.keys).sorted() {
            switch (old[field], new[field]) {
            case (.scalar(let a)?, .scalar(let b)?) where a != b:
                lines.append(Line(kind: .changed, field: field, old: a, new: b))
            case (.list(let a)?, .list(let b)?):
                for entry in a where !b.contains(entry) { lines.append(Line(kind: .removed, field: field, old: entry)) }
                for entry in b where !a.contains(entry) { lines.append(Line(kind: .added, field: field, new: entry)) }
            case (let a?, let b?) where a != b:
                lines.append(Line(kind: .changed, field: field, old: a.text, new: b.text))
            case (let a?, nil):
                lines.append(Line(kind: .removed, field: field, old: a.text))
            case (nil, let b?):
                lines.append(Line(kind: .added, field: field, new: b.text))
            default:
                break
            }
        }
        return lines
    }

    enum Leaf: Hashable {
        case scalar(String)
        case list([String])

        var text: String {
            switch self {
            case .scalar(let text): text
            case .list(let entries): entries.joined(separator: ", ")
            }
        }
    }

    static func parse(_ text: String) -> JSONValue? {
        (try? JSONParser.parse(Array(text.utf8))) ?? .string(text)
    }

    /// Objects become dotted paths; a list is one leaf of its entries' texts.
    static func flatten(_ value: JSONValue) -> [String: Leaf] {
        var leaves: [String: Leaf] = [:]
        func walk(_ value: JSONValue, _ path: String) {
            switch value {
            case .object(let fields) where !fields.isEmpty:
                for (key, field) in fields { walk(field, path.isEmpty ? key : path + "." + key) }
            case .array(let entries):
                leaves[path] = .list(entries.map(scalarText))
            default:
                leaves[path.isEmpty ? "value" : path] = .scalar(scalarText(value))
            }
        }
        walk(value, "")
        return leaves
    }

    static func scalarText(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): japanTime(text) ?? text
        case .null: "null"
        case .bool(let flag): flag ? "true" : "false"
        case .integer(let number): String(number)
        case .number(let number): String(number)
        case .array, .object: value.jsonText
        }
    }

    /// `2030-03-31T15:00:00.000Z` as `2030-04-01 00:00 JST` (seconds shown when not zero); nil for other text.
    static func japanTime(_ text: String) -> String? {
        guard text.utf8.count >= 20, text.utf8.count <= 40, text.hasSuffix("Z"),
              let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Tokyo") ?? .gmt
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let minute = String(format: "%04d-%02d-%02d %02d:%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0, parts.minute ?? 0)
        return (parts.second ?? 0) == 0 ? minute + " JST" : minute + String(format: ":%02d JST", parts.second ?? 0)
    }
}
