/// The people of one pool: runs of consecutive person numbers that hold the same number of the
/// pool's samples, and the pool's samples without a person (``Person/unmapped(sample:)``).
/// A release over a whole pool charges its people from these runs without reading its samples
/// again: for a cohort of people with two samples each, one run.
struct PoolPeople: Sendable {
    /// People `first ..< first + count`, each holding `samples` of the pool's samples.
    struct Run: Sendable, Equatable {
        var first: Int
        var count: Int
        var samples: Int
    }

    /// Mapped people in increasing order.
    private(set) var runs: [Run] = []
    /// Samples without a person (stored numbers, in increasing sample order).
    private(set) var lone: [Person] = []

    /// The people of `shape` under `personOfSample`.
    init(shape: PoolShape, personOfSample: [Int]) {
        var held: [Int] = []
        personOfSample.withUnsafeBufferPointer { map in
            for (wordIndex, word) in shape.words.enumerated() {
                var remaining = word
                while remaining != 0 {
                    let sample = wordIndex << 6 | remaining.trailingZeroBitCount
                    remaining &= remaining &- 1
                    let person = Person.of(sample, in: map)
                    if person.stored >= 0 {
                        if person.stored >= held.count { held.append(contentsOf: repeatElement(0, count: person.stored + 1 - held.count)) }
                        held[person.stored] += 1
                    } else {
                        lone.append(person)
                    }
                }
            }
        }
        var person = 0
        while person < held.count {
            let samples = held[person]
            var end = person + 1
            while end < held.count && held[end] == samples { end += 1 }
            if samples > 0 { runs.append(Run(first: person, count: end - person, samples: samples)) }
            person = end
        }
    }
}

/// ``PoolPeople`` per pool id, valid for one person mapping (cleared when the mapping changes, as
/// after an ingest or a withdrawal). Used under the ledger's lock only.
final class PoolPeopleCache {
    /// The most pools kept (a bound on memory; past it the cache starts again).
    static let capacity = 4_096
    private var mapping: [Int] = []
    private var pools: [Int64: (words: [UInt64], people: PoolPeople)] = [:]

    /// The people of pool `id` (`shape`) under `personOfSample`. An id is checked against its
    /// shape: a request refused before registering its new pools leaves their ids to others.
    func people(of id: Int64, shape: PoolShape, personOfSample: [Int]) -> PoolPeople {
        // Equal arrays sharing storage compare in O(1): the catalog keeps one mapping per state.
        if mapping != personOfSample {
            mapping = personOfSample
            pools = [:]
        }
        if let known = pools[id], known.words == shape.words { return known.people }
        if pools.count >= Self.capacity { pools = [:] }
        let people = PoolPeople(shape: shape, personOfSample: personOfSample)
        pools[id] = (shape.words, people)
        return people
    }
}
