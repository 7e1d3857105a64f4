import DisclosureControl
import Foundation
import GatewayCore
import GatewayPolicy
import NIOConcurrencyHelpers
import VariantStore

/// Answers aggregate questions from the variant store, through disclosure control.
///
/// The one query path: cohort = catalogue cohort(filters) AND the member's restriction;
/// counts = popcount(carriers AND cohort); everything leaves through ``DisclosureControl``.
/// No sample id or genotype ever leaves here. Store reads are asynchronous (GRDB's reader
/// queue), so no SQLite call blocks an event loop.
public final class VariantQueryService: Sendable {
    let store: VariantDatabase
    let disclosure: DisclosureControl
    let datasets: DatasetCatalog
    let qcThresholds: QCThresholds
    private let catalog = NIOLockedValueBox<CohortCatalog?>(nil)

    /// Most variants one stratified answer may list.
    static let maximumVariantsPerAnswer = 1000

    public init(store: VariantDatabase, disclosure: DisclosureControl, datasets: DatasetCatalog, qcThresholds: QCThresholds = .standard) {
        self.store = store
        self.disclosure = disclosure
        self.datasets = datasets
        self.qcThresholds = qcThresholds
    }

    /// What a request may count over.
    struct Selection: Sendable {
        var catalog: CohortCatalog
        /// The samples the filters select, within the member's restriction.
        var cohort: SampleSet
        /// Why the cohort was restricted beyond the filters, or nil.
        var restriction: String?
    }

    /// The catalogue for the store as it is now (rebuilt when samples were added).
    func currentCatalog() async throws(GatewayError) -> CohortCatalog {
        let count: Int
        do { count = try await store.sampleCount() } catch { throw Self.unavailable(error) }
        if let cached = catalog.withLockedValue({ $0 }), cached.samples.count == count { return cached }
        let fresh: CohortCatalog
        do { fresh = CohortCatalog(samples: try await store.samples(), thresholds: qcThresholds) } catch { throw Self.unavailable(error) }
        catalog.withLockedValue { $0 = fresh }
        return fresh
    }

    /// The cohort `member` may see for `request`: its filters, within the overseas-provision rule.
    func select(_ request: BeaconRequest, for member: Member) async throws(GatewayError) -> Selection {
        let catalog = try await currentCatalog()
        var cohort = try catalog.cohort(filters: request.filters)
        let restriction = OverseasProvisionRule.restriction(for: member)
        if restriction != nil { cohort = cohort.intersection(catalog.overseasConsent) }
        return Selection(catalog: catalog, cohort: cohort, restriction: restriction)
    }

    /// The stored variants answering `query`, in position order.
    func matchingVariants(_ query: VariantQuery) async throws(GatewayError) -> [VariantRecord] {
        if let assembly = query.assemblyId, !Self.knownAssemblies.contains(assembly.lowercased()) {
            throw GatewayError(.badRequest, "assemblyId '\(assembly.prefix(40))' is not served; this beacon holds GRCh38")
        }
        let range = query.positionRange
        let records: [VariantRecord]
        do { records = try await store.variants(chromosome: query.referenceName, from: range.lowerBound, to: range.upperBound) } catch {
            throw Self.unavailable(error)
        }
        return records.filter {
            query.matches(position: $0.position, reference: $0.reference, alternate: $0.alternate,
                          variantType: $0.variantType.beaconName, endPosition: $0.end)
        }
    }

    /// The variants answering `query` that an answer may use: those carried by at least k
    /// people (participants, not samples: a tumour and its normal are one person) of the
    /// selection's cohort. Every endpoint counts from these only.
    func shownVariants(_ query: VariantQuery, in selection: Selection) async throws(GatewayError) -> [VariantRecord] {
        let k = disclosure.policy.minimumCellCount
        return try await matchingVariants(query).filter { variant in
            guard let carrying = variant.genotypes.copies.first else { return false }
            return selection.catalog.hasParticipants(atLeast: k, among: carrying, within: selection.cohort)
        }
    }

    /// The store's datasets.
    func storedDatasets() async throws(GatewayError) -> [DatasetRecord] {
        do { return try await store.datasets() } catch { throw Self.unavailable(error) }
    }

    static let knownAssemblies: Set<String> = ["grch38", "hg38", "grch38.p13", "grch38.p14", "gcf_000001405.39", "gcf_000001405.40"]

    /// The store failed: the caller gets 503 without detail, never data. (The cause is not logged
    /// yet: the service has no logger; the audit issue brings one to this path.)
    static func unavailable(_ error: any Error) -> GatewayError {
        GatewayError(.serviceUnavailable, "the variant store cannot be read right now")
    }
}

extension VariantType {
    /// The type as Beacon clients name it: `SNV`, `DEL`, `DUP`, `CNV`, `BND`, ...
    var beaconName: String {
        rawValue.hasPrefix("<") ? String(rawValue.dropFirst().dropLast()) : rawValue
    }
}
