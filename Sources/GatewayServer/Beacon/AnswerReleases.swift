import NIOConcurrencyHelpers
import PrivacyLedger
import VariantStore

/// What one answer releases, subject by subject, as the disclosure ledger is charged for it
/// (README "Privacy"): exact (perturbed) counts over pools of samples, or only whether a
/// variant is listed.
struct AnswerReleases: Sendable {
    private(set) var subjects: [SubjectRelease] = []
    let noiseVariance: Double

    init(noiseVariance: Double) { self.noiseVariance = noiseVariance }

    /// Counts or frequencies of `subject` over each pool, with the frequency each pool shows
    /// (perturbed by the default noise). `statistic` (``ReleasedStatistic``) says which: a pool
    /// that showed one statistic about a variant is charged again for another.
    mutating func counts(_ subject: String, pools: [(samples: SampleSet, frequency: Double)], statistic: UInt8 = ReleasedStatistic.alleleCounts) {
        counts(subject, pools: pools.map { ($0.samples, $0.frequency, noiseVariance) }, statistic: statistic)
    }

    /// Counts of `subject` over each pool, each perturbed with its own noise variance.
    mutating func counts(_ subject: String, pools: [(samples: SampleSet, frequency: Double, noiseVariance: Double)],
                         statistic: UInt8 = ReleasedStatistic.alleleCounts) {
        guard !pools.isEmpty else { return }
        subjects.append(SubjectRelease(subject: subject, pools: pools.map {
            PoolRelease(samples: $0.samples, frequency: $0.frequency, noiseVariance: $0.noiseVariance, statistic: statistic)
        }))
    }

    /// Whether `variant` is listed in `selection`'s cohort (at least `threshold` people carry it)
    /// or left out (either), and nothing more: charged, once per person, the most such an outcome can tell
    /// about a carrier (``MembershipSignal/presenceCap(minimumCount:)``), whatever the outcome and
    /// whatever the hidden count, so that what is charged depends only on what is released.
    mutating func listing(_ variant: VariantRecord, in selection: VariantQueryService.Selection, threshold: Int) {
        // Each threshold is its own release: "at least k people" and "at least 5 %" are two answers.
        self.threshold("\(variant.subject)|listed>=\(threshold)", in: selection.cohort, charge: AnswerReleases.presenceCap(threshold))
    }

    /// ``MembershipSignal/presenceCap(minimumCount:)``, computed once per threshold.
    static func presenceCap(_ threshold: Int) -> Double {
        if let known = presenceCaps.withLockedValue({ $0[threshold] }) { return known }
        let cap = MembershipSignal.presenceCap(minimumCount: threshold)
        presenceCaps.withLockedValue { $0[threshold] = cap }
        return cap
    }

    private static let presenceCaps = NIOLockedValueBox<[Int: Double]>([:])

    /// A threshold decision about `subject` in `cohort` (listed, or shown as rare), charged
    /// `charge` per person: what the outcome actually told (``MembershipSignal/threshold(count:threshold:shift:above:)``).
    mutating func threshold(_ subject: String, in cohort: SampleSet, charge: Double) {
        subjects.append(SubjectRelease(subject: subject, pools: [PoolRelease(samples: cohort, frequency: 0, noiseVariance: 0, presenceOnly: true, presenceCharge: charge)]))
    }

    /// The cohort's composition (sample counts by stratum): charged like a common variant, so
    /// that the partition rule still refuses two compositions a few people apart.
    mutating func composition(_ subject: String, pools: [SampleSet]) {
        counts(subject, pools: pools.map { ($0, 0.5) }, statistic: ReleasedStatistic.composition)
    }

    /// The frequency a released allele count shows over an allele number (the worst case, 0,
    /// when either is hidden).
    static func frequency(_ alleleCount: Int?, _ alleleNumber: Int?) -> Double {
        guard let count = alleleCount, let number = alleleNumber, number > 0 else { return 0 }
        return Double(count) / Double(number)
    }
}
