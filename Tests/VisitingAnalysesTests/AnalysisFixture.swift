import DisclosureControl
import Foundation
import GatewayCore
import VariantStore
@testable import VisitingAnalyses

/// Builders shared by the analyses' tests: variants with given carriers, cohorts with given
/// cancer types and tissues, parameters from JSON text, and outputs read back as JSON.
enum AnalysisFixture {
    /// A variant whose heterozygous and homozygous carriers are given (every other sample reference-called diploid).
    static func variant(_ position: Int, chromosome: String = "chr13", reference: String = "A", alternate: String = "G",
                        type: VariantType = .snv, filters: [String]? = ["PASS"], carriers: [Int], homozygous: [Int] = [],
                        capacity: Int) -> VariantRecord {
        let atLeastOne = SampleSet(capacity: capacity, members: carriers + homozygous)
        let two = SampleSet(capacity: capacity, members: homozygous)
        return VariantRecord(id: Int64(position), chromosome: chromosome, position: position, end: position + reference.count - 1,
                             reference: reference, alternate: alternate, occurrence: 1, variantType: type, filters: filters,
                             genotypes: AlleleGenotypes(copies: homozygous.isEmpty ? [atLeastOne] : [atLeastOne, two], homozygous: two,
                                                        deficit: [], surplus: []))
    }

    /// A cohort of `capacity` samples, every one allowed: `cancerTypes` and `tissues` map a
    /// term or tissue to its samples; `person` gives each sample's person (default: its own).
    static func cohort(capacity: Int, cancerTypes: [String: Range<Int>], tissues: [Tissue: [Int]],
                       person: (Int) -> Int = { $0 }, qualityControl: [QCMetrics?]? = nil) -> AnalysisCohort {
        AnalysisCohort(samples: SampleSet.all(capacity: capacity),
                       byCancerType: cancerTypes.mapValues { SampleSet(capacity: capacity, members: $0) },
                       cancerTypeLabels: Dictionary(uniqueKeysWithValues: cancerTypes.keys.map { ($0, "label of \($0)") }),
                       byTissue: tissues.mapValues { SampleSet(capacity: capacity, members: $0) },
                       personOfSample: (0..<capacity).map(person),
                       qualityControl: qualityControl ?? Array(repeating: nil, count: capacity))
    }

    static func json(_ text: String) throws -> JSONValue { try JSONParser.parse(Array(text.utf8)) }

    static func object(_ output: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any] ?? [:]
    }

    static func airlock(k: Int = 5, minimumAlleleNumberForFrequency: Int = 420) -> TableAirlock {
        TableAirlock(control: DisclosureControl(policy: DisclosurePolicy(minimumCellCount: k, minimumAlleleNumberForFrequency: minimumAlleleNumberForFrequency)))
    }
}
