/// Reads a stored blob front to back; every read checks bounds and throws ``VariantStoreError``
/// (`malformed_blob`) instead of trapping.
struct ByteReader {
    private let bytes: [UInt8]
    private(set) var offset: Int
    private let what: String

    /// `what` names the blob in error messages ("sample set", "genotype summary").
    init(_ bytes: [UInt8], what: String) {
        self.bytes = bytes
        self.offset = 0
        self.what = what
    }

    var isAtEnd: Bool { offset == bytes.count }
    var remainingCount: Int { bytes.count - offset }

    mutating func readByte() throws -> UInt8 {
        guard offset < bytes.count else { throw malformed("ends early at byte \(offset)") }
        defer { offset += 1 }
        return bytes[offset]
    }

    /// An unsigned LEB128 varint no larger than `limit`.
    mutating func readVarint(limit: UInt64 = UInt64(UInt32.max)) throws -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let start = offset
            let byte = try readByte()
            guard shift < 63 else { throw malformed("has an over-long number at byte \(start)") }
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 {
                if byte == 0 && shift > 0 { throw malformed("has a non-canonical number at byte \(start)") }
                break
            }
            shift += 7
        }
        guard value <= limit else { throw malformed("has a number \(value) above \(limit) at byte \(offset)") }
        return value
    }

    /// The next `count` bytes.
    mutating func readBytes(_ count: Int) throws -> ArraySlice<UInt8> {
        guard count >= 0, count <= remainingCount else { throw malformed("ends early: needs \(count) bytes at byte \(offset), has \(remainingCount)") }
        defer { offset += count }
        return bytes[offset..<(offset + count)]
    }

    func malformed(_ reason: String) -> VariantStoreError {
        VariantStoreError(.malformedBlob, "The stored \(what) is corrupt: it \(reason). Re-create the store from the source VCFs.")
    }
}

/// Appends unsigned LEB128 varints.
enum Varint {
    static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        var remaining = value
        while remaining >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: remaining) | 0x80)
            remaining >>= 7
        }
        bytes.append(UInt8(remaining))
    }

    static func size(of value: UInt64) -> Int {
        var size = 1
        var remaining = value >> 7
        while remaining != 0 {
            size += 1
            remaining >>= 7
        }
        return size
    }
}
