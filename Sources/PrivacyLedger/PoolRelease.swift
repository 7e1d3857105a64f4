import VariantStore

/// Which statistic a release of counts shows, as bits: a pool that has shown one statistic
/// about a subject is charged again when it shows another (an allele count and a count of
/// carriers together tell more than either: how many are homozygous).
public enum ReleasedStatistic {
    /// Allele counts and numbers (an allele frequency).
    public static let alleleCounts: UInt8 = 1
    /// A count of the samples carrying the variant (Beacon biosamples).
    public static let carrierSamples: UInt8 = 2
    /// A count of the people carrying the variant (Beacon individuals).
    public static let carrierPeople: UInt8 = 4
    /// Sample counts by stratum (a cohort summary).
    public static let composition: UInt8 = 8
}

/// One statistic released about one subject over one pool of samples.
public struct PoolRelease: Sendable, Hashable {
    /// The samples the statistic was computed over (by the store's stable sample index).
    public var samples: SampleSet
    /// The released allele frequency (perturbed AC / AN as shown), `0...1`. For a release
    /// that shows no frequency (a presence answer), pass 0: the worst case (the rarest allele).
    /// Never pass a value the answer does not reveal: the ledger's decision must depend only
    /// on what is released.
    public var frequency: Double
    /// The variance of the perturbation of the released count (0 when exact).
    public var noiseVariance: Double
    /// Whether only presence was released (a Beacon boolean, or "found" without counts):
    /// charged at most ``MembershipSignal/presenceCap(minimumCount:)`` per cell.
    public var presenceOnly: Bool
    /// For a presence-only release: what its outcome told one person, charged once per person
    /// (``MembershipSignal/threshold(count:threshold:shift:above:)``); nil charges the presence cap.
    public var presenceCharge: Double?
    /// For counts, which statistic (``ReleasedStatistic``); ignored for presence.
    public var statistic: UInt8

    /// A release; see the properties.
    public init(samples: SampleSet, frequency: Double, noiseVariance: Double = 0, presenceOnly: Bool = false, presenceCharge: Double? = nil,
                statistic: UInt8 = ReleasedStatistic.alleleCounts) {
        self.presenceCharge = presenceCharge
        self.statistic = statistic
        self.samples = samples
        self.frequency = frequency
        self.noiseVariance = noiseVariance
        self.presenceOnly = presenceOnly
    }
}

/// Everything one request releases about one subject: a variant (`chr1:12345:A:G`, 1-based
/// VCF position) or `summary` for cohort-summary counts, over one or more pools.
public struct SubjectRelease: Sendable, Hashable {
    /// The subject's stable name (the same variant must always get the same name).
    public var subject: String
    /// The pools released about it in this request (the whole cohort, strata, ...).
    public var pools: [PoolRelease]

    /// A subject's releases.
    public init(subject: String, pools: [PoolRelease]) {
        self.subject = subject
        self.pools = pools
    }
}
