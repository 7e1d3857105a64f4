import DisclosureControl
import Foundation
import GatewayCore
import Hummingbird
import VariantStore

/// gnomAD-style aggregates: allele frequencies stratified by cancer type and
/// tissue, and a cohort summary with the QC table. Every number passes through
/// ``DisclosureControl``.
enum AggregateRoutes {
    static func register(on router: Router<GatewayRequestContext>, service: VariantQueryService) {
        router.get("/api/aggregate/allele-frequency", allowing: [.researcher]) { request, context in
            try await alleleFrequency(request, context, service)
        }
        router.get("/api/aggregate/cohort-summary", allowing: [.researcher]) { request, context in
            try await cohortSummary(request, context, service)
        }
    }

    struct Stratum: Encodable, Sendable {
        var cancerType: OntologyTerm
        var tissue: String
        var samples: DisclosedCount
        var alleleCount: DisclosedCount?
        var alleleNumber: DisclosedCount?
        var alleleFrequency: Double?
        var homozygous: DisclosedCount?
    }

    struct Totals: Encodable, Sendable {
        var samples: DisclosedCount
        var alleleCount: DisclosedCount
        var alleleNumber: DisclosedCount
        var alleleFrequency: Double?
        var homozygous: DisclosedCount
    }

    struct VariantFrequencies: Encodable, Sendable {
        var referenceName: String
        var start: Int
        var referenceBases: String
        var alternateBases: String
        var variantType: String
        var filter: String
        var total: Totals
        var strata: [Stratum]
    }

    struct FrequencyAnswer: Encodable, Sendable {
        var cohortSamples: DisclosedCount
        var cohortRestriction: String?
        var variants: [VariantFrequencies]
        var truncated: Bool
        var disclosure: String
    }

    static func alleleFrequency(_ request: Request, _ context: GatewayRequestContext, _ service: VariantQueryService) async throws -> Response {
        let beaconRequest = try await BeaconRoutes.parse(request, context)
        guard let query = beaconRequest.variant else {
            throw GatewayError(.badRequest, "allele-frequency needs referenceName and start (and alternateBases, or an end)")
        }
        let selection = try await service.select(beaconRequest, for: try context.requireMember())
        let (catalog, cohort) = (selection.catalog, selection.cohort)
        let control = service.disclosure
        guard control.admitsCohort(size: cohort.count) else { throw BeaconRoutes.cohortTooSmall(control) }
        let strata = catalog.strata().map { ($0.cancerType, $0.tissue, $0.samples.intersection(cohort)) }.filter { $0.2.count > 0 }
        var answers: [VariantFrequencies] = []
        var truncated = false
        for variant in try await service.matchingVariants(query) {
            let total = variant.genotypes.counts(in: cohort)
            guard total.carriers >= control.policy.minimumCellCount else { continue }
            guard answers.count < VariantQueryService.maximumVariantsPerAnswer else { truncated = true; break }
            let rows = strata.map { stratum -> [Int] in
                let counts = variant.genotypes.counts(in: stratum.2)
                return [stratum.2.count, counts.carriers, counts.alleleCount, counts.homozygous, counts.alleleNumber]
            }
            let table = StratifiedTable(measures: ["samples", "carriers", "alleleCount", "homozygous", "alleleNumber"], values: rows,
                                        sensitiveMeasures: ["samples", "carriers", "alleleCount", "homozygous"])
            let protected = control.protect(table)
            let shownStrata = strata.enumerated().map { index, stratum in
                let cells = protected.cells[index]
                return Stratum(
                    cancerType: OntologyTerm(id: stratum.0, label: catalog.cancerTypeLabels[stratum.0] ?? stratum.0),
                    tissue: stratum.1.rawValue, samples: cells[0], alleleCount: cells[2], alleleNumber: cells[4],
                    alleleFrequency: control.frequency(alleleCount: cells[2], alleleNumber: cells[4]), homozygous: cells[3])
            }
            let totals = protected.totals
            answers.append(VariantFrequencies(
                referenceName: variant.chromosome, start: variant.position - 1, referenceBases: variant.reference,
                alternateBases: variant.alternate, variantType: variant.variantType.beaconName, filter: (variant.filters ?? ["."]).joined(separator: ";"),
                total: Totals(samples: totals[0], alleleCount: totals[2], alleleNumber: totals[4],
                              alleleFrequency: control.frequency(alleleCount: totals[2], alleleNumber: totals[4]), homozygous: totals[3]),
                strata: shownStrata))
        }
        return try JSONResponse.make(FrequencyAnswer(
            cohortSamples: control.count(cohort.count), cohortRestriction: selection.restriction,
            variants: answers, truncated: truncated, disclosure: disclosureNote(control)))
    }

    static func disclosureNote(_ control: DisclosureControl) -> String {
        let k = control.policy.minimumCellCount
        return "Counts in 1..\(k - 1) read \"<\(k)\", with complementary suppression so no hidden cell follows from totals; frequencies only where the allele number is at least \(control.policy.minimumAlleleNumberForFrequency); variants carried by fewer than \(k) samples are not listed."
    }

    struct MetricSummary: Encodable, Sendable {
        var mean: Double
        var median: Double
        var min: Double
        var max: Double
    }

    struct TissueQC: Encodable, Sendable {
        var tissue: String
        var samples: DisclosedCount
        var mappingRate: MetricSummary?
        var duplicateRate: MetricSummary?
        var meanInsertSize: MetricSummary?
        var meanDepth: MetricSummary?
    }

    struct CohortSummaryAnswer: Encodable, Sendable {
        var cohortSamples: DisclosedCount
        var cohortParticipants: DisclosedCount
        var cohortRestriction: String?
        var strata: [Stratum]
        var qualityControl: [TissueQC]
        var disclosure: String
    }

    static func cohortSummary(_ request: Request, _ context: GatewayRequestContext, _ service: VariantQueryService) async throws -> Response {
        let beaconRequest = try await BeaconRoutes.parse(request, context, variantsAllowed: false)
        let selection = try await service.select(beaconRequest, for: try context.requireMember())
        let (catalog, cohort) = (selection.catalog, selection.cohort)
        let control = service.disclosure
        let strata = catalog.strata().map { ($0.cancerType, $0.tissue, $0.samples.intersection(cohort)) }.filter { $0.2.count > 0 }
        let protected = control.protect(StratifiedTable(measures: ["samples"], values: strata.map { [$0.2.count] }))
        let rows = strata.enumerated().map { index, stratum in
            Stratum(cancerType: OntologyTerm(id: stratum.0, label: catalog.cancerTypeLabels[stratum.0] ?? stratum.0),
                    tissue: stratum.1.rawValue, samples: protected.cells[index][0])
        }
        var qualityControl: [TissueQC] = []
        for tissue in [Tissue.normal, .tumour] {
            let members = catalog.samples.filter { $0.tissue == tissue && cohort.contains($0.index) }
            let showable = members.count >= control.policy.minimumCellCount
            func summary(_ value: (QCMetrics) -> Double) -> MetricSummary? {
                guard showable else { return nil }
                let values = members.map { value($0.qc) }.sorted()
                let middle = values.count / 2
                let median = values.count.isMultiple(of: 2) ? (values[middle - 1] + values[middle]) / 2 : values[middle]
                return MetricSummary(mean: values.reduce(0, +) / Double(values.count), median: median, min: values.first!, max: values.last!)
            }
            qualityControl.append(TissueQC(tissue: tissue.rawValue, samples: control.count(members.count),
                                           mappingRate: summary(\.mappingRate), duplicateRate: summary(\.duplicateRate),
                                           meanInsertSize: summary(\.meanInsertSize), meanDepth: summary(\.meanDepth)))
        }
        return try JSONResponse.make(CohortSummaryAnswer(
            cohortSamples: control.count(cohort.count), cohortParticipants: control.count(catalog.participantCount(in: cohort)),
            cohortRestriction: selection.restriction, strata: rows, qualityControl: qualityControl,
            disclosure: disclosureNote(control)))
    }
}
