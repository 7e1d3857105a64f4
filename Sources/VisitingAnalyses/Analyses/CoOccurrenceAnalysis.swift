import DisclosureControl
import GatewayCore
import PrivacyLedger
import VariantStore

/// Co-occurrence and mutual exclusivity (cBioPortal's conventions) as a vetted analysis: every
/// pair of 2 to 20 `variants` (`chr:pos:ref:alt`), or of 2 to 20 named regions (`units`: the
/// carriers of any FILTER PASS variant in the region), over the tumour samples of the
/// approval's cohort (one per person), optionally of `cancerTypes` only. The pairs are computed
/// by ``CoOccurrence``.
public struct CoOccurrenceAnalysis: VisitingAnalysis {
    /// What is paired.
    public enum Items: Sendable, Hashable {
        /// Variants, each read as a 1-base region and matched on reference and alternate bases.
        case variants([VariantName])
        case units([NamedRegion])
    }

    /// A variant as a member names it: `13:32338104:G:A`.
    public struct VariantName: Sendable, Hashable {
        public var region: GenomicRegion
        public var reference: String
        public var alternate: String
        public var text: String { "\(region.referenceName):\(region.start):\(reference):\(alternate)" }
    }

    public let items: Items
    public let groupTerms: [String]?

    static let analysis = "co-occurrence"
    static let keys = ["variants", "units", "cancerTypes"]
    /// The most bases the units may cover in all (10 Mb).
    public static let maximumTotalBases = 10_000_000
    /// The longest reference or alternate allele a member may name.
    public static let maximumAlleleLength = 1_000

    public init(parameters: JSONValue) throws(GatewayError) {
        guard case .object(let object) = parameters else { throw Self.bad("parameters", "must be an object") }
        if let unknown = object.keys.sorted().first(where: { !Self.keys.contains($0) }) {
            throw Self.bad(String(unknown.prefix(40)), "is not a parameter of co-occurrence (\(Self.keys.joined(separator: ", ")))")
        }
        let count = 2...CoOccurrence.maximumVariants
        switch (object["variants"], object["units"]) {
        case (let value?, nil):
            guard case .array(let list) = value, count.contains(list.count) else {
                throw Self.bad("variants", "must be a list of 2 to \(CoOccurrence.maximumVariants) variants (chr:pos:ref:alt)")
            }
            var names: [VariantName] = []
            for (index, item) in list.enumerated() {
                let name = try Self.variant(item, parameter: "variants[\(index)]")
                guard !names.contains(where: { $0.region.overlaps(name.region) && $0.reference == name.reference && $0.alternate == name.alternate }) else { throw Self.bad("variants[\(index)]", "repeats \(name.text)") }
                names.append(name)
            }
            items = .variants(names)
        case (nil, let value?):
            items = .units(try NamedRegion.list(value, parameter: "units", analysis: Self.analysis, count: count, maximumTotalBases: Self.maximumTotalBases))
        case (.some, .some): throw Self.bad("units", "cannot be given with variants; pair variants or units")
        case (nil, nil): throw Self.bad("variants", "is required (or units): 2 to \(CoOccurrence.maximumVariants) variants or named regions")
        }
        groupTerms = try object["cancerTypes"].map { value throws(GatewayError) in
            try CancerTypeGroup.terms(value, parameter: "cancerTypes", analysis: Self.analysis)
        }
    }

    /// `chr:pos:ref:alt`, alleles of bases (A, C, G, T, N) or a symbolic `<NAME>`.
    static func variant(_ value: JSONValue, parameter: String) throws(GatewayError) -> VariantName {
        let problem = "must be a variant chr:pos:ref:alt (a position of at least 1; alleles of A, C, G, T, N or a symbolic <NAME>, at most \(maximumAlleleLength) characters)"
        guard case .string(let text) = value, text.utf8.count <= 64 + 20 + 2 * maximumAlleleLength + 3 else { throw bad(parameter, problem) }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4, let position = Int(parts[1]), position >= 1,
              isAllele(parts[2]), isAllele(parts[3]), parts[2] != parts[3] else { throw bad(parameter, problem) }
        let region = try GenomicRegion(json: .object(["referenceName": .string(parts[0]), "start": .integer(position), "end": .integer(position)]),
                                       parameter: parameter, analysis: analysis, maximumLength: 1)
        return VariantName(region: region, reference: parts[2].uppercased(), alternate: parts[3].uppercased())
    }

    static func isAllele(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard (1...maximumAlleleLength).contains(bytes.count) else { return false }
        if bytes.first == 0x3C, bytes.last == 0x3E, bytes.count > 2 {
            return bytes.dropFirst().dropLast().allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || $0 == 0x3A || $0 == 0x5F }
        }
        return bytes.allSatisfy { "ACGTNacgtn".utf8.contains($0) }
    }

    public static let entry = AnalysisCatalogue.Entry(
        name: "co-occurrence",
        summary: "Co-occurrence and mutual exclusivity of pairs of variants or regions in tumours (cBioPortal's conventions).",
        parameters: [
            "variants": "2 to \(CoOccurrence.maximumVariants) variants (chr:pos:ref:alt), each matched on its position, reference and alternate bases; give variants or units, not both",
            "units": "instead of variants, 2 to \(CoOccurrence.maximumVariants) named regions {name, referenceName, start, end} (no two overlapping; at most \(maximumTotalBases) bases in all): carriers of any FILTER PASS variant in the region",
            "cancerTypes": "optional, 1 to \(CancerTypeGroup.maximumTerms) cancer types (NCIT terms); default: the whole cohort. Tumour samples, one per person",
        ],
        output: "per pair: people with both, only the first, only the second, neither; the log2 odds ratio; a one-sided Fisher p in the odds ratio's direction; a Benjamini-Hochberg q over the released pairs",
        airlock: [
            "each pair's table passes whole or not at all (cells of 1 to k-1 people, zero cells, groups below k)",
            "a perfectly exclusive pair is masked: no one carrying one carries the other is a statement about everyone carrying it",
            "q-values are computed over released pairs only",
            "a released pair is charged to the disclosure ledger as carrier counts of each variant (or region) and of the two together",
        ],
        available: true
    )

    public var canonicalParameters: JSONValue {
        var object: [String: JSONValue] = [:]
        switch items {
        case .variants(let names): object["variants"] = .array(names.map { .string($0.text) })
        case .units(let units): object["units"] = .array(units.map(\.json))
        }
        if let groupTerms { object["cancerTypes"] = .array(groupTerms.map(JSONValue.string)) }
        return .object(object)
    }

    public var cancerTypes: [String] { groupTerms ?? [] }

    public var countedUnits: [CountedUnit] {
        guard case .units(let units) = items else { return [] }
        return units.enumerated().map { CountedUnit(parameter: "units[\($0.offset)]", name: $0.element.name, region: $0.element.region, rule: "pass") }
    }

    public var regions: [GenomicRegion] {
        switch items {
        case .variants(let names): names.map(\.region)
        case .units(let units): units.map(\.region)
        }
    }

    public func contributors(in cohort: AnalysisCohort, control: DisclosureControl) throws(GatewayError) -> SampleSet {
        let group = cohort.group(cancerTypes: groupTerms, tissue: .tumour)
        try cohort.requireGroup(group, parameter: "cancerTypes", analysis: Self.analysis, control: control)
        return group
    }

    /// The units to pair, from each region's stored variants.
    func units(_ variants: [[VariantRecord]], capacity: Int) -> [CoOccurrence.Unit] {
        func stored(_ index: Int) -> [VariantRecord] { index < variants.count ? variants[index] : [] }
        switch items {
        case .variants(let names):
            return names.enumerated().map { index, name in
                let matches = stored(index).filter {
                    $0.position == name.region.start && $0.reference.uppercased() == name.reference && $0.alternate.uppercased() == name.alternate
                }
                var carriers = SampleSet(capacity: capacity)
                for match in matches { if let first = match.genotypes.copies.first { carriers.formUnion(first) } }
                return CoOccurrence.Unit(name: name.text, subject: matches.first?.subject ?? name.text, carriers: carriers)
            }
        case .units(let units):
            return units.enumerated().map { index, unit in
                var carriers = SampleSet(capacity: capacity)
                for variant in stored(index) where variant.passesFilters {
                    if let first = variant.genotypes.copies.first { carriers.formUnion(first) }
                }
                return CoOccurrence.Unit(name: unit.name, subject: "region:\(unit.region.subjectName):pass", carriers: carriers)
            }
        }
    }

    struct Output: Encodable {
        var analysis = CoOccurrenceAnalysis.analysis
        var tissue = "tumour"
        var people: Int
        var pairs: [CoOccurrence.PairResult]
    }

    public func run(_ input: AnalysisInput) throws(GatewayError) -> AnalysisOutcome {
        let cohort = try contributors(in: input.cohort, control: input.control)
        let run = try CoOccurrence.run(units: units(input.variants, capacity: input.cohort.capacity), cohort: cohort,
                                       airlock: input.airlock, progress: input.progress)
        let composition = SubjectRelease.composition(of: [cohort])
        return try AnalysisOutcome(output: Output(people: cohort.count, pairs: run.results), findings: run.results.map(\.airlock),
                                   releases: composition + run.releases)
    }

    private static func bad(_ parameter: String, _ problem: String) -> GatewayError {
        GatewayError(.badRequest, "co-occurrence parameter \(parameter) \(problem)")
    }
}
