extension ConsoleText {
    /// The researcher pages' words in English.
    static let researcherEnglish: [String: String] = [:]

    /// The researcher pages' words in Japanese.
    static let researcherJapanese: [String: String] = [:]
}
