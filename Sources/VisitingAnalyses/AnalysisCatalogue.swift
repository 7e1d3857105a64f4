/// The vetted analyses the visiting environment runs, as members and the committee see them:
/// each one's name (the policy's `analysis:NAME` query kind), its parameters, its output and
/// the airlock rules its output passes. Adding an analysis means adding its type and an entry
/// here. Only entries marked `available` can be submitted.
public enum AnalysisCatalogue {
    /// One analysis.
    public struct Entry: Sendable, Hashable, Codable {
        /// The name an approval allows (`analysis:<name>`).
        public var name: String
        public var summary: String
        /// Each parameter and what it takes.
        public var parameters: [String: String]
        public var output: String
        public var airlock: [String]
        /// Whether jobs of it can be submitted in this build.
        public var available: Bool

        public init(name: String, summary: String, parameters: [String: String], output: String, airlock: [String], available: Bool) {
            self.name = name
            self.summary = summary
            self.parameters = parameters
            self.output = output
            self.airlock = airlock
            self.available = available
        }
    }

    /// The analyses members can submit, one type each.
    public static let analyses: [any VisitingAnalysis.Type] = [
        AllelicAssociation.self, Burden.self, CoOccurrenceAnalysis.self, StrataFrequencies.self, QCDistributions.self,
    ]

    /// Every entry, in the catalogue's order.
    public static var entries: [Entry] { analyses.map { $0.entry } }

    /// The analysis type named `name`, if it can be submitted.
    public static func analysis(named name: String) -> (any VisitingAnalysis.Type)? {
        analyses.first { $0.entry.name == name }
    }

    /// The entry named `name`.
    public static func entry(_ name: String) -> Entry? { entries.first { $0.name == name } }
}
