import Foundation

/// The rule for every free-text field of the policy (names, titles, descriptions, reasons):
/// bounded in length, and showing what it holds.
///
/// Refused anywhere: C0 control characters (U+0000-U+001F), DEL (U+007F) and C1 control
/// characters (U+0080-U+009F), except tab and line feed (and CR before LF) in multi-line
/// text; line and paragraph separators (U+2028, U+2029) outside multi-line text; and the
/// bidirectional formatting characters (U+202A-U+202E embeddings and overrides, U+2066-U+2069
/// isolates, U+200E/U+200F/U+061C marks), which make text display in another order than it
/// is stored, so that what a reviewer reads is not what was recorded; and every other
/// invisible format character (category Cf: zero-width space U+200B, U+FEFF, soft hyphen,
/// tag characters U+E0000-U+E007F, ...) except the zero-width non-joiner and joiner
/// (U+200C, U+200D, which some scripts and emoji sequences need), and the noncharacters
/// (U+FDD0-U+FDEF and the last two code points of every plane), which make two texts that
/// look the same differ. Lengths count Unicode
/// scalars. Pure; ``PolicyValidation`` applies it to every field, so the admin API, the CLI
/// and imports refuse the same text with the same message.
public enum FreeText {
    /// What a field holds, and so how long it may be.
    public enum Kind: Sendable, CaseIterable {
        /// Names and references: organizations, members, datasets, countries, DUO labels,
        /// committee decision references. One line, at most 200.
        case name
        /// Approval titles. One line, at most 500.
        case title
        /// Descriptions and reasons given for a change. Several lines, at most 10,000.
        case text
        /// Certificate subject and issuer names (RFC 2253). One line, at most 1,024.
        case distinguishedName

        /// The most Unicode scalars the field may hold.
        public var maximumLength: Int {
            switch self {
            case .name: 200
            case .title: 500
            case .text: 10_000
            case .distinguishedName: 1_024
            }
        }

        /// Whether tab and line breaks are allowed.
        public var isMultiLine: Bool { self == .text }
    }

    /// What is wrong with `text` as a field of `kind`, as a sentence to follow the field's
    /// name (`is 921600 characters long; ...`), or nil when nothing is.
    public static func problem(in text: String, _ kind: Kind) -> String? {
        var length = 0
        var refused: (scalar: Unicode.Scalar, position: Int, what: String)?
        var iterator = text.unicodeScalars.makeIterator()
        var next = iterator.next()
        while let scalar = next {
            length += 1
            next = iterator.next()
            if refused == nil, let what = refusal(of: scalar, before: next, multiLine: kind.isMultiLine) {
                refused = (scalar, length, what)
            }
        }
        if length > kind.maximumLength {
            return "is \(length) characters long; at most \(kind.maximumLength) are allowed"
        }
        if let refused {
            return "contains \(codePoint(refused.scalar)) (\(refused.what)) at character \(refused.position); remove it"
        }
        return nil
    }

    /// Why `scalar` may not appear (followed by `next`), or nil if it may.
    static func refusal(of scalar: Unicode.Scalar, before next: Unicode.Scalar?, multiLine: Bool) -> String? {
        switch scalar.value {
        case 0x09, 0x0A: return multiLine ? nil : "a tab or line break, in a one-line field"
        case 0x0D: return multiLine && next == "\n" ? nil : multiLine ? "a carriage return not followed by a line feed" : "a tab or line break, in a one-line field"
        case 0x00...0x1F, 0x7F: return "a control character"
        case 0x80...0x9F: return "a C1 control character"
        case 0x2028, 0x2029: return multiLine ? nil : "a line or paragraph separator, in a one-line field"
        case 0x202A...0x202E: return "a bidirectional embedding or override"
        case 0x2066...0x2069: return "a bidirectional isolate"
        case 0x200E, 0x200F, 0x061C: return "a bidirectional mark"
        case 0x200C, 0x200D: return nil // zero-width (non-)joiner: some scripts and emoji need them
        case 0x200B: return "a zero-width space"
        case 0xFEFF: return "a zero-width no-break space (byte order mark)"
        case 0xE0000...0xE007F: return "a tag character"
        case 0xFDD0...0xFDEF: return "a noncharacter"
        case let value where value & 0xFFFE == 0xFFFE: return "a noncharacter"
        default:
            return scalar.properties.generalCategory == .format ? "an invisible format character" : nil
        }
    }

    /// `U+202E`.
    static func codePoint(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// `text` as it may be echoed in an error message: at most `limit` characters, every
    /// character ``problem(in:_:)`` would refuse written as `\u{202E}`.
    public static func shown(_ text: some StringProtocol, limit: Int = 64) -> String {
        var out = ""
        for scalar in text.unicodeScalars.prefix(limit) {
            if refusal(of: scalar, before: nil, multiLine: false) != nil {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
