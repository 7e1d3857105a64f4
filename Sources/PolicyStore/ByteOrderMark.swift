/// The UTF-8 byte order mark (U+FEFF) that spreadsheet programs and some editors write at
/// the start of a file. It is not content: every policy file reader skips it.
enum ByteOrderMark {
    /// `text` without a leading U+FEFF.
    static func removed(from text: String) -> String {
        guard text.unicodeScalars.first == "\u{FEFF}" else { return text }
        return String(text.unicodeScalars.dropFirst())
    }
}
