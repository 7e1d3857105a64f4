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
    public static let analyses: [any VisitingAnalysis.Type] = [AllelicAssociation.self]

    /// Every entry: the submittable analyses, then those still being built.
    public static var entries: [Entry] { analyses.map { $0.entry } + planned }

    /// The analysis type named `name`, if it can be submitted.
    public static func analysis(named name: String) -> (any VisitingAnalysis.Type)? {
        analyses.first { $0.entry.name == name }
    }

    static let planned: [Entry] = [
        Entry(
            name: "co-occurrence",
            summary: "Co-occurrence and mutual exclusivity of pairs of variants (cBioPortal's conventions).",
            parameters: [
                "variants": "2 to \(CoOccurrence.maximumVariants) variants (chr:pos:ref:alt); every pair is tested",
                "cohort": "the approval's cohort, one sample per person",
            ],
            output: "per pair: people with both, only the first, only the second, neither; the log2 odds ratio; a one-sided Fisher p in the odds ratio's direction; a Benjamini-Hochberg q over the released pairs",
            airlock: [
                "each pair's table passes whole or not at all (cells of 1 to k-1 people, zero cells, groups below k)",
                "a perfectly exclusive pair is masked: no one carrying one carries the other is a statement about everyone carrying it",
                "q-values are computed over released pairs only",
                "a released pair is charged to the disclosure ledger as carrier counts of each variant and of the two together",
            ],
            available: false
        ),
    ]

    /// The entry named `name`.
    public static func entry(_ name: String) -> Entry? { entries.first { $0.name == name } }
}
