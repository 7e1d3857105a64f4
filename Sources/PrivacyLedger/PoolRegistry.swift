import VariantStore

/// A pool's samples in the ledger's canonical form: the membership bitmap without trailing
/// zero words, so the same members always give the same shape whatever the set's capacity.
public struct PoolShape: Sendable, Hashable {
    /// Bit `i % 64` of word `i / 64` is sample `i`; the last word (if any) is nonzero.
    public let words: [UInt64]
    /// The number of samples.
    public let count: Int

    /// The canonical shape of `samples`.
    public init(_ samples: SampleSet) {
        let all = samples.bitmapWords
        var end = all.count
        while end > 0 && all[end - 1] == 0 { end -= 1 }
        words = end == all.count ? all : Array(all[0..<end])
        var total = 0
        for word in words { total &+= word.nonzeroBitCount }
        count = total
    }

    /// The shape of `words` (whose last word, if any, must be nonzero).
    init(words: [UInt64]) {
        self.words = words
        var total = 0
        for word in words { total &+= word.nonzeroBitCount }
        count = total
    }
}

/// Every distinct pool the ledger has seen, by id (1, 2, ...). Pools are shared by all
/// accounts and never removed: the same set of samples always has the same id.
public struct PoolRegistry: Sendable {
    private var shapes: [PoolShape] = []
    private var ids: [[UInt64]: Int64] = [:]

    /// An empty registry.
    public init() {}

    /// The number of pools.
    public var count: Int { shapes.count }

    /// The id the next new pool gets.
    public var nextID: Int64 { Int64(shapes.count + 1) }

    /// The id of `shape`, if registered.
    public func id(of shape: PoolShape) -> Int64? { ids[shape.words] }

    /// The shape of pool `id` (which must be registered).
    public func shape(_ id: Int64) -> PoolShape { shapes[Int(id - 1)] }

    /// Registers `shape` as pool `id`, which must be ``nextID``.
    public mutating func register(_ shape: PoolShape, id: Int64) {
        precondition(id == nextID && ids[shape.words] == nil, "pool \(id) registered out of order")
        shapes.append(shape)
        ids[shape.words] = id
    }

    /// The request's releases with every pool given an id: registered pools keep theirs,
    /// new ones get ``nextID`` onwards (listed in ``ResolvedRequest/newPools``, registered by
    /// the ledger only once the request is accepted). Releases of one subject are merged, in
    /// order of first appearance; numbers are sanitised (a NaN frequency becomes 0, the worst
    /// case; a negative or NaN variance 0).
    public func resolve(_ releases: [SubjectRelease]) -> ResolvedRequest {
        var request = ResolvedRequest()
        var newIDs: [[UInt64]: Int64] = [:]
        var subjectIndex: [String: Int] = [:]
        for release in releases {
            var resolved: [ResolvedPool] = []
            resolved.reserveCapacity(release.pools.count)
            for pool in release.pools {
                let shape = PoolShape(pool.samples)
                let id: Int64
                if let known = ids[shape.words] ?? newIDs[shape.words] {
                    id = known
                } else {
                    id = nextID + Int64(request.newPools.count)
                    newIDs[shape.words] = id
                    request.newPools.append(shape)
                }
                let frequency = pool.frequency.isNaN ? 0 : min(max(pool.frequency, 0), 1)
                let variance = pool.noiseVariance.isNaN || pool.noiseVariance < 0 ? 0 : min(pool.noiseVariance, 1e300)
                resolved.append(ResolvedPool(id: id, shape: shape, released: ReleasedPool(pool: id, frequency: frequency, noiseVariance: variance, presenceOnly: pool.presenceOnly,
                                                                                               presenceCharge: pool.presenceCharge.map { $0.isNaN ? 1000 : min(max($0, 0), 1000) },
                                                                                               statistics: pool.statistic)))
            }
            if let index = subjectIndex[release.subject] {
                request.subjects[index].pools += resolved
            } else {
                subjectIndex[release.subject] = request.subjects.count
                request.subjects.append((release.subject, resolved))
            }
        }
        return request
    }

    /// Registers the new pools of an accepted request.
    public mutating func register(_ request: ResolvedRequest) {
        for shape in request.newPools { register(shape, id: nextID) }
    }
}

/// One pool of a request, with its id.
public struct ResolvedPool: Sendable {
    /// The pool id (registered, or about to be).
    public var id: Int64
    /// The pool's samples.
    public var shape: PoolShape
    /// What is recorded for the subject.
    public var released: ReleasedPool
}

/// A request's releases with pool ids (``PoolRegistry/resolve(_:)``).
public struct ResolvedRequest: Sendable {
    /// Each subject once, with all its pools in this request.
    public var subjects: [(subject: String, pools: [ResolvedPool])] = []
    /// Pools not yet registered, in id order from the registry's ``PoolRegistry/nextID``.
    public var newPools: [PoolShape] = []
}

/// A pool released about a subject to an account, as recorded.
public struct ReleasedPool: Sendable, Hashable {
    /// The pool id.
    public var pool: Int64
    /// The released frequency (0 when none was shown).
    public var frequency: Double
    /// The variance of the released count's perturbation.
    public var noiseVariance: Double
    /// Whether only presence has been released over this pool for the subject.
    public var presenceOnly: Bool
    /// For a presence-only release, what it told one person (nil: the presence cap).
    public var presenceCharge: Double?
    /// The statistics shown over this pool (``ReleasedStatistic`` bits; 0 for presence only).
    public var statistics: UInt8

    /// Whether the figures are what ``PoolRegistry/resolve(_:)`` produces: a frequency in
    /// 0...1, a finite variance of at least 0, a presence charge in 0...1000 (checked on replay).
    var isValid: Bool {
        pool >= 1 && (0...1).contains(frequency) && noiseVariance.isFinite && noiseVariance >= 0
            && presenceCharge.map { (0...1000).contains($0) } ?? true && presenceOnly == (statistics == 0)
    }

    /// A record; see the properties. `statistics` nil: allele counts, or none for presence.
    public init(pool: Int64, frequency: Double, noiseVariance: Double, presenceOnly: Bool, presenceCharge: Double? = nil, statistics: UInt8? = nil) {
        self.pool = pool
        self.frequency = frequency
        self.noiseVariance = noiseVariance
        self.presenceOnly = presenceOnly
        self.presenceCharge = presenceCharge
        self.statistics = presenceOnly ? 0 : Swift.max(statistics ?? ReleasedStatistic.alleleCounts, 1)
    }
}
