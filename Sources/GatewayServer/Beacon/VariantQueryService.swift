import DisclosureControl
import Foundation
import GatewayCore
import GatewayOperations
import GatewayPolicy
import NIOConcurrencyHelpers
import PrivacyLedger
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
    let qcThresholds: QCThresholds
    /// Cell-key noise on released counts of people (README "Privacy").
    let perturbation: CellKeyPerturbation
    /// The disclosure ledger every answer is charged to before it is built (README "Privacy").
    let accounting: DisclosureAccounting
    /// The perturbation's record keys for the catalogue's capacity, computed once per capacity.
    let recordKeys = NIOLockedValueBox<RecordKeyTable?>(nil)
    private let catalog = NIOLockedValueBox<CohortCatalog?>(nil)
    /// The withdrawn participants' samples for one policy version and catalogue.
    private let withdrawn = NIOLockedValueBox<WithdrawnSamples?>(nil)

    private struct WithdrawnSamples {
        /// Number and revision: after a restore from backup the same number can hold other withdrawals.
        var policy: PolicyIdentity
        var catalogSamples: Int
        var samples: SampleSet
    }

    /// Most variants one stratified answer may list.
    static let maximumVariantsPerAnswer = 1000
    /// Most variants one answer may list or count with the disclosure ledger on: an answer is
    /// given while budget remains and may take it over by its own charge, so one answer must
    /// not hold much (README "Privacy").
    static let maximumVariantsPerChargedAnswer = 100

    /// Most variants one answer may list or count under the current settings.
    var variantsPerAnswer: Int {
        accounting.ledger == nil ? Self.maximumVariantsPerAnswer : Self.maximumVariantsPerChargedAnswer
    }

    public init(store: VariantDatabase, disclosure: DisclosureControl, qcThresholds: QCThresholds = .standard,
                perturbation: CellKeyPerturbation? = nil, ledger: DisclosureLedger? = nil, privacy: GatewayConfiguration.Privacy = .init(),
                metrics: GatewayMetrics? = nil) {
        self.accounting = DisclosureAccounting(ledger: ledger, settings: privacy, metrics: metrics)
        self.store = store
        self.disclosure = disclosure
        self.qcThresholds = qcThresholds
        // No perturbation given: counts exact (D = 0; the secret is then never used).
        self.perturbation = perturbation ?? (try! CellKeyPerturbation(secret: [UInt8](repeating: 0, count: 32), maximumNoise: 0,
                                                                       minimumCellCount: disclosure.policy.minimumCellCount))
    }

    /// What a request may count over.
    struct Selection: Sendable {
        var catalog: CohortCatalog
        /// The samples the filters select, within the policy's restriction.
        var cohort: SampleSet
        /// How and why the cohort was restricted beyond the filters, or nil.
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

    /// The cohort `request` counts over under `grant`: its filters, within the datasets,
    /// cancer types and jurisdiction the policy allows, never a withdrawn participant.
    func select(_ request: BeaconRequest, under grant: AccessControl.Grant) async throws(GatewayError) -> Selection {
        let catalog = try await currentCatalog()
        let restriction = grant.restriction
        var cohort = try catalog.cohort(filters: request.filters).intersection(catalog.admitted(by: restriction))
        cohort = cohort.subtracting(withdrawnSamples(in: catalog, restriction: restriction, policy: grant.policy))
        let notes = restriction.notes
        return Selection(catalog: catalog, cohort: cohort, restriction: notes.isEmpty ? nil : notes.joined(separator: " "))
    }

    /// The samples of withdrawn participants, computed once per policy version and catalogue.
    func withdrawnSamples(in catalog: CohortCatalog, restriction: CohortRestriction, policy: PolicyIdentity) -> SampleSet {
        if let cached = withdrawn.withLockedValue({ $0 }), cached.policy == policy, cached.catalogSamples == catalog.samples.count {
            return cached.samples
        }
        let samples = catalog.samples(ofParticipants: restriction.withdrawnParticipants)
        withdrawn.withLockedValue { $0 = WithdrawnSamples(policy: policy, catalogSamples: catalog.samples.count, samples: samples) }
        return samples
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


    /// The variants answering `query`, split into those an answer may use, carried by at least k
    /// people (participants, not samples: a tumour and its normal are one person) of the
    /// selection's cohort, and those it leaves out. Every endpoint counts from the first only;
    /// leaving one out still says something (README "Privacy"), so the ledger is charged for both.
    func listedVariants(_ query: VariantQuery, in selection: Selection) async throws(GatewayError) -> (shown: [VariantRecord], hidden: [VariantRecord]) {
        let k = disclosure.policy.minimumCellCount
        var shown: [VariantRecord] = [], hidden: [VariantRecord] = []
        for variant in try await matchingVariants(query) {
            if let carrying = variant.genotypes.copies.first,
               selection.catalog.hasParticipants(atLeast: k, among: carrying, within: selection.cohort) {
                shown.append(variant)
            } else {
                hidden.append(variant)
            }
        }
        return (shown, hidden)
    }

    /// The alleles of `shown` that `allele-frequency` lists: at least `privacy.rare_frequency` of
    /// the cohort's alleles.
    func commonVariants(_ shown: [VariantRecord], in selection: Selection) -> [VariantRecord] {
        let rareFrequency = accounting.settings.rareFrequency
        guard rareFrequency > 0 else { return shown }
        return shown.filter { variant in
            let counts = variant.genotypes.counts(in: selection.cohort)
            return Double(counts.alleleCount) >= rareFrequency * Double(counts.alleleNumber)
        }
    }

    /// The number of carriers from which `allele-frequency` lists an allele in `selection`'s cohort,
    /// as the ledger charges it: k people, or `privacy.rare_frequency` of two alleles a person.
    func listingThreshold(in selection: Selection) -> Int {
        let people = selection.catalog.participantCount(in: selection.cohort)
        let rare = Int((accounting.settings.rareFrequency * 2 * Double(people)).rounded(.up))
        return max(disclosure.policy.minimumCellCount, rare)
    }

    /// The store's datasets.
    func storedDatasets() async throws(GatewayError) -> [DatasetRecord] {
        do { return try await store.datasets() } catch { throw Self.unavailable(error) }
    }

    static let knownAssemblies: Set<String> = ["grch38", "hg38", "grch38.p13", "grch38.p14", "gcf_000001405.39", "gcf_000001405.40"]

    /// The store failed: the caller gets 503 without detail, never data; the cause is in the
    /// message, which only the gateway's log sees (``ErrorResponse`` sends a fixed sentence).
    static func unavailable(_ error: any Error) -> GatewayError {
        GatewayError(.serviceUnavailable, "the variant store cannot be read: \(error)")
    }
}

extension VariantType {
    /// The type as Beacon clients name it: `SNV`, `DEL`, `DUP`, `CNV`, `BND`, ...
    var beaconName: String {
        rawValue.hasPrefix("<") ? String(rawValue.dropFirst().dropLast()) : rawValue
    }
}
