import GatewayPolicy
import Testing
@testable import VisitingAnalyses

/// The catalogue: every analysis is a valid `analysis:NAME` query kind for approvals, names
/// its parameters, output and airlock rules, and appears once.
@Suite("Visiting analyses: catalogue")
struct AnalysisCatalogueTests {
    @Test("entries are valid query kinds, described, and unique")
    func entries() {
        let names = AnalysisCatalogue.entries.map(\.name)
        #expect(Set(names).count == names.count && !names.isEmpty)
        for entry in AnalysisCatalogue.entries {
            #expect(QueryKind.analysis(entry.name) != nil, "\(entry.name) is an analysis:NAME kind")
            #expect(!entry.parameters.isEmpty && !entry.output.isEmpty && !entry.airlock.isEmpty, "\(entry.name)")
            #expect(AnalysisCatalogue.entry(entry.name) == entry)
        }
        #expect(AnalysisCatalogue.entry("mutational-signatures") == nil)
        #expect(names == ["allelic-association", "burden", "co-occurrence", "strata-frequencies", "qc-distributions"])
        #expect(AnalysisCatalogue.entries.allSatisfy { $0.available })
        #expect(AnalysisCatalogue.analyses.allSatisfy { AnalysisCatalogue.analysis(named: $0.name) == $0 })
    }
}
