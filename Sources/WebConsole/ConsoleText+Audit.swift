extension ConsoleText {
    /// The audit pages' words in English.
    static let auditEnglish: [String: String] = [:]

    /// The audit pages' words in Japanese.
    static let auditJapanese: [String: String] = [:]
}
