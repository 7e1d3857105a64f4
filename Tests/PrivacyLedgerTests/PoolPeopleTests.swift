import Testing
import VariantStore
@testable import PrivacyLedger

/// Charging a whole pool from its cached people (``PoolPeople``) gives what reading its samples
/// gives: the same people, the same amounts (up to rounding), the same refusals.
@Suite("Privacy ledger: whole pools charged from their people")
struct PoolPeopleTests {
    /// 60 people, two samples each, and four samples without a person (120...123); person 7 has
    /// a third sample (124).
    static let personOfSample: [Int] = (0..<120).map { $0 / 2 } + [-1, -1, -1, -1, 7]
    static let capacity = 125

    static func pool(_ samples: some Sequence<Int>) -> SampleSet { SampleSet(capacity: capacity, members: samples) }

    static let requests: [(String, [SubjectRelease])] = {
        let evenPeople: [Int] = stride(from: 0, to: 60, by: 2).flatMap { (person: Int) -> [Int] in [2 * person, 2 * person + 1] }
        let everyone = pool(0..<125), evens = pool(evenPeople)
        let noLone = pool(0..<120), tumours = pool(stride(from: 0, to: 120, by: 2))
        func counts(_ subject: String, _ pools: SampleSet..., frequency: Double = 0.3) -> SubjectRelease {
            SubjectRelease(subject: subject, pools: pools.map { PoolRelease(samples: $0, frequency: frequency, noiseVariance: 2) })
        }
        func listing(_ subject: String, _ pool: SampleSet) -> SubjectRelease {
            SubjectRelease(subject: subject, pools: [PoolRelease(samples: pool, frequency: 0, presenceOnly: true, presenceCharge: 0.006)])
        }
        return [
            ("one pool: listing and counts", [listing("v1|listed", everyone), counts("v1", everyone)]),
            ("a pool with gaps", [counts("v2", evens, frequency: 0.1)]),
            ("one sample per person", [counts("v3", tumours)]),
            ("two pools in one request", [counts("v4", noLone), counts("v5", evens)]),
            ("a pool and its strata (split cells)", [counts("v6", everyone, evens)]),
            ("presence only", [listing("v7|listed", noLone)]),
        ]
    }()

    @Test("the same exposure with and without the cache", arguments: requests.indices)
    func sameCharges(index: Int) throws {
        let (label, releases) = Self.requests[index]
        let settings = PrivacySettings()
        let cap = MembershipSignal.presenceCap(minimumCount: settings.minimumCellCount)
        let registry = PoolRegistry()
        let request = registry.resolve(releases)
        let account = DisclosureAccount()
        let read = try #require(account.plan(request, pools: registry, personOfSample: Self.personOfSample, settings: settings, presenceCap: cap).value)
        let cached = try #require(account.plan(request, pools: registry, personOfSample: Self.personOfSample, settings: settings, presenceCap: cap,
                                               people: PoolPeopleCache()).value)
        let readDeltas = read.deltas, cachedDeltas = cached.deltas
        #expect(readDeltas.map(\.person) == cachedDeltas.map(\.person), "\(label): the same people")
        for (left, right) in zip(readDeltas, cachedDeltas) {
            #expect(abs(left.amount - right.amount) <= 1e-12 * max(1, left.amount), "\(label): \(left.person) \(left.amount) vs \(right.amount)")
        }
        #expect(!readDeltas.isEmpty && abs(read.added - cached.added) <= 1e-12, "\(label)")
        #expect(read.releases.count == cached.releases.count)
    }

    @Test("a whole cohort of two samples a person is one run; a gap splits it")
    func runs() {
        let everyone = PoolPeople(shape: PoolShape(Self.pool(0..<120)), personOfSample: Self.personOfSample)
        #expect(everyone.runs == [.init(first: 0, count: 60, samples: 2)] && everyone.lone.isEmpty)
        let withLone = PoolPeople(shape: PoolShape(Self.pool(0..<125)), personOfSample: Self.personOfSample)
        #expect(withLone.runs == [.init(first: 0, count: 7, samples: 2), .init(first: 7, count: 1, samples: 3), .init(first: 8, count: 52, samples: 2)])
        #expect(withLone.lone.map(\.stored) == [-121, -122, -123, -124])
    }

    @Test("the cache starts again when the person mapping changes")
    func mappingChange() {
        let cache = PoolPeopleCache()
        let shape = PoolShape(Self.pool(0..<4))
        #expect(cache.people(of: 1, shape: shape, personOfSample: [0, 0, 1, 1]).runs == [.init(first: 0, count: 2, samples: 2)])
        #expect(cache.people(of: 1, shape: shape, personOfSample: [0, 1, 2, 3]).runs == [.init(first: 0, count: 4, samples: 1)])
    }
}
