import DisclosureControl
import GatewayCore
import VariantStore

/// A germline case-control analysis (allelic association, burden): its groups, the cancer
/// types the consent check sees and the samples it is computed from all follow from the case
/// and control cancer types (``AnalysisCohort/caseControlGroups(cases:controls:analysis:control:)``).
public protocol CaseControlAnalysis: VisitingAnalysis {
    /// The case group's cancer types.
    var caseTypes: [String] { get }
    /// The control group's cancer types; nil: everyone else the approval allows.
    var controlTypes: [String]? { get }
}

extension CaseControlAnalysis {
    public var cancerTypes: [String] { caseTypes + (controlTypes ?? []) }

    /// The case and control groups in `cohort`, each refused when below the minimum.
    func groups(in cohort: AnalysisCohort, control: DisclosureControl) throws(GatewayError) -> (cases: SampleSet, controls: SampleSet) {
        try cohort.caseControlGroups(cases: caseTypes, controls: controlTypes, analysis: Self.name, control: control)
    }

    public func contributors(in cohort: AnalysisCohort, control: DisclosureControl) throws(GatewayError) -> SampleSet {
        let groups = try groups(in: cohort, control: control)
        return groups.cases.union(groups.controls)
    }
}
