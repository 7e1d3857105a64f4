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
    }

    public static let entries: [Entry] = [
        Entry(
            name: "allelic-association",
            summary: "Case-control allelic association per variant of a region (PLINK --assoc / --fisher conventions).",
            parameters: [
                "region": "{referenceName, start, end}: 1-based, inclusive, at most \(AssociationParameters.maximumRegionLength) bases",
                "cases": "1 to \(AssociationParameters.maximumGroupTerms) cancer types (NCIT terms): the case group",
                "controls": "optional, 1 to \(AssociationParameters.maximumGroupTerms) cancer types not among the cases; default: everyone else in the approval's cohort",
            ],
            output: "per variant: the 2x2 allele table (alternate, reference x cases, controls), Fisher's exact p (two-sided), Pearson's chi-square and its p (no continuity correction), the odds ratio with Woolf's 95 % interval",
            airlock: [
                "a table passes whole or not at all: a cell of 1 to k-1 people, a zero (or 100 %) cell in a non-empty group, or a group below k masks all four cells",
                "a masked table's statistics are withheld with it (with the margins they give the cells back)",
                "every released table is charged to the disclosure ledger as allele counts of the variant over the cases and the controls",
            ],
            available: false
        ),
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
