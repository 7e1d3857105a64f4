/// A strict, bounded JSON parser (RFC 8259) for everything a client sends.
///
/// Its cost is linear in the input and every dimension is limited while parsing, before
/// any value is built: nesting depth, the number of values, the length of a number. It
/// refuses what lenient parsers accept silently: a duplicate object key (which of the two
/// would count?), invalid UTF-8, lone surrogates, control characters in strings, numbers
/// out of range, and anything after the value. Every refusal is a `bad_request` naming what
/// is wrong and the byte offset where it is.
///
/// ```swift
/// let value = try JSONParser.parse(Array(body.utf8))
/// ```
public struct JSONParser {
    /// Bounds on one document.
    public struct Limits: Sendable, Hashable {
        /// Deepest nesting of arrays and objects (the top value is depth 1).
        public var maximumDepth: Int
        /// Most values in the document, containers and scalars alike.
        public var maximumValues: Int
        /// Longest number literal, in characters.
        public var maximumNumberLength: Int

        public init(maximumDepth: Int = 32, maximumValues: Int = 100_000, maximumNumberLength: Int = 64) {
            self.maximumDepth = maximumDepth
            self.maximumValues = maximumValues
            self.maximumNumberLength = maximumNumberLength
        }

        /// Request bodies: 32 levels, 100,000 values, numbers of at most 64 characters.
        public static let requestBody = Limits()
    }

    private let bytes: UnsafeRawBufferPointer
    private let limits: Limits
    private var index = 0
    private var values = 0

    private init(bytes: UnsafeRawBufferPointer, limits: Limits) {
        self.bytes = bytes
        self.limits = limits
    }

    /// Parses one JSON document (white space around it allowed, nothing else).
    public static func parse(_ bytes: some Sequence<UInt8>, limits: Limits = .requestBody) throws(GatewayError) -> JSONValue {
        let result: Result<JSONValue, GatewayError> = Array(bytes).withUnsafeBytes { raw in
            var parser = JSONParser(bytes: raw, limits: limits)
            do throws(GatewayError) {
                if raw.starts(with: [0xEF, 0xBB, 0xBF]) {
                    throw parser.failure("a UTF-8 byte order mark (BOM); send the JSON without it")
                }
                parser.skipWhiteSpace()
                let value = try parser.parseValue(depth: 1)
                parser.skipWhiteSpace()
                guard parser.index == raw.count else { throw parser.failure("unexpected text after the JSON value") }
                return .success(value)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private func failure(_ what: String) -> GatewayError {
        GatewayError(.badRequest, "the body is not valid JSON: \(what) at byte \(index)")
    }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipWhiteSpace() {
        while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { index += 1 }
    }

    private mutating func parseValue(depth: Int) throws(GatewayError) -> JSONValue {
        values += 1
        guard values <= limits.maximumValues else { throw failure("more than \(limits.maximumValues) values") }
        guard let byte = current else { throw failure("the body ends where a value was expected") }
        switch byte {
        case UInt8(ascii: "{"): return try parseObject(depth: depth)
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectWord("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectWord("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectWord("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw failure("unexpected character")
        }
    }

    private mutating func expectWord(_ word: StaticString) throws(GatewayError) {
        let length = word.utf8CodeUnitCount
        guard index + length <= bytes.count else { throw failure("unexpected end of the body") }
        for offset in 0..<length where bytes[index + offset] != word.utf8Start[offset] {
            throw failure("unexpected character")
        }
        index += length
    }

    private mutating func enter(depth: Int) throws(GatewayError) {
        guard depth <= limits.maximumDepth else { throw failure("arrays and objects nested deeper than \(limits.maximumDepth) levels") }
        index += 1
        skipWhiteSpace()
    }

    private mutating func parseArray(depth: Int) throws(GatewayError) -> JSONValue {
        try enter(depth: depth)
        var items: [JSONValue] = []
        if current == UInt8(ascii: "]") { index += 1; return .array(items) }
        while true {
            items.append(try parseValue(depth: depth + 1))
            skipWhiteSpace()
            switch current {
            case UInt8(ascii: ","): index += 1; skipWhiteSpace()
            case UInt8(ascii: "]"): index += 1; return .array(items)
            default: throw failure("expected ',' or ']' in an array")
            }
        }
    }

    private mutating func parseObject(depth: Int) throws(GatewayError) -> JSONValue {
        try enter(depth: depth)
        var members: [String: JSONValue] = [:]
        if current == UInt8(ascii: "}") { index += 1; return .object(members) }
        while true {
            guard current == UInt8(ascii: "\"") else { throw failure("expected a quoted key in an object") }
            let keyStart = index
            let key = try parseString()
            skipWhiteSpace()
            guard current == UInt8(ascii: ":") else { throw failure("expected ':' after a key") }
            index += 1
            skipWhiteSpace()
            let value = try parseValue(depth: depth + 1)
            guard members.updateValue(value, forKey: key) == nil else {
                index = keyStart
                throw failure("the key '\(key.prefix(60))' appears twice in one object")
            }
            skipWhiteSpace()
            switch current {
            case UInt8(ascii: ","): index += 1; skipWhiteSpace()
            case UInt8(ascii: "}"): index += 1; return .object(members)
            default: throw failure("expected ',' or '}' in an object")
            }
        }
    }

    /// A string from the opening quote; the cursor ends after the closing quote.
    private mutating func parseString() throws(GatewayError) -> String {
        index += 1
        let start = index
        // Fast path: no escapes.
        while let byte = current, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") {
            guard byte >= 0x20 else { throw failure("a control character inside a string (escape it)") }
            index += 1
        }
        guard let stop = current else { throw failure("a string is not closed") }
        if stop == UInt8(ascii: "\"") {
            let text = try decodeUTF8(UnsafeRawBufferPointer(rebasing: bytes[start..<index]), at: start)
            index += 1
            return text
        }
        var buffer = Array(UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
        while let byte = current {
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                guard let text = String(validating: buffer, as: UTF8.self) else {
                    throw GatewayError(.badRequest, "the body is not valid JSON: a string is not valid UTF-8 at byte \(start)")
                }
                return text
            case UInt8(ascii: "\\"):
                index += 1
                try appendEscape(to: &buffer)
            case ..<0x20:
                throw failure("a control character inside a string (escape it)")
            default:
                buffer.append(byte)
                index += 1
            }
        }
        throw failure("a string is not closed")
    }

    private func decodeUTF8(_ raw: UnsafeRawBufferPointer, at start: Int) throws(GatewayError) -> String {
        guard let text = String(validating: raw, as: UTF8.self) else {
            throw GatewayError(.badRequest, "the body is not valid JSON: a string is not valid UTF-8 at byte \(start)")
        }
        return text
    }

    private mutating func appendEscape(to buffer: inout [UInt8]) throws(GatewayError) {
        guard let byte = current else { throw failure("a string is not closed") }
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(byte)
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hexQuad()
            if (0xD800...0xDBFF).contains(scalar) {
                guard current == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") else {
                    throw failure("a lone UTF-16 surrogate in a \\u escape")
                }
                index += 2
                let low = try hexQuad()
                guard (0xDC00...0xDFFF).contains(low) else { throw failure("a lone UTF-16 surrogate in a \\u escape") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(scalar) {
                throw failure("a lone UTF-16 surrogate in a \\u escape")
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw failure("an invalid \\u escape") }
            buffer.append(contentsOf: String(Character(unicode)).utf8)
        default:
            throw failure("an unknown escape '\\\(Character(Unicode.Scalar(byte)))'")
        }
    }

    private mutating func hexQuad() throws(GatewayError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw failure("a \\u escape needs four hex digits") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("a \\u escape needs four hex digits")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`; whole numbers that fit are `Int`.
    private mutating func parseNumber() throws(GatewayError) -> JSONValue {
        let start = index
        var integral = true
        if current == UInt8(ascii: "-") { index += 1 }
        func digits(_ parser: inout JSONParser) throws(GatewayError) {
            guard let byte = parser.current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else {
                throw parser.failure("a number needs a digit here")
            }
            while let byte = parser.current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                parser.index += 1
                guard parser.index - start <= parser.limits.maximumNumberLength else {
                    throw parser.failure("a number longer than \(parser.limits.maximumNumberLength) characters")
                }
            }
        }
        if current == UInt8(ascii: "0") {
            index += 1
            if let byte = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { throw failure("a number with a leading zero") }
        } else {
            try digits(&self)
        }
        if current == UInt8(ascii: ".") {
            integral = false
            index += 1
            try digits(&self)
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            integral = false
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            try digits(&self)
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        if integral, let value = Int(text) { return .integer(value) }
        guard let value = Double(text), value.isFinite else {
            index = start
            throw failure("the number \(text.prefix(40)) is out of range")
        }
        return .number(value)
    }
}
