/// One account's added exposure as stored (``ExposureChange``): a magic word, then runs of
/// people with consecutive stored numbers charged the same amount, 20 bytes each (first
/// person: Int64, count: UInt32, amount bits: UInt64; little-endian), in increasing stored
/// number (samples without a person, whose stored numbers are negative, first). A release over
/// a whole cohort is one run, whatever the cohort's size.
///
/// The first form (16 bytes per person: stored number, amount bits), written by early
/// `privacy.sqlite` stores, still reads.
enum ExposureRecord {
    /// The first 8 bytes of the run form: as a person number of the first form it is out of
    /// range, so the two forms never read as each other.
    static let runsMagic: UInt64 = 0x4747_5255_4E53_0001
    /// The most people a stored record may name, and one more than the largest person number
    /// (a bound on what replay allocates: 32 MiB of exposure per account).
    static let maximumPeople = 1 << 22

    /// The record of `change` (empty when nobody is charged).
    static func encode(_ change: ExposureChange) -> [UInt8] {
        guard !change.isEmpty else { return [] }
        var writer = LedgerByteWriter()
        writer.uint64(runsMagic)
        // Lone samples one run each (a run of them would expand on reading), in increasing
        // stored number (the reverse of their sample order).
        let lone = change.lone.reversed().map { ExposureChange.Run(first: $0.person.stored, count: 1, amount: $0.amount) }
        for run in lone + change.runs {
            writer.int64(Int64(run.first))
            writer.uint32(UInt32(run.count))
            writer.double(run.amount)
        }
        return writer.bytes
    }

    /// Reads a record in either form; throws ``LedgerDamage`` naming `what` for anything else.
    /// Runs of lone samples longer than one are read only from an early store (`loneRuns`):
    /// the ledger file never writes them, so a file holding one is refused rather than expanded.
    static func decode(_ bytes: [UInt8], what: String, loneRuns: Bool = false) throws(LedgerDamage) -> ExposureChange {
        var reader = LedgerByteReader(bytes: bytes, what: what)
        guard !bytes.isEmpty else { return ExposureChange() }
        func checked(_ amount: Double) throws(LedgerDamage) -> Double {
            guard amount.isFinite && amount >= 0 else { throw reader.damage("has an invalid exposure record") }
            return amount
        }
        var change = ExposureChange()
        var lone: [AccountPlan.Delta] = []
        if bytes.count >= 8, try reader.uint64() == runsMagic {
            guard (bytes.count - 8) % 20 == 0 else { throw reader.damage("has a truncated exposure record") }
            var next = Int64.min, people = 0
            while !reader.isAtEnd {
                let first = try reader.int64(), count = Int(try reader.uint32()), amount = try checked(try reader.double())
                people += count
                guard count >= 1, first >= next, first >= -Int64(maximumPeople), first + Int64(count) <= Int64(maximumPeople),
                      people <= maximumPeople, loneRuns || first >= 0 || count == 1 else {
                    throw reader.damage("has an invalid exposure record")
                }
                next = first + Int64(count)
                if first < 0 {
                    for stored in first..<Swift.min(next, 0) { lone.append(AccountPlan.Delta(person: Person(stored: Int(stored)), amount: amount)) }
                }
                if next > 0 {
                    let start = Swift.max(first, 0)
                    change.append(ExposureChange.Run(first: Int(start), count: Int(next - start), amount: amount))
                }
            }
        } else {
            guard bytes.count % 16 == 0 else { throw reader.damage("has a truncated exposure record") }
            reader = LedgerByteReader(bytes: bytes, what: what)
            var deltas: [AccountPlan.Delta] = []
            while !reader.isAtEnd {
                let stored = try reader.int64(), amount = try checked(try reader.double())
                guard stored >= -Int64(maximumPeople), stored < Int64(maximumPeople) else { throw reader.damage("has an invalid exposure record") }
                deltas.append(AccountPlan.Delta(person: Person(stored: Int(stored)), amount: amount))
            }
            return ExposureChange(deltas: deltas)
        }
        for delta in lone.reversed() { change.appendLone(delta.person, amount: delta.amount) }
        return change
    }

    /// Appends the record's byte count (UInt32) and the record.
    static func append(_ change: ExposureChange, to bytes: inout [UInt8]) {
        let record = encode(change)
        withUnsafeBytes(of: UInt32(record.count).littleEndian) { bytes.append(contentsOf: $0) }
        bytes += record
    }

    /// Whether `change` can be stored and read back: people and lone samples within
    /// ``maximumPeople``, every amount finite and at least 0.
    static func isRecordable(_ change: ExposureChange) -> Bool {
        if let last = change.runs.last, last.first + last.count > maximumPeople { return false }
        return change.runs.allSatisfy { $0.amount.isFinite && $0.amount >= 0 }
            && change.lone.allSatisfy { $0.person.stored >= -maximumPeople && $0.amount.isFinite && $0.amount >= 0 }
    }

    /// Reads what ``append(_:to:)`` wrote.
    static func read(from reader: inout LedgerByteReader) throws(LedgerDamage) -> ExposureChange {
        let count = try reader.count(limit: reader.bytes.count - reader.position)
        return try decode(try reader.array(count), what: reader.what)
    }
}
