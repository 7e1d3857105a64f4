extension ConsoleText {
    /// The visiting-analysis pages' words in English.
    static let visitingEnglish: [String: String] = [:]

    /// The visiting-analysis pages' words in Japanese.
    static let visitingJapanese: [String: String] = [:]
}
