import Foundation

/// One accepted request as stored: the pools it registered and each account's charge.
/// Replaying the entries in order rebuilds the registry and every account exactly.
struct LedgerEntry: Sendable {
    /// One account's part of the request.
    struct StoredCharge: Sendable {
        var account: LedgerAccountKey
        var plan: AccountPlan
    }

    /// When it was accepted (milliseconds since 1970).
    var time: Int64
    /// Pools registered by the request, with their ids (consecutive, from the registry's next).
    var newPools: [(id: Int64, shape: PoolShape)]
    /// Each account's charge.
    var charges: [StoredCharge]

    /// Kind 2 adds each release's statistics; kind 1 (without them: allele counts) still reads.
    static let kind: UInt8 = 2
    /// The most words (64 samples each) one stored pool may have: 2^26 samples.
    static let maximumPoolWords = 1 << 20

    /// The record's payload: kind, time, pools (id, word count, words), charges (account,
    /// added, spent after, exposure record, releases). Integers and doubles little-endian;
    /// strings as a UInt32 byte count and UTF-8.
    func encoded() -> [UInt8] {
        var writer = LedgerByteWriter()
        writer.byte(Self.kind)
        writer.int64(time)
        writer.uint32(UInt32(newPools.count))
        for (id, shape) in newPools {
            writer.int64(id)
            writer.uint32(UInt32(shape.words.count))
            for word in shape.words { writer.uint64(word) }
        }
        writer.uint32(UInt32(charges.count))
        for charge in charges {
            writer.string(charge.account.rawValue)
            writer.double(charge.plan.added)
            writer.double(charge.plan.spentAfter)
            ExposureRecord.append(charge.plan.exposure, to: &writer.bytes)
            writer.uint32(UInt32(charge.plan.releases.count))
            for (subject, released) in charge.plan.releases {
                writer.string(subject)
                writer.int64(released.pool)
                writer.double(released.frequency)
                writer.double(released.noiseVariance)
                writer.byte(released.presenceOnly ? 1 : 0)
                writer.byte(released.statistics)
                if let presenceCharge = released.presenceCharge {
                    writer.byte(1)
                    writer.double(presenceCharge)
                } else {
                    writer.byte(0)
                }
            }
        }
        return writer.bytes
    }

    /// Reads ``encoded()`` output (the record at byte `offset` of the file, for messages).
    init(decoding payload: [UInt8], at offset: Int) throws(LedgerDamage) {
        var reader = LedgerByteReader(bytes: payload, what: "the record at byte \(offset)")
        let kind = try reader.byte()
        guard kind == 1 || kind == Self.kind else { throw reader.damage("is of an unknown kind") }
        time = try reader.int64()
        let poolCount = try reader.count(limit: payload.count / 12)
        newPools = []
        for _ in 0..<poolCount {
            let id = try reader.int64()
            let wordCount = try reader.count(limit: Self.maximumPoolWords)
            var words: [UInt64] = []
            words.reserveCapacity(wordCount)
            for _ in 0..<wordCount { words.append(try reader.uint64()) }
            guard words.last != 0 else { throw reader.damage("has a pool with trailing empty words") }
            newPools.append((id, PoolShape(words: words)))
        }
        let chargeCount = try reader.count(limit: payload.count / 20)
        charges = []
        for _ in 0..<chargeCount {
            let stored = try reader.string()
            guard let account = LedgerAccountKey(stored: stored) else { throw reader.damage("names account \(stored)") }
            var plan = AccountPlan()
            plan.added = try reader.double()
            plan.spentAfter = try reader.double()
            guard plan.added.isFinite && plan.spentAfter.isFinite else { throw reader.damage("has a charge with invalid figures") }
            plan.exposure = try ExposureRecord.read(from: &reader)
            let releaseCount = try reader.count(limit: payload.count / 30)
            for _ in 0..<releaseCount {
                let subject = try reader.string()
                let pool = try reader.int64()
                let frequency = try reader.double(), noiseVariance = try reader.double()
                let presenceOnly = try reader.flag()
                let statistics = kind == 1 ? (presenceOnly ? 0 : ReleasedStatistic.alleleCounts) : try reader.byte()
                let presenceCharge: Double? = try reader.flag() ? try reader.double() : nil
                var released = ReleasedPool(pool: pool, frequency: frequency, noiseVariance: noiseVariance,
                                            presenceOnly: presenceOnly, presenceCharge: presenceCharge)
                released.statistics = statistics
                guard released.isValid else { throw reader.damage("has a release with invalid figures") }
                plan.releases.append((subject, released))
            }
            charges.append(StoredCharge(account: account, plan: plan))
        }
        guard reader.isAtEnd else { throw reader.damage("has \(payload.count - reader.position) unexpected trailing bytes") }
    }

    /// Whether an entry of these can be written and read back (``ExposureRecord/isRecordable(_:)``,
    /// pools within ``maximumPoolWords``): checked before a charge is applied.
    static func isRecordable(newPools: [PoolShape], charges: [StoredCharge]) -> Bool {
        newPools.allSatisfy { $0.words.count <= maximumPoolWords }
            && charges.allSatisfy { ExposureRecord.isRecordable($0.plan.exposure) && $0.plan.added.isFinite }
    }

    init(time: Int64, newPools: [(id: Int64, shape: PoolShape)], charges: [StoredCharge]) {
        self.time = time
        self.newPools = newPools
        self.charges = charges
    }
}

/// Little-endian fields appended to a byte array.
struct LedgerByteWriter {
    var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(256) }

    mutating func byte(_ value: UInt8) { bytes.append(value) }
    mutating func uint32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func uint64(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func int64(_ value: Int64) { uint64(UInt64(bitPattern: value)) }
    mutating func double(_ value: Double) { uint64(value.bitPattern) }
    mutating func string(_ value: String) {
        let utf8 = Array(value.utf8)
        uint32(UInt32(utf8.count))
        bytes += utf8
    }
}

/// Reads ``LedgerByteWriter`` fields; every read is bounded by what is left.
struct LedgerByteReader {
    let bytes: [UInt8]
    let what: String
    private(set) var position = 0

    init(bytes: [UInt8], what: String) {
        self.bytes = bytes
        self.what = what
    }

    var isAtEnd: Bool { position == bytes.count }

    func damage(_ message: String) -> LedgerDamage { LedgerDamage("\(what) \(message)") }

    private mutating func take(_ count: Int) throws(LedgerDamage) -> ArraySlice<UInt8> {
        guard count >= 0, bytes.count - position >= count else { throw damage("is truncated") }
        defer { position += count }
        return bytes[position..<(position + count)]
    }

    mutating func byte() throws(LedgerDamage) -> UInt8 { try take(1).first! }
    mutating func array(_ count: Int) throws(LedgerDamage) -> [UInt8] { Array(try take(count)) }

    mutating func flag() throws(LedgerDamage) -> Bool {
        switch try byte() {
        case 0: return false
        case 1: return true
        default: throw damage("has a flag that is neither 0 nor 1")
        }
    }

    mutating func uint32() throws(LedgerDamage) -> UInt32 {
        var value: UInt32 = 0
        for (index, byte) in try take(4).enumerated() { value |= UInt32(byte) << UInt32(index * 8) }
        return value
    }

    mutating func uint64() throws(LedgerDamage) -> UInt64 {
        var value: UInt64 = 0
        for (index, byte) in try take(8).enumerated() { value |= UInt64(byte) << UInt64(index * 8) }
        return value
    }

    mutating func int64() throws(LedgerDamage) -> Int64 { Int64(bitPattern: try uint64()) }
    mutating func double() throws(LedgerDamage) -> Double { Double(bitPattern: try uint64()) }

    /// A UInt32 count, at most `limit`.
    mutating func count(limit: Int) throws(LedgerDamage) -> Int {
        let value = Int(try uint32())
        guard value <= limit else { throw damage("holds a count (\(value)) larger than its bytes allow") }
        return value
    }

    mutating func string() throws(LedgerDamage) -> String {
        let count = try self.count(limit: bytes.count - position)
        let utf8 = try take(count)
        guard let value = String(validating: utf8, as: UTF8.self) else { throw damage("holds text that is not UTF-8") }
        return value
    }
}

/// A stored ledger that does not replay (a damaged or foreign file).
struct LedgerDamage: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
