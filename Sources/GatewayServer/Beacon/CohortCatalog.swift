import GatewayCore
import GatewayPolicy
import VariantStore

/// The samples of the store at one moment, indexed for building cohorts.
///
/// Immutable; rebuilt when the store's sample count changes. The base cohort
/// never includes a case whose tumour/normal identity check failed (both of its
/// samples are excluded).
struct CohortCatalog: Sendable {
    let samples: [SampleRecord]
    let capacity: Int
    /// Every sample that may ever contribute (NT-mismatch cases removed).
    let base: SampleSet
    let byCancerType: [String: SampleSet]
    let cancerTypeLabels: [String: String]
    let byTissue: [Tissue: SampleSet]
    let byDataset: [String: SampleSet]
    let qcPass: SampleSet
    let overseasConsent: SampleSet
    /// `participantOfSample[sample index]`: the participant's number in `0..<participantTotal`.
    let participantOfSample: [Int]
    let participantTotal: Int

    /// Filter terms for tissue and QC (cancer types are their NCIT ids).
    static let tumourTerm = "NCIT:C18009"
    static let normalTerm = "NCIT:C14165"
    static let qcPassTerm = "genomegate:qc-pass"

    init(samples: [SampleRecord], thresholds: QCThresholds = .standard) {
        self.samples = samples
        let capacity = (samples.map(\.index).max() ?? -1) + 1
        self.capacity = capacity
        // Flags by sample, with an identity mismatch raised on every sample of its case.
        let flags = SampleRecord.qcFlags(of: samples, thresholds: thresholds)
        var base = SampleSet(capacity: capacity)
        var byCancerType: [String: SampleSet] = [:]
        var labels: [String: String] = [:]
        var byTissue: [Tissue: SampleSet] = [:]
        var byDataset: [String: SampleSet] = [:]
        var qcPass = SampleSet(capacity: capacity)
        var overseas = SampleSet(capacity: capacity)
        for sample in samples {
            let sampleFlags = flags[sample.index] ?? []
            if !sampleFlags.contains(.identityMismatch) { base.insert(sample.index) }
            byCancerType[sample.cancerType.id, default: SampleSet(capacity: capacity)].insert(sample.index)
            labels[sample.cancerType.id] = sample.cancerType.label
            byTissue[sample.tissue, default: SampleSet(capacity: capacity)].insert(sample.index)
            byDataset[sample.datasetID, default: SampleSet(capacity: capacity)].insert(sample.index)
            if sampleFlags.isEmpty { qcPass.insert(sample.index) }
            if sample.overseasConsent { overseas.insert(sample.index) }
        }
        self.base = base
        self.byCancerType = byCancerType
        self.cancerTypeLabels = labels
        self.byTissue = byTissue
        self.byDataset = byDataset
        self.qcPass = qcPass
        self.overseasConsent = overseas
        var participantNumbers: [String: Int] = [:]
        var participantOfSample = [Int](repeating: 0, count: capacity)
        for sample in samples {
            let next = participantNumbers.count
            participantOfSample[sample.index] = participantNumbers[sample.participantID, default: next]
            participantNumbers[sample.participantID] = participantOfSample[sample.index]
        }
        self.participantOfSample = participantOfSample
        self.participantTotal = participantNumbers.count
    }

    /// The cohort the filters select: cancer types OR-ed, tissues OR-ed, categories AND-ed.
    /// An unknown term is a `bad_request` naming it.
    func cohort(filters: [String]) throws(GatewayError) -> SampleSet {
        var cancer: SampleSet?
        var tissue: SampleSet?
        var cohort = base
        for term in filters {
            if let set = byCancerType[term] {
                cancer = cancer.map { $0.union(set) } ?? set
            } else if term == Self.tumourTerm || term == Self.normalTerm {
                let set = byTissue[term == Self.tumourTerm ? .tumour : .normal] ?? SampleSet(capacity: capacity)
                tissue = tissue.map { $0.union(set) } ?? set
            } else if term == Self.qcPassTerm {
                cohort = cohort.intersection(qcPass)
            } else {
                throw GatewayError(.badRequest, "unknown filter term '\(term.prefix(60))'; see /api/filtering_terms")
            }
        }
        if let cancer { cohort = cohort.intersection(cancer) }
        if let tissue { cohort = cohort.intersection(tissue) }
        return cohort
    }

    /// The samples a policy restriction lets count, before withdrawals: of its datasets, of
    /// its cancer types, with overseas consent when it asks for that.
    func admitted(by restriction: CohortRestriction) -> SampleSet {
        var admitted = SampleSet(capacity: capacity)
        for dataset in restriction.datasets { if let set = byDataset[dataset] { admitted.formUnion(set) } }
        if let types = restriction.cancerTypes, !types.isEmpty {
            var typed = SampleSet(capacity: capacity)
            for (term, set) in byCancerType where restriction.allowsCancerType(term) { typed.formUnion(set) }
            admitted = admitted.intersection(typed)
        }
        if restriction.overseasConsentOnly { admitted = admitted.intersection(overseasConsent) }
        return admitted
    }

    /// Every sample of the participants in `withdrawn`.
    func samples(ofParticipants withdrawn: Set<String>) -> SampleSet {
        var set = SampleSet(capacity: capacity)
        guard !withdrawn.isEmpty else { return set }
        for sample in samples where withdrawn.contains(sample.participantID) { set.insert(sample.index) }
        return set
    }

    /// Whether at least `k` distinct participants have a sample in both `carriers` and `cohort`;
    /// stops as soon as they do, so a common variant costs about k steps.
    func hasParticipants(atLeast k: Int, among carriers: SampleSet, within cohort: SampleSet) -> Bool {
        guard k > 0 else { return true }
        var seen: Set<Int> = []
        for sample in carriers where sample < participantOfSample.count && cohort.contains(sample) {
            if seen.insert(participantOfSample[sample]).inserted, seen.count >= k { return true }
        }
        return false
    }

    /// The participants with a sample in `cohort`, by participant number (members beyond the
    /// catalogue's samples are ignored).
    func people(in cohort: SampleSet) -> SampleSet {
        var people = SampleSet(capacity: participantTotal)
        for sample in cohort where sample < participantOfSample.count { people.insert(participantOfSample[sample]) }
        return people
    }

    /// Distinct participants among `cohort` (members beyond the catalogue's samples are ignored).
    /// Reads the cohort's bitmap directly: it runs on every allele-frequency answer.
    func participantCount(in cohort: SampleSet) -> Int {
        var seen = [UInt64](repeating: 0, count: (participantTotal + 63) / 64)
        var count = 0
        let words = cohort.bitmapWords
        participantOfSample.withUnsafeBufferPointer { map in
            seen.withUnsafeMutableBufferPointer { seen in
                for (wordIndex, word) in words.enumerated() {
                    var remaining = word
                    while remaining != 0 {
                        let sample = wordIndex << 6 | remaining.trailingZeroBitCount
                        remaining &= remaining &- 1
                        guard sample < map.count else { continue }
                        let participant = map[sample]
                        guard participant >= 0 && participant >> 6 < seen.count else { continue }
                        let bit: UInt64 = 1 << UInt64(participant & 63)
                        if seen[participant >> 6] & bit == 0 {
                            seen[participant >> 6] |= bit
                            count += 1
                        }
                    }
                }
            }
        }
        return count
    }

    /// The non-empty strata of `cohort` for stratified answers: cancer type x tissue, in a stable order.
    func strata(in cohort: SampleSet) -> [(cancerType: String, tissue: Tissue, samples: SampleSet)] {
        var result: [(String, Tissue, SampleSet)] = []
        for cancerType in byCancerType.keys.sorted() {
            for tissue in [Tissue.tumour, .normal] {
                let set = byCancerType[cancerType]!.intersection(byTissue[tissue] ?? SampleSet(capacity: capacity)).intersection(cohort)
                if !set.isEmpty { result.append((cancerType, tissue, set)) }
            }
        }
        return result
    }
}
