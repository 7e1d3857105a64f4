import GatewayCore

/// A group of people named by cancer types, as analyses' parameters take it (`cases`,
/// `controls`, `groups`): 1 to ``maximumTerms`` distinct NCIt terms.
public enum CancerTypeGroup {
    /// The most cancer types one group may name.
    public static let maximumTerms = 20

    /// The terms of `value`, or `bad_request` naming `parameter` of `analysis`.
    public static func terms(_ value: JSONValue?, parameter: String, analysis: String) throws(GatewayError) -> [String] {
        func bad(_ problem: String) -> GatewayError { GatewayError(.badRequest, "\(analysis) parameter \(parameter) \(problem)") }
        guard case .array(let items)? = value, (1...maximumTerms).contains(items.count) else {
            throw bad("must be a list of 1 to \(maximumTerms) cancer types (NCIT terms)")
        }
        var terms: [String] = []
        for item in items {
            guard case .string(let term) = item, (1...64).contains(term.utf8.count), term.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
                throw bad("must hold cancer-type terms of 1 to 64 visible ASCII characters")
            }
            guard !terms.contains(term) else { throw bad("names \(term) twice") }
            terms.append(term)
        }
        return terms
    }
}
