/// The storage form of a ``SampleSet``: a 1-byte tag, the capacity, then either a bitmap
/// (dense) or the sorted member indexes as gaps (sparse), whichever is smaller.
///
/// Layout (numbers are unsigned LEB128 varints):
/// - dense:  `0x01 capacity bitmap[ceil(capacity / 8)]`, bit `i % 8` of byte `i / 8` = sample `i`;
/// - sparse: `0x02 capacity count first (next - previous - 1)...`.
extension SampleSet {
    enum SerializationTag: UInt8 {
        case dense = 1
        case sparse = 2
    }

    /// The compact storage form (dense or sparse, whichever is smaller).
    public func serialized() -> [UInt8] {
        var bytes: [UInt8] = []
        append(to: &bytes)
        return bytes
    }

    /// Decodes ``serialized()`` output; throws `malformed_blob` on any truncated, oversized,
    /// out-of-range, unsorted or trailing data.
    public init(serialized bytes: [UInt8]) throws {
        var reader = ByteReader(bytes, what: "sample set")
        self = try SampleSet.read(from: &reader)
        guard reader.isAtEnd else { throw reader.malformed("has \(reader.remainingCount) unexpected trailing bytes") }
    }

    /// Appends the storage form to `bytes`.
    func append(to bytes: inout [UInt8]) {
        let denseBytes = (capacity + 7) / 8
        let memberCount = count
        // Every sparse entry takes at least one byte, so dense wins outright past that point.
        let useSparse = memberCount < denseBytes && sparsePayloadSize(memberCount: memberCount) < denseBytes
        if useSparse {
            bytes.append(SerializationTag.sparse.rawValue)
            Varint.append(UInt64(capacity), to: &bytes)
            Varint.append(UInt64(memberCount), to: &bytes)
            var previous = -1
            for index in self {
                Varint.append(UInt64(index - previous - 1), to: &bytes)
                previous = index
            }
        } else {
            bytes.append(SerializationTag.dense.rawValue)
            Varint.append(UInt64(capacity), to: &bytes)
            bytes.reserveCapacity(bytes.count + denseBytes)
            var written = 0
            for word in words {
                var remainingWord = word
                for _ in 0..<8 where written < denseBytes {
                    bytes.append(UInt8(truncatingIfNeeded: remainingWord))
                    remainingWord >>= 8
                    written += 1
                }
            }
        }
    }

    private func sparsePayloadSize(memberCount: Int) -> Int {
        var size = Varint.size(of: UInt64(memberCount))
        var previous = -1
        for index in self {
            size += Varint.size(of: UInt64(index - previous - 1))
            previous = index
        }
        return size
    }

    /// Reads one set from `reader`.
    static func read(from reader: inout ByteReader) throws -> SampleSet {
        let tagOffset = reader.offset
        let tagByte = try reader.readByte()
        guard let tag = SerializationTag(rawValue: tagByte) else {
            throw reader.malformed("has an unknown sample set tag \(tagByte) at byte \(tagOffset)")
        }
        let capacity = Int(try reader.readVarint(limit: UInt64(maximumCapacity)))
        var set = SampleSet(capacity: capacity)
        switch tag {
        case .dense:
            let bitmap = try reader.readBytes((capacity + 7) / 8)
            var byteIndex = 0
            for byte in bitmap {
                set.words[byteIndex >> 3] |= UInt64(byte) << UInt64((byteIndex & 7) * 8)
                byteIndex += 1
            }
            if capacity & 7 != 0, let last = bitmap.last, last >> UInt8(capacity & 7) != 0 {
                throw reader.malformed("has members at or beyond its capacity \(capacity)")
            }
        case .sparse:
            let memberCount = Int(try reader.readVarint(limit: UInt64(capacity)))
            guard memberCount <= reader.remainingCount else {
                throw reader.malformed("claims \(memberCount) members but has only \(reader.remainingCount) bytes left")
            }
            var previous = -1
            for _ in 0..<memberCount {
                let gap = try reader.readVarint(limit: UInt64(capacity))
                let index = previous + 1 + Int(gap)
                guard index < capacity else { throw reader.malformed("has member \(index) at or beyond its capacity \(capacity)") }
                set.words[index >> 6] |= 1 << UInt64(index & 63)
                previous = index
            }
        }
        return set
    }
}
