import PrivacyLedger
import Synchronization
import VariantStore

/// Which variants of a region an analysis lists, as the query endpoints list them: only those
/// carried by at least k people of the analysed cohort. Leaving one out says something too
/// (that fewer than k people carry it), and so does listing one whose figures are masked (that
/// at least k do), so both are charged to the disclosure ledger as the query path charges a
/// listing: once per person, the most such an outcome can tell, under the same subject
/// (`chr:pos:ref:alt|listed>=k`), so a repeat across queries and analyses is free.
public enum VariantListing {
    /// Whether `variant` is carried by at least `k` people of `cohort` (one sample per person
    /// is not assumed: people are counted through `cohort`'s person mapping).
    public static func isListed(_ variant: VariantRecord, in samples: SampleSet, cohort: AnalysisCohort, k: Int) -> Bool {
        let carriers = (variant.genotypes.copies.first ?? SampleSet(capacity: samples.capacity)).intersection(samples)
        return carriers.count >= k && cohort.onePerPerson(carriers).count >= k
    }

    /// The ledger release of the listing decision about `variant` over `samples`.
    public static func release(_ variant: VariantRecord, over samples: SampleSet, k: Int) -> SubjectRelease {
        SubjectRelease(subject: "\(variant.subject)|listed>=\(k)", pools: [
            PoolRelease(samples: samples, frequency: 0, noiseVariance: 0, presenceOnly: true,
                        presenceCharge: presenceCap(k)),
        ])
    }

    /// ``MembershipSignal/presenceCap(minimumCount:)``, computed once per k (it integrates a
    /// distribution: far dearer than a variant's table).
    static func presenceCap(_ k: Int) -> Double {
        if let known = presenceCaps.withLock({ $0[k] }) { return known }
        let cap = MembershipSignal.presenceCap(minimumCount: k)
        presenceCaps.withLock { $0[k] = cap }
        return cap
    }

    private static let presenceCaps = Mutex<[Int: Double]>([:])
}
