import Foundation
import Testing
import VariantStore
@testable import PrivacyLedger

/// The stored exposure record (ExposureRecord): runs of people charged the same amount, read
/// back exactly; the first 16-bytes-per-person form still reads; damage is refused.
@Suite("Privacy ledger: stored exposure records")
struct LedgerEncodingTests {
    static func deltas(_ pairs: [(Int64, Double)]) -> [AccountPlan.Delta] {
        pairs.map { AccountPlan.Delta(person: Person(stored: Int($0.0)), amount: $0.1) }
    }

    /// Mapped people in increasing order, then lone samples in increasing sample order.
    static func ordered(_ deltas: [AccountPlan.Delta]) -> [AccountPlan.Delta] {
        deltas.filter { $0.person.stored >= 0 }.sorted { $0.person.stored < $1.person.stored }
            + deltas.filter { $0.person.stored < 0 }.sorted { $0.person.stored > $1.person.stored }
    }

    @Test("records read back as written, in a few bytes per run", arguments: [
        ([], 0, 0),
        ([(0, 0.01)], 28, 1),
        ((0..<100).map { (Int64($0), 0.0188) }, 28, 1),                       // a whole cohort, one amount
        ((0..<100).reversed().map { (Int64($0), 0.0188) }, 28, 1),            // in any order
        ([(-3, 0.5), (-2, 0.5), (0, 0.5), (1, 0.5), (2, 0.25), (7, 0.25)], 8 + 5 * 20, 3),  // lone samples one run each
        ((0..<20).map { (Int64($0 * 2), 0.01) }, 8 + 20 * 20, 20),            // no two consecutive
    ] as [([(Int64, Double)], Int, Int)])
    func roundTrip(pairs: [(Int64, Double)], size: Int, runs: Int) throws {
        let written = ExposureChange(deltas: Self.deltas(pairs))
        #expect(written.runs.count == runs)
        #expect(written.deltas == Self.ordered(Self.deltas(pairs)))
        let stored = ExposureRecord.encode(written)
        #expect(stored.count == size)
        #expect(try ExposureRecord.decode(stored, what: "test") == written)
    }

    @Test("the first form (16 bytes per person) still reads")
    func firstForm() throws {
        var bytes: [UInt8] = []
        for (person, amount) in [(Int64(5), 0.125), (Int64(-1), 0.5), (Int64(2), 0.25)] {
            withUnsafeBytes(of: person.littleEndian) { bytes.append(contentsOf: $0) }
            withUnsafeBytes(of: amount.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
        }
        #expect(try ExposureRecord.decode(bytes, what: "test").deltas == Self.deltas([(2, 0.25), (5, 0.125), (-1, 0.5)]))
    }

    static func run(_ first: Int64, _ count: UInt32, _ amount: Double) -> [UInt8] {
        var bytes: [UInt8] = []
        withUnsafeBytes(of: first.littleEndian) { bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: count.littleEndian) { bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: amount.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
        return bytes
    }

    static var magic: [UInt8] { withUnsafeBytes(of: ExposureRecord.runsMagic.littleEndian) { Array($0) } }

    @Test("a run across the lone samples and people (an early store's) reads as both")
    func runAcrossZero() throws {
        let change = try ExposureRecord.decode(Self.magic + Self.run(-2, 4, 0.5), what: "test", loneRuns: true)
        #expect(change.runs == [ExposureChange.Run(first: 0, count: 2, amount: 0.5)])
        #expect(change.lone == Self.deltas([(-1, 0.5), (-2, 0.5)]))
    }

    @Test("damaged records are refused, not read", arguments: [
        ("truncated run", magic + run(0, 3, 0.1).dropLast()),
        ("empty run", magic + run(0, 0, 0.1)),
        ("overlapping runs", magic + run(0, 3, 0.1) + run(2, 1, 0.1)),
        ("negative amount", magic + run(0, 1, -0.1)),
        ("not finite", magic + run(0, 1, .nan)),
        ("person out of range", magic + run(1 << 41, 1, 0.1)),
        ("too many people", magic + run(0, UInt32.max, 0.1)),
        ("beyond the largest cohort", magic + run(Int64(ExposureRecord.maximumPeople) - 1, 2, 0.1)),
        ("truncated first form", [UInt8](repeating: 0, count: 15)),
        ("a run of lone samples (never written to the file)", magic + run(-(1 << 22), 1 << 22, 0.1)),
    ] as [(String, [UInt8])])
    func damage(label: String, bytes: [UInt8]) {
        #expect(throws: LedgerDamage.self, "\(label)") { try ExposureRecord.decode(bytes, what: "test") }
    }
}

/// Reopening the ledger replays the run-length records into the identical accounts.
@Suite("Privacy ledger: replay of stored charges")
struct LedgerReplayTests {
    @Test("charges over a whole cohort, a part and single samples replay to identical accounts")
    func replay() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-replay-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let settings = PrivacySettings(approvalBudget: 100, memberBudget: 100)
        let capacity = 40
        let personOfSample = (0..<capacity).map { $0 < 36 ? $0 / 2 : -1 }  // the last four samples have no person
        let accounts: [(key: LedgerAccountKey, budget: Double)] = [(.approval("A-1"), 100), (.member("m-1"), 100)]
        var before: [LedgerAccountKey: DisclosureAccount] = [:]
        do {
            let ledger = try DisclosureLedger(path: folder + "/" + DisclosureLedger.fileName, settings: settings)
            let everyone = SampleSet.all(capacity: capacity), firstHalf = SampleSet(capacity: capacity, members: 0..<20)
            for (subject, pools) in [("1:100:A:G", [everyone]), ("1:200:C:T", [everyone, firstHalf]), ("1:300:G:A", [firstHalf])] {
                let releases = [SubjectRelease(subject: subject, pools: pools.map { PoolRelease(samples: $0, frequency: 0.2, noiseVariance: 2) })]
                let charge = try ledger.charge(releases, accounts: accounts, personOfSample: personOfSample)
                #expect(charge.accounts.allSatisfy { $0.added > 0 })
            }
            for account in accounts { before[account.key] = try #require(ledger.account(account.key)) }
        }
        let reopened = try DisclosureLedger(path: folder + "/" + DisclosureLedger.fileName, settings: settings)
        for account in accounts {
            let original = try #require(before[account.key])
            #expect(reopened.account(account.key) == original, "\(account.key) replays identically")
            #expect(original.spent > 0 && !original.unmappedExposure.isEmpty)
        }
    }
}
