import GatewayCore
import Testing

@Suite("JSON parser")
struct JSONParserTests {
    static func parse(_ text: String, limits: JSONParser.Limits = .requestBody) throws(GatewayError) -> JSONValue {
        try JSONParser.parse(Array(text.utf8), limits: limits)
    }

    @Test("accepted documents and the values they give", arguments: [
        (#"{"a":1,"b":[true,false,null],"c":"x"}"#, JSONValue.object(["a": .integer(1), "b": .array([.bool(true), .bool(false), .null]), "c": .string("x")])),
        (" [ -0 , 0.5 , 1e3 , -12 ] ", .array([.integer(0), .number(0.5), .number(1000), .integer(-12)])),
        (#""\u00e9\ud83d\ude00\n\"\\\/""#, .string("é😀\n\"\\/")),
        ("9223372036854775807", .integer(Int.max)),
        ("9223372036854775808", .number(9_223_372_036_854_775_808)),
        ("-9223372036854775808", .integer(Int.min)),
        (#"{"":{}}"#, .object(["": .object([:])])),
        ("\"日本\"", .string("日本")),
    ])
    func accepted(text: String, value: JSONValue) throws {
        #expect(try Self.parse(text) == value)
    }

    @Test("refused documents, each with a message naming the problem", arguments: [
        (#"{"a":1,"a":2}"#, "the key 'a' appears twice"),
        (#"{"a":{"b":1,"b":1}}"#, "appears twice"),
        ("[1,]", "unexpected character"),
        ("{\"a\":1} x", "unexpected text after the JSON value"),
        ("01", "leading zero"),
        ("1e999", "out of range"),
        ("-", "needs a digit"),
        ("\"abc", "not closed"),
        ("\"a\u{01}b\"", "control character"),
        (#""\ud800""#, "lone UTF-16 surrogate"),
        (#""\udc00x""#, "lone UTF-16 surrogate"),
        (#""\x""#, "unknown escape"),
        (#""\u12""#, "four hex digits"),
        ("nul", "unexpected end"),
        ("", "ends where a value was expected"),
        ("[" + String(repeating: "1", count: 70) + "]", "longer than 64 characters"),
        (String(repeating: "[", count: 33) + String(repeating: "]", count: 33), "nested deeper than 32 levels"),
    ])
    func refused(text: String, message: String) {
        #expect {
            try Self.parse(text)
        } throws: { error in
            guard let error = error as? GatewayError else { return false }
            return error.code == .badRequest && error.message.contains(message)
        }
    }

    @Test("invalid UTF-8 inside a string is refused")
    func invalidUTF8() {
        #expect(throws: GatewayError.self) { try JSONParser.parse([0x22, 0xC3, 0x28, 0x22]) }
        #expect(throws: GatewayError.self) { try JSONParser.parse([0x22, 0x5C, 0x6E, 0xFF, 0x22]) }
    }

    @Test("depth and value limits are counted exactly")
    func limits() throws {
        let limits = JSONParser.Limits(maximumDepth: 3, maximumValues: 4)
        #expect(try Self.parse("[[[1]]]", limits: JSONParser.Limits(maximumDepth: 3)) == .array([.array([.array([.integer(1)])])]))
        #expect(throws: GatewayError.self) { try Self.parse("[[[[1]]]]", limits: limits) }
        #expect(try Self.parse("[1,2,3]", limits: limits) == .array([.integer(1), .integer(2), .integer(3)]))
        #expect(throws: GatewayError.self) { try Self.parse("[1,2,3,4]", limits: limits) }
    }

    @Test("jsonText parses back to the same value", arguments: [
        #"{"b":[1,2.5,"x\u0001\"y"],"a":{"c":null,"d":true}}"#,
        #"["\ud83d\ude00", -1e-7, {"":""}]"#,
    ])
    func roundTrip(text: String) throws {
        let value = try Self.parse(text)
        #expect(try Self.parse(value.jsonText) == value)
    }
}
