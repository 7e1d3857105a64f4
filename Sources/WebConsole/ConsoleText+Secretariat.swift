extension ConsoleText {
    /// The secretariat pages' words in English.
    static let secretariatEnglish: [String: String] = [:]

    /// The secretariat pages' words in Japanese.
    static let secretariatJapanese: [String: String] = [:]
}
