import PrivacyLedger
import VariantStore

extension SubjectRelease {
    /// What showing the sizes of `groups` tells the disclosure ledger: the cohort's composition,
    /// the same subject the cohort summary is (so a repeat is free and the partition rule spans
    /// both); nothing when there are no groups.
    static func composition(of groups: [SampleSet]) -> [SubjectRelease] {
        guard !groups.isEmpty else { return [] }
        return [SubjectRelease(subject: "cohort-summary", pools: groups.map {
            PoolRelease(samples: $0, frequency: 0.5, statistic: ReleasedStatistic.composition)
        })]
    }
}
