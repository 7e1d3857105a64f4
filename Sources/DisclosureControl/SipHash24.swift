/// SipHash-2-4 (Aumasson and Bernstein, 2012): a keyed 64-bit pseudorandom function.
///
/// Used to derive record keys and noise for ``CellKeyPerturbation`` from a secret, so the
/// values are the same in every process (unlike Swift's `Hasher`, which is seeded per process)
/// and unpredictable without the secret. Checked against the reference test vectors.
public struct SipHash24: Sendable, Hashable {
    /// The first key word (key bytes 0..<8, little-endian).
    public let key0: UInt64
    /// The second key word (key bytes 8..<16, little-endian).
    public let key1: UInt64

    /// A hash keyed by two 64-bit words.
    public init(key0: UInt64, key1: UInt64) {
        self.key0 = key0
        self.key1 = key1
    }

    /// A hash keyed by exactly 16 bytes (as the reference implementation reads them);
    /// nil for any other length.
    public init?(key: some Collection<UInt8>) {
        guard key.count == 16 else { return nil }
        let bytes = Array(key)
        self.init(key0: Self.littleEndianWord(bytes[0..<8]), key1: Self.littleEndianWord(bytes[8..<16]))
    }

    /// The hash of a byte string.
    public func hash(_ message: some Sequence<UInt8>) -> UInt64 {
        var state = State(self)
        for byte in message { state.append(byte) }
        return state.finalize()
    }

    /// The hash of one 64-bit word as its 8 little-endian bytes (the same value as
    /// `hash(bytes)`, without building the byte string).
    public func hash(word: UInt64) -> UInt64 {
        var state = State(self)
        state.append(word: word)
        return state.finalize()
    }

    static func littleEndianWord(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.reversed().reduce(0) { ($0 << 8) | UInt64($1) }
    }

    /// The running state over a message fed piece by piece.
    struct State {
        private var v0: UInt64
        private var v1: UInt64
        private var v2: UInt64
        private var v3: UInt64
        /// Bytes of the current, incomplete 8-byte block (little-endian).
        private var tail: UInt64 = 0
        private var tailCount: UInt64 = 0
        /// Message length in bytes (only its low byte enters the hash, as specified).
        private var length: UInt64 = 0

        init(_ hash: SipHash24) {
            v0 = hash.key0 ^ 0x736f_6d65_7073_6575
            v1 = hash.key1 ^ 0x646f_7261_6e64_6f6d
            v2 = hash.key0 ^ 0x6c79_6765_6e65_7261
            v3 = hash.key1 ^ 0x7465_6462_7974_6573
        }

        mutating func append(_ byte: UInt8) {
            tail |= UInt64(byte) << (8 &* tailCount)
            tailCount &+= 1
            length &+= 1
            if tailCount == 8 {
                compress(tail)
                tail = 0
                tailCount = 0
            }
        }

        /// Appends the 8 little-endian bytes of `word`.
        mutating func append(word: UInt64) {
            if tailCount == 0 {
                length &+= 8
                compress(word)
            } else {
                for shift in stride(from: UInt64(0), to: 64, by: 8) { append(UInt8(truncatingIfNeeded: word >> shift)) }
            }
        }

        /// Appends a string's UTF-8 bytes preceded by their count, so that no two
        /// sequences of strings feed the same bytes.
        mutating func append(lengthPrefixed string: String) {
            append(word: UInt64(truncatingIfNeeded: string.utf8.count))
            for byte in string.utf8 { append(byte) }
        }

        mutating func finalize() -> UInt64 {
            compress(((length & 0xff) << 56) | tail)
            v2 ^= 0xff
            round(); round(); round(); round()
            return v0 ^ v1 ^ v2 ^ v3
        }

        private mutating func compress(_ block: UInt64) {
            v3 ^= block
            round(); round()
            v0 ^= block
        }

        private mutating func round() {
            v0 &+= v1; v1 = rotate(v1, 13); v1 ^= v0; v0 = rotate(v0, 32)
            v2 &+= v3; v3 = rotate(v3, 16); v3 ^= v2
            v0 &+= v3; v3 = rotate(v3, 21); v3 ^= v0
            v2 &+= v1; v1 = rotate(v1, 17); v1 ^= v2; v2 = rotate(v2, 32)
        }

        private func rotate(_ value: UInt64, _ bits: UInt64) -> UInt64 {
            (value << bits) | (value >> (64 &- bits))
        }
    }
}
