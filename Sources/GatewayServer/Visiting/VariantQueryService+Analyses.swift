import GatewayCore
import VariantStore
import VisitingAnalyses

extension VariantQueryService {
    /// What a visiting analysis may count over under `grant`: the catalogue's samples within the
    /// datasets, cancer types and jurisdiction the policy allows, never a withdrawn participant
    /// (the same selection a query without filters gets), with what analyses group them by.
    func analysisCohort(under grant: AccessControl.Grant) async throws(GatewayError) -> (cohort: AnalysisCohort, catalog: CohortCatalog) {
        let catalog = try await currentCatalog()
        let samples = try catalog.cohort(filters: [])
            .intersection(catalog.admitted(by: grant.restriction))
            .subtracting(withdrawnSamples(in: catalog, restriction: grant.restriction, policy: grant.policy))
        var qualityControl = [QCMetrics?](repeating: nil, count: catalog.capacity)
        for sample in catalog.samples where sample.index < qualityControl.count { qualityControl[sample.index] = sample.qc }
        let cohort = AnalysisCohort(samples: samples, byCancerType: catalog.byCancerType, cancerTypeLabels: catalog.cancerTypeLabels,
                                    byTissue: catalog.byTissue, personOfSample: catalog.participantOfSample, qualityControl: qualityControl)
        return (cohort, catalog)
    }

    /// How many stored variants the regions hold in all (one read).
    func variantCount(in regions: [GenomicRegion]) async throws(GatewayError) -> Int {
        do { return try await store.variantCount(inRanges: regions.map { ($0.referenceName, $0.start, $0.end) }) } catch {
            throw Self.unavailable(error)
        }
    }

    /// The stored variants of each region, in position order (one read).
    func variants(in regions: [GenomicRegion]) async throws(GatewayError) -> [[VariantRecord]] {
        do { return try await store.variants(inRanges: regions.map { ($0.referenceName, $0.start, $0.end) }) } catch {
            throw Self.unavailable(error)
        }
    }
}
