import Foundation
import GatewayCore
import GRDB
import Testing
import VariantStore
@testable import PrivacyLedger

/// The ledger file (`privacy.ledger`): a torn last record (a write cut short by a crash) is cut
/// off and nothing acknowledged is lost; damage anywhere else, or a foreign file, refuses the
/// start; one process at a time; a `privacy.sqlite` of an earlier build is imported once.
@Suite("Privacy ledger: the ledger file")
struct LedgerLogTests {
    static let fixture = LedgerFixture(people: 100)
    static let approval = LedgerAccountKey.approval("A-LOG")
    static let member = LedgerAccountKey.member("m-log")
    static var accounts: [(key: LedgerAccountKey, budget: Double)] { [(approval, 100), (member, 100)] }

    /// Charges `count` subjects (every third over a new pool) and returns both accounts' state.
    static func charge(_ ledger: DisclosureLedger, subjects: Range<Int>) throws -> [LedgerAccountKey: DisclosureAccount] {
        for index in subjects {
            let pool = index % 3 == 0 ? fixture.everyone(except: Set((0..<5).map { ($0 + index) % 100 })) : fixture.everyone
            _ = try ledger.charge([LedgerFixture.subject("chr1:\(index):A:G", pool, frequency: 0.3)], accounts: accounts,
                                  personOfSample: fixture.personOfSample)
        }
        var state: [LedgerAccountKey: DisclosureAccount] = [:]
        for (key, _) in accounts { state[key] = ledger.account(key) }
        return state
    }

    static func size(_ path: String) throws -> Int { try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) }

    static func append(_ bytes: [UInt8], to path: String) throws {
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(bytes))
        try handle.close()
    }

    /// The record `LedgerLog` would append next (a small charge to the approval).
    static func nextRecord() throws -> [UInt8] {
        var plan = AccountPlan()
        plan.releases = [("chr9:1:A:G", ReleasedPool(pool: 1, frequency: 0.2, noiseVariance: 2, presenceOnly: false))]
        return try LedgerLog.record(LedgerEntry(time: 1, newPools: [], charges: [.init(account: Self.approval, plan: plan)]))
    }

    @Test("a torn last record is cut off at the next start; every acknowledged charge is kept", arguments: [
        ("its frame cut short", 7), ("its payload cut short", -3),
    ])
    func tornTail(label: String, keep: Int) throws {
        let path = temporaryLedgerPath("torn")
        let expected = try Self.charge(try DisclosureLedger(path: path, settings: PrivacySettings()), subjects: 0..<10)
        let length = try Self.size(path)
        let record = try Self.nextRecord()
        try Self.append(Array(record.prefix(keep > 0 ? keep : record.count + keep)), to: path)

        let reopened = try DisclosureLedger(path: path, settings: PrivacySettings())
        #expect(reopened.openingNotes.contains { $0.contains("torn last record") }, "\(label): \(reopened.openingNotes)")
        #expect(try Self.size(path) == length, "\(label): the file is back to its acknowledged length")
        for (key, account) in expected { #expect(reopened.account(key) == account, "\(label): \(key)") }
        // It goes on: a new charge lands after the cut and replays.
        let after = try Self.charge(reopened, subjects: 10..<12)
        let again = try DisclosureLedger(path: temporaryCopy(of: path), settings: PrivacySettings())
        #expect(again.openingNotes.isEmpty)
        for (key, account) in after { #expect(again.account(key) == account) }
    }

    @Test("damage anywhere, or a foreign file, refuses the start naming the file", arguments: [
        "a flipped byte in the first record's payload", "a flipped bit in the first record's length",
        "a flipped byte in the last record's payload", "a length beyond any record", "a file that is not a ledger",
    ])
    func damageRefused(kind: String) throws {
        let path = temporaryLedgerPath("damaged")
        _ = try Self.charge(try DisclosureLedger(path: path, settings: PrivacySettings()), subjects: 0..<5)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let first = LedgerLog.header.count
        switch kind {
        case "a file that is not a ledger":
            bytes = Array("SQLite format 3\0".utf8) + bytes.dropFirst(16)
        case "a flipped bit in the first record's length":
            bytes[first] ^= 0x01
        case "a flipped byte in the last record's payload":
            bytes[bytes.count - 3] ^= 0x40
        case "a length beyond any record":
            // A frame whose length checks out but exceeds what the ledger writes, then garbage.
            var frame: [UInt8] = []
            LedgerLog.append32(UInt32(LedgerLog.maximumRecordBytes + 1), to: &frame)
            LedgerLog.append32(CRC32.checksum(frame), to: &frame)
            bytes += frame + [0, 0, 0, 0] + [UInt8](repeating: 7, count: 40)
        default:
            bytes[first + LedgerLog.frameBytes + 3] ^= 0x40
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: GatewayError.self, "\(kind)") { try DisclosureLedger(path: path, settings: PrivacySettings()) }
        #expect(error?.code == .serviceUnavailable)
        #expect(error?.message.contains(path) == true, "\(error?.message ?? "")")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(bytes), "a refused file is left as it was")
    }

    @Test("a second ledger on the same file is refused while the first is open")
    func oneWriter() throws {
        let path = temporaryLedgerPath("locked")
        do {
            let first = try DisclosureLedger(path: path, settings: PrivacySettings())
            let error = #expect(throws: GatewayError.self) { try DisclosureLedger(path: path, settings: PrivacySettings()) }
            #expect(error?.message.contains("one gateway per data folder") == true)
            _ = first.poolCount
        }
        _ = try DisclosureLedger(path: path, settings: PrivacySettings())
    }

    @Test("a request refused after planning over a new pool does not leave that pool's people to the next new pool")
    func refusedRequestLeavesNoStalePeople() throws {
        let path = temporaryLedgerPath("stale")
        let ledger = try DisclosureLedger(path: path, settings: PrivacySettings())
        let people = Self.fixture.personOfSample, everyone = Self.fixture.everyone
        _ = try ledger.charge([LedgerFixture.subject("b", everyone)], accounts: Self.accounts, personOfSample: people)
        // `a` over a new pool (everyone but people 0-2) is planned first; `b` over it differs by 3 people from
        // what was released about `b`: the request is refused and the new pool never registered.
        let withoutFirst = Self.fixture.everyone(except: [0, 1, 2])
        #expect(throws: GatewayError.self) {
            try ledger.charge([LedgerFixture.subject("a", withoutFirst), LedgerFixture.subject("b", withoutFirst)], accounts: Self.accounts,
                              personOfSample: people)
        }
        // The next new pool (everyone but people 50-59) gets the same id: its own people are charged.
        let before = try #require(ledger.account(Self.approval))
        let other = Self.fixture.everyone(except: Set(50..<60))
        _ = try ledger.charge([LedgerFixture.subject("c", other)], accounts: Self.accounts, personOfSample: people)
        let after = try #require(ledger.account(Self.approval))
        #expect(after.exposure(of: .mapped(0)) > before.exposure(of: .mapped(0)), "person 0 is in the new pool and is charged")
        #expect(after.exposure(of: .mapped(55)) == before.exposure(of: .mapped(55)), "person 55 is not in it")
        // As the sample-by-sample reference charges it.
        var reference = LedgerFixture(people: 100)
        reference.release([LedgerFixture.subject("b", everyone)])
        reference.release([LedgerFixture.subject("c", other)])
        for person in [0, 3, 49, 55, 99] {
            #expect(abs(after.exposure(of: .mapped(person)) - reference.account.exposure(of: .mapped(person))) < 1e-12, "person \(person)")
        }
    }

    @Test("a version 1 file (a development build's) is read and rewritten as version 2")
    func versionOne() throws {
        let path = temporaryLedgerPath("version1")
        var expected: [LedgerAccountKey: DisclosureAccount] = [:]
        do { expected = try Self.charge(try DisclosureLedger(path: path, settings: PrivacySettings()), subjects: 0..<6) }
        // The same entries in version 1's framing: 8-byte frames (length, payload CRC).
        let version2 = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var version1 = LedgerLog.header(version: 1)
        var offset = LedgerLog.header.count
        while offset < version2.count {
            let length = Int(LedgerLog.word32(version2, offset))
            let payload = Array(version2[(offset + LedgerLog.frameBytes)..<(offset + LedgerLog.frameBytes + length)])
            LedgerLog.append32(UInt32(length), to: &version1)
            LedgerLog.append32(CRC32.checksum(payload), to: &version1)
            version1 += payload
            offset += LedgerLog.frameBytes + length
        }
        try Data(version1).write(to: URL(fileURLWithPath: path))
        let reopened = try DisclosureLedger(path: path, settings: PrivacySettings())
        #expect(reopened.openingNotes.contains { $0.contains("as version 2") }, "\(reopened.openingNotes)")
        for (key, account) in expected { #expect(reopened.account(key) == account) }
        #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) == version2, "rewritten byte for byte as version 2")
    }

    @Test("a privacy.sqlite of an earlier build is imported once, and its charges count")
    func legacyImport() throws {
        let path = temporaryLedgerPath("legacy")
        let legacy = (path as NSString).deletingLastPathComponent + "/" + DisclosureLedger.legacyFileName
        let everyone = Self.fixture.everyone
        let queue = try DatabaseQueue(path: legacy)
        try queue.write { db in
            try db.execute(sql: """
                CREATE TABLE pool (id INTEGER PRIMARY KEY, samples BLOB NOT NULL UNIQUE);
                CREATE TABLE charge (id INTEGER PRIMARY KEY, time TEXT NOT NULL, account TEXT NOT NULL,
                    added REAL NOT NULL, spent REAL NOT NULL, exposure BLOB NOT NULL);
                CREATE TABLE release (charge INTEGER NOT NULL REFERENCES charge(id), subject TEXT NOT NULL,
                    pool INTEGER NOT NULL REFERENCES pool(id), frequency REAL NOT NULL,
                    noise_variance REAL NOT NULL, presence_only INTEGER NOT NULL, presence_charge REAL);
                """)
            try db.execute(sql: "INSERT INTO pool (id, samples) VALUES (1, ?)", arguments: [Data(everyone.serialized())])
            // The approval's charge in the run form, the member's in the first (16 bytes per person).
            let runs = ExposureRecord.encode(ExposureChange(deltas: (0..<100).map { AccountPlan.Delta(person: .mapped($0), amount: 0.05) }))
            var firstForm: [UInt8] = []
            for person in 0..<100 {
                withUnsafeBytes(of: Int64(person).littleEndian) { firstForm.append(contentsOf: $0) }
                withUnsafeBytes(of: (0.05).bitPattern.littleEndian) { firstForm.append(contentsOf: $0) }
            }
            for (id, account, exposure) in [(1, Self.approval.rawValue, runs), (2, Self.member.rawValue, firstForm)] {
                try db.execute(sql: "INSERT INTO charge VALUES (?, '2026-11-01T00:00:00Z', ?, 0.05, 0.05, ?)", arguments: [id, account, Data(exposure)])
                try db.execute(sql: "INSERT INTO release VALUES (?, 'chr1:1:A:G', 1, 0.3, 2, 0, NULL)", arguments: [id])
            }
        }
        try queue.close()
        let legacyBytes = try Data(contentsOf: URL(fileURLWithPath: legacy))

        do {
            let ledger = try DisclosureLedger(path: path, settings: PrivacySettings())
            #expect(ledger.openingNotes.contains { $0.contains("imported 2 charges") }, "\(ledger.openingNotes)")
            for key in [Self.approval, Self.member] {
                #expect(ledger.spent(key) == 0.05, "\(key)")
                #expect(ledger.account(key)?.subjects["chr1:1:A:G"] == [ReleasedPool(pool: 1, frequency: 0.3, noiseVariance: 2, presenceOnly: false)])
            }
            // The imported answer is free again; a new one adds to the imported exposure.
            let repeated = try ledger.charge([LedgerFixture.subject("chr1:1:A:G", everyone, frequency: 0.3)], accounts: Self.accounts,
                                             personOfSample: Self.fixture.personOfSample)
            #expect(repeated.isFree && ledger.poolCount == 1)
            _ = try Self.charge(ledger, subjects: 1..<3)
            #expect(ledger.spent(Self.approval) > 0.05)
        }
        let reopened = try DisclosureLedger(path: path, settings: PrivacySettings())
        #expect(reopened.openingNotes.isEmpty, "imported once: \(reopened.openingNotes)")
        #expect(reopened.spent(Self.approval) > 0.05)
        #expect(try Data(contentsOf: URL(fileURLWithPath: legacy)) == legacyBytes, "the old file is not changed")
    }
}

/// A copy of the ledger at `path` in a fresh folder (so it can be opened while `path` is).
func temporaryCopy(of path: String) throws -> String {
    let copy = temporaryLedgerPath("copy")
    try FileManager.default.copyItem(atPath: path, toPath: copy)
    return copy
}

@Suite("Privacy ledger: CRC-32")
struct CRC32Tests {
    @Test("zlib's CRC-32 of known inputs, at every length around the 8-byte slices", arguments: [
        ("", UInt32(0)), ("a", 0xE8B7_BE43), ("abc", 0x3524_41C2), ("123456789", 0xCBF4_3926),
        ("The quick brown fox jumps over the lazy dog", 0x414F_A339),
    ])
    func known(text: String, expected: UInt32) {
        #expect(CRC32.checksum(Array(text.utf8)) == expected, "\(text)")
    }

    @Test("slicing by 8 agrees with the bytewise definition for lengths 0-40")
    func agreesWithBytewise() {
        func bytewise(_ bytes: [UInt8]) -> UInt32 {
            var crc: UInt32 = 0xFFFF_FFFF
            for byte in bytes {
                crc ^= UInt32(byte)
                for _ in 0..<8 { crc = crc & 1 == 1 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
            }
            return crc ^ 0xFFFF_FFFF
        }
        let bytes = (0..<40).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        for length in 0...40 { #expect(CRC32.checksum(Array(bytes.prefix(length))) == bytewise(Array(bytes.prefix(length))), "length \(length)") }
    }
}
