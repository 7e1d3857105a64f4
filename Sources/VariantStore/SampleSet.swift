/// A set of sample indexes `0..<capacity`, stored as a dense bitmap of 64-bit words.
///
/// Sample index = the sample's bit position in the store (``SampleRecord/index``). Counting a
/// cohort is a popcount: `cohort.intersectionCount(carriers)` allocates nothing.
/// Sets of different capacities combine as if the shorter were padded with absent samples
/// (stores grow as cases arrive); the result of `union` and `intersection` has the larger
/// capacity. Two sets are equal when they have the same capacity and the same members.
/// Inserting or removing an index outside `0..<capacity` is a programming error and traps.
public struct SampleSet: Sendable, Hashable, Sequence {
    /// The largest capacity a set may have (also the limit when decoding a stored set).
    public static let maximumCapacity = 1 << 26

    /// The number of sample indexes the set can hold (`0..<capacity`).
    public private(set) var capacity: Int
    /// Bit `i % 64` of word `i / 64` is set when sample `i` is a member. Bits at or beyond
    /// `capacity` are always clear.
    internal var words: [UInt64]

    /// An empty set for sample indexes `0..<capacity`.
    public init(capacity: Int) {
        precondition(capacity >= 0 && capacity <= Self.maximumCapacity, "SampleSet capacity \(capacity) out of range")
        self.capacity = capacity
        self.words = [UInt64](repeating: 0, count: (capacity + 63) / 64)
    }

    /// A set holding the given indexes; each must be in `0..<capacity`.
    public init(capacity: Int, members: some Sequence<Int>) {
        self.init(capacity: capacity)
        for index in members { insert(index) }
    }

    internal init(capacity: Int, words: [UInt64]) {
        self.capacity = capacity
        self.words = words
    }

    /// The set of every sample `0..<capacity`.
    public static func all(capacity: Int) -> SampleSet {
        var set = SampleSet(capacity: capacity)
        for wordIndex in set.words.indices { set.words[wordIndex] = ~0 }
        set.clearBitsBeyondCapacity()
        return set
    }

    /// Adds `index`; returns whether it was absent before.
    @discardableResult
    public mutating func insert(_ index: Int) -> Bool {
        precondition(index >= 0 && index < capacity, "sample index \(index) outside 0..<\(capacity)")
        let mask: UInt64 = 1 << UInt64(index & 63)
        let wasAbsent = words[index >> 6] & mask == 0
        words[index >> 6] |= mask
        return wasAbsent
    }

    /// Removes `index`; returns whether it was present before.
    @discardableResult
    public mutating func remove(_ index: Int) -> Bool {
        precondition(index >= 0 && index < capacity, "sample index \(index) outside 0..<\(capacity)")
        let mask: UInt64 = 1 << UInt64(index & 63)
        let wasPresent = words[index >> 6] & mask != 0
        words[index >> 6] &= ~mask
        return wasPresent
    }

    /// Whether `index` is a member; `false` for any index outside `0..<capacity`.
    public func contains(_ index: Int) -> Bool {
        guard index >= 0 && index < capacity else { return false }
        return words[index >> 6] & (1 << UInt64(index & 63)) != 0
    }

    /// The number of members (a popcount).
    public var count: Int {
        var total = 0
        for word in words { total &+= word.nonzeroBitCount }
        return total
    }

    /// Whether the set has no members.
    public var isEmpty: Bool { words.allSatisfy { $0 == 0 } }

    /// Members of either set.
    public func union(_ other: SampleSet) -> SampleSet {
        var result = resized(to: Swift.max(capacity, other.capacity))
        for wordIndex in other.words.indices { result.words[wordIndex] |= other.words[wordIndex] }
        return result
    }

    /// Members of both sets.
    public func intersection(_ other: SampleSet) -> SampleSet {
        var result = resized(to: Swift.max(capacity, other.capacity))
        for wordIndex in result.words.indices {
            result.words[wordIndex] &= wordIndex < other.words.count ? other.words[wordIndex] : 0
        }
        return result
    }

    /// Members of this set that are not in `other`.
    public func subtracting(_ other: SampleSet) -> SampleSet {
        var result = self
        for wordIndex in 0..<Swift.min(words.count, other.words.count) { result.words[wordIndex] &= ~other.words[wordIndex] }
        return result
    }

    /// Adds every member of `other`, growing the capacity to `other`'s when it is larger.
    public mutating func formUnion(_ other: SampleSet) {
        if other.capacity > capacity { self = resized(to: other.capacity) }
        for wordIndex in other.words.indices { words[wordIndex] |= other.words[wordIndex] }
    }

    /// `intersection(other).count` without allocating.
    public func intersectionCount(_ other: SampleSet) -> Int {
        words.withUnsafeBufferPointer { left in
            other.words.withUnsafeBufferPointer { right in
                var total = 0
                for wordIndex in 0..<Swift.min(left.count, right.count) {
                    total &+= (left[wordIndex] & right[wordIndex]).nonzeroBitCount
                }
                return total
            }
        }
    }

    /// The same members with a different capacity; members at or beyond `newCapacity` are dropped.
    public func resized(to newCapacity: Int) -> SampleSet {
        precondition(newCapacity >= 0 && newCapacity <= Self.maximumCapacity, "SampleSet capacity \(newCapacity) out of range")
        var newWords = [UInt64](repeating: 0, count: (newCapacity + 63) / 64)
        for wordIndex in 0..<Swift.min(words.count, newWords.count) { newWords[wordIndex] = words[wordIndex] }
        var result = SampleSet(capacity: newCapacity, words: newWords)
        result.clearBitsBeyondCapacity()
        return result
    }

    /// Members in increasing order.
    public func makeIterator() -> Iterator { Iterator(words: words) }

    /// Iterates members in increasing order.
    public struct Iterator: IteratorProtocol {
        private let words: [UInt64]
        private var wordIndex = 0
        private var remaining: UInt64

        fileprivate init(words: [UInt64]) {
            self.words = words
            self.remaining = words.first ?? 0
        }

        public mutating func next() -> Int? {
            while remaining == 0 {
                wordIndex += 1
                guard wordIndex < words.count else { return nil }
                remaining = words[wordIndex]
            }
            let bit = remaining.trailingZeroBitCount
            remaining &= remaining &- 1
            return wordIndex << 6 | bit
        }
    }

    private mutating func clearBitsBeyondCapacity() {
        let usedBits = capacity & 63
        if usedBits != 0 { words[words.count - 1] &= (1 << UInt64(usedBits)) - 1 }
    }
}
