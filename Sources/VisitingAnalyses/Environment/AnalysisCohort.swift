import DisclosureControl
import GatewayCore
import VariantStore

/// What an analysis may count over, decided by the policy when the job runs (and again when
/// its result is released): the samples the approval allows now, withdrawn participants never
/// among them, with what the analyses group them by. Individual-level data stays inside: an
/// analysis reads these sets and the variants' genotype sets, and only airlock-checked
/// aggregates leave.
public struct AnalysisCohort: Sendable {
    /// Every sample the approval allows now.
    public var samples: SampleSet
    /// The catalogue's samples of each cancer type (NCIt CURIE), not yet restricted to ``samples``.
    public var byCancerType: [String: SampleSet]
    /// Each cancer type's label (`NCIT:C4872` -> `Breast Carcinoma`).
    public var cancerTypeLabels: [String: String]
    /// The catalogue's samples of each tissue, not yet restricted to ``samples``.
    public var byTissue: [Tissue: SampleSet]
    /// Each sample's person (a tumour and its normal are one person), by sample index.
    public var personOfSample: [Int]
    /// Each sample's QC metrics, by sample index (nil for an index no sample holds).
    public var qualityControl: [QCMetrics?]

    public init(samples: SampleSet, byCancerType: [String: SampleSet], cancerTypeLabels: [String: String],
                byTissue: [Tissue: SampleSet], personOfSample: [Int], qualityControl: [QCMetrics?]) {
        self.samples = samples
        self.byCancerType = byCancerType
        self.cancerTypeLabels = cancerTypeLabels
        self.byTissue = byTissue
        self.personOfSample = personOfSample
        self.qualityControl = qualityControl
    }

    /// The number of sample indexes (the width of every sample set).
    public var capacity: Int { samples.capacity }

    /// The allowed samples of `tissue` whose cancer type is one of `cancerTypes` (any type when
    /// nil), at most one per person: a person's first sample of that tissue.
    public func group(cancerTypes: [String]?, tissue: Tissue) -> SampleSet {
        var selected = samples.intersection(byTissue[tissue] ?? SampleSet(capacity: capacity))
        if let cancerTypes {
            var typed = SampleSet(capacity: capacity)
            for type in cancerTypes { if let set = byCancerType[type] { typed.formUnion(set) } }
            selected = selected.intersection(typed)
        }
        return onePerPerson(selected)
    }

    /// A germline case-control design: the people (by their normal sample) of the `cases`
    /// cancer types, and those of `controls`, or everyone else the approval allows; each group
    /// refused with `bad_request` naming it when below the minimum cohort size.
    public func caseControlGroups(cases: [String], controls: [String]?, analysis: String,
                                  control: DisclosureControl) throws(GatewayError) -> (cases: SampleSet, controls: SampleSet) {
        let caseGroup = group(cancerTypes: cases, tissue: .normal)
        let controlGroup = controls.map { group(cancerTypes: $0, tissue: .normal) } ?? group(cancerTypes: nil, tissue: .normal).subtracting(caseGroup)
        try requireGroup(caseGroup, parameter: "cases", analysis: analysis, control: control)
        try requireGroup(controlGroup, parameter: "controls", analysis: analysis, control: control)
        return (caseGroup, controlGroup)
    }

    /// `samples` with at most one sample per person (the lowest index).
    public func onePerPerson(_ samples: SampleSet) -> SampleSet {
        var seen: Set<Int> = []
        var kept = SampleSet(capacity: samples.capacity)
        for sample in samples {
            let person = sample < personOfSample.count ? personOfSample[sample] : -1 - sample
            if seen.insert(person).inserted { _ = kept.insert(sample) }
        }
        return kept
    }

    /// Refuses a group below the minimum cohort size with `bad_request` naming `parameter`.
    public func requireGroup(_ group: SampleSet, parameter: String, analysis: String, control: DisclosureControl) throws(GatewayError) {
        guard control.admitsCohort(size: group.count) else {
            throw GatewayError(.badRequest, "\(analysis) parameter \(parameter) selects fewer than \(control.policy.minimumCohortSize) people the approval allows; the smallest group analysed is \(control.policy.minimumCohortSize)")
        }
    }
}
