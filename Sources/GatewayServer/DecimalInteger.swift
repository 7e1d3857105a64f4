/// Whole numbers as a client writes them in a query string: ASCII digits with an optional
/// leading `-`, nothing else (no `+`, no spaces, no other scripts' digits), within `Int`.
/// `Int(_:)` alone would also take `+5`, and callers used to trim spaces around it.
enum DecimalInteger {
    static func parse(_ text: some StringProtocol) -> Int? {
        let digits = text.utf8.first == UInt8(ascii: "-") ? text.utf8.dropFirst() : text.utf8[...]
        guard !digits.isEmpty, digits.count <= 20, digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
            return nil
        }
        return Int(text)
    }
}
