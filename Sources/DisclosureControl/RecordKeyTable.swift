/// The record keys of sample indexes `0..<capacity`, computed once, for fast cell keys.
///
/// Made by ``CellKeyPerturbation/recordKeys(capacity:)``; rebuild it when the store's
/// sample capacity grows (indexes beyond the table are still answered, by hashing them).
public struct RecordKeyTable: Sendable {
    /// The largest table built (64 Mi samples, the store's largest sample set; 512 MiB).
    public static let maximumCapacity = 1 << 26

    /// `keys[i]` is the record key of sample index `i`.
    public let keys: [UInt64]
    private let hash: SipHash24

    init(hash: SipHash24, capacity: Int) {
        self.hash = hash
        let clamped = min(max(capacity, 0), Self.maximumCapacity)
        self.keys = (0..<clamped).map { hash.hash(word: UInt64($0)) }
    }

    /// The number of precomputed keys.
    public var capacity: Int { keys.count }

    /// The record key of one sample index (the same value as
    /// ``CellKeyPerturbation/recordKey(ofSample:)``).
    public func recordKey(ofSample index: Int) -> UInt64 {
        if index >= 0, index < keys.count { return keys[index] }
        return hash.hash(word: UInt64(bitPattern: Int64(index)))
    }

    /// The cell key of the given contributors (e.g. a `SampleSet`, which iterates its members):
    /// the wrapping sum of their record keys.
    public func cellKey(contributors: some Sequence<Int>) -> UInt64 {
        contributors.reduce(0) { $0 &+ recordKey(ofSample: $1) }
    }

    /// The cell key of a bitset: bit `i % 64` of `words[i / 64]` set means sample `i`
    /// contributes (the layout of VariantStore's `SampleSet`).
    public func cellKey(bitsetWords words: some Sequence<UInt64>) -> UInt64 {
        var sum: UInt64 = 0
        var base = 0
        for word in words {
            var remaining = word
            while remaining != 0 {
                let bit = remaining.trailingZeroBitCount
                sum &+= recordKey(ofSample: base &+ bit)
                remaining &= remaining &- 1
            }
            base &+= 64
        }
        return sum
    }
}
