import Foundation
import GatewayCore
import GRDB
import VariantStore

/// The ledger's store: `privacy.sqlite` (``fileName``) in the data folder, WAL with
/// `synchronous = NORMAL` (a commit is a write to the WAL: it survives SIGKILL of the
/// gateway; a power loss may lose the last commits, documented in README "Privacy").
///
/// Append-only: `pool` (each distinct pool's samples), `charge` (one row per account per
/// accepted request: each person's added exposure) and `release` (the pools a charge
/// released, per subject). Triggers refuse UPDATE and DELETE. Replaying the charges in id
/// order rebuilds every account exactly.
struct LedgerDatabase: Sendable {
    static let fileName = "privacy.sqlite"
    let path: String
    private let pool: DatabasePool

    /// One account's part of an accepted request, as stored.
    struct StoredCharge: Sendable {
        var account: LedgerAccountKey
        var plan: AccountPlan
    }

    /// One accepted request: the pools it registered and its charges.
    struct Entry: Sendable {
        var newPools: [(id: Int64, shape: PoolShape)]
        var charges: [StoredCharge]
    }

    /// Opens (creating) the store at `path`.
    init(path: String) throws(GatewayError) {
        self.path = path
        do {
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            var configuration = Configuration()
            configuration.label = "PrivacyLedger"
            configuration.busyMode = .timeout(5)
            configuration.prepareDatabase { db in
                if !db.configuration.readonly { try db.execute(sql: "PRAGMA synchronous = NORMAL") }
            }
            pool = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(pool)
        } catch {
            throw GatewayError(.serviceUnavailable, "the privacy ledger \(path) cannot be opened: \(error)")
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE pool (id INTEGER PRIMARY KEY, samples BLOB NOT NULL UNIQUE);
                CREATE TABLE charge (id INTEGER PRIMARY KEY, time TEXT NOT NULL, account TEXT NOT NULL,
                    added REAL NOT NULL, spent REAL NOT NULL, exposure BLOB NOT NULL);
                CREATE TABLE release (charge INTEGER NOT NULL REFERENCES charge(id), subject TEXT NOT NULL,
                    pool INTEGER NOT NULL REFERENCES pool(id), frequency REAL NOT NULL,
                    noise_variance REAL NOT NULL, presence_only INTEGER NOT NULL, presence_charge REAL);
                CREATE INDEX release_by_charge ON release(charge);
                """)
            for table in ["pool", "charge", "release"] {
                try db.execute(sql: """
                    CREATE TRIGGER \(table)_immutable BEFORE UPDATE ON \(table)
                        BEGIN SELECT RAISE(ABORT, 'the privacy ledger is append-only'); END;
                    CREATE TRIGGER \(table)_permanent BEFORE DELETE ON \(table)
                        BEGIN SELECT RAISE(ABORT, 'the privacy ledger is append-only'); END;
                    """)
            }
        }
        return migrator
    }

    /// Writes `entries` in one transaction (group commit), in order.
    func write(_ entries: [Entry]) async throws {
        let time = Date().ISO8601Format()
        try await pool.write { db in
            let insertPool = try db.cachedStatement(sql: "INSERT INTO pool (id, samples) VALUES (?, ?)")
            let insertCharge = try db.cachedStatement(sql: "INSERT INTO charge (time, account, added, spent, exposure) VALUES (?, ?, ?, ?, ?)")
            let insertRelease = try db.cachedStatement(sql: """
                INSERT INTO release (charge, subject, pool, frequency, noise_variance, presence_only, presence_charge) VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
            for entry in entries {
                for (id, shape) in entry.newPools {
                    try insertPool.execute(arguments: [id, Data(shape.sampleSet.serialized())])
                }
                for charge in entry.charges {
                    try insertCharge.execute(arguments: [time, charge.account.rawValue, charge.plan.added, charge.plan.spentAfter,
                                                         Self.encode(charge.plan.deltas)])
                    let id = db.lastInsertedRowID
                    for (subject, released) in charge.plan.releases {
                        try insertRelease.execute(arguments: [id, subject, released.pool, released.frequency,
                                                              released.noiseVariance, released.presenceOnly, released.presenceCharge])
                    }
                }
            }
        }
    }

    /// What replaying the store gives.
    typealias Loaded = (registry: PoolRegistry, accounts: [LedgerAccountKey: DisclosureAccount])

    /// Rebuilds the registry and every account by replaying the store in order (blocking).
    func load() throws -> Loaded { try pool.read(Self.replay) }

    /// ``load()`` on GRDB's reader queue.
    func loadAsync() async throws -> Loaded { try await pool.read(Self.replay) }

    private static func replay(_ db: Database) throws -> Loaded {
        do {
            var registry = PoolRegistry()
            let pools = try Row.fetchCursor(db, sql: "SELECT id, samples FROM pool ORDER BY id")
            while let row = try pools.next() {
                let id: Int64 = row[0]
                let shape = PoolShape(try SampleSet(serialized: [UInt8](row[1] as Data)))
                guard id == registry.nextID else { throw LedgerDamage("pool \(id) follows pool \(registry.nextID - 1)") }
                registry.register(shape, id: id)
            }
            var releases: [Int64: [(String, ReleasedPool)]] = [:]
            let releaseRows = try Row.fetchCursor(db, sql: "SELECT charge, subject, pool, frequency, noise_variance, presence_only, presence_charge FROM release ORDER BY rowid")
            while let row = try releaseRows.next() {
                let pool: Int64 = row[2]
                guard pool >= 1 && pool < registry.nextID else { throw LedgerDamage("a release names pool \(pool), which is not stored") }
                releases[row[0], default: []].append((row[1], ReleasedPool(pool: pool, frequency: row[3], noiseVariance: row[4], presenceOnly: row[5], presenceCharge: row[6])))
            }
            var accounts: [LedgerAccountKey: DisclosureAccount] = [:]
            let charges = try Row.fetchCursor(db, sql: "SELECT id, account, added, spent, exposure FROM charge ORDER BY id")
            while let row = try charges.next() {
                let id: Int64 = row[0], stored: String = row[1]
                guard let key = LedgerAccountKey(stored: stored) else { throw LedgerDamage("charge \(id) names account \(stored)") }
                var plan = AccountPlan()
                plan.releases = (releases[id] ?? []).map { (subject: $0.0, released: $0.1) }
                plan.deltas = try Self.decode([UInt8](row[4] as Data), charge: id)
                accounts[key, default: DisclosureAccount()].apply(plan)
            }
            return (registry, accounts)
        }
    }

    /// The first 8 bytes of a run-length exposure record (``encode(_:)``): as a person number of
    /// the 16-byte form (whose numbers are within +-2^40) it is out of range, so the two forms
    /// never read as each other.
    static let runsMagic: UInt64 = 0x4747_5255_4E53_0001
    /// The most people one stored exposure record may name (a bound on what replay allocates).
    static let maximumDeltasPerRecord = 1 << 28

    /// One request's added exposure per person, as stored: the magic, then runs of people with
    /// consecutive stored numbers charged the same amount, 20 bytes each (first person: Int64,
    /// count: UInt32, amount bits: UInt64; little-endian), in ascending order. A whole-cohort
    /// release charges everyone the same, so it is one run, not 16 bytes per person: the WAL
    /// write per commit stays a few pages, whatever the cohort's size.
    static func encode(_ deltas: [AccountPlan.Delta]) -> Data {
        guard !deltas.isEmpty else { return Data() }
        let sorted = deltas.map { (person: Int64($0.person.stored), bits: $0.amount.bitPattern) }.sorted { $0.person < $1.person }
        var bytes = [UInt8]()
        bytes.reserveCapacity(28)
        withUnsafeBytes(of: runsMagic.littleEndian) { bytes.append(contentsOf: $0) }
        func appendRun(first: Int64, count: UInt32, bits: UInt64) {
            withUnsafeBytes(of: first.littleEndian) { bytes.append(contentsOf: $0) }
            withUnsafeBytes(of: count.littleEndian) { bytes.append(contentsOf: $0) }
            withUnsafeBytes(of: bits.littleEndian) { bytes.append(contentsOf: $0) }
        }
        var first = sorted[0].person, count: UInt32 = 1, bits = sorted[0].bits
        for delta in sorted.dropFirst() {
            if delta.bits == bits && delta.person == first + Int64(count) && count < UInt32.max {
                count += 1
            } else {
                appendRun(first: first, count: count, bits: bits)
                (first, count, bits) = (delta.person, 1, delta.bits)
            }
        }
        appendRun(first: first, count: count, bits: bits)
        return Data(bytes)
    }

    /// Reads an exposure record in either stored form: runs (``encode(_:)``) or the first
    /// form, 16 bytes per person (stored number, amount bits; little-endian).
    static func decode(_ bytes: [UInt8], charge: Int64) throws -> [AccountPlan.Delta] {
        func word(_ offset: Int, _ width: Int) -> UInt64 {
            var value: UInt64 = 0
            for index in 0..<width { value |= UInt64(bytes[offset + index]) << UInt64(index * 8) }
            return value
        }
        func checked(_ stored: Int64, _ amount: Double) throws -> AccountPlan.Delta {
            guard amount.isFinite && amount >= 0, stored > -(1 << 40), stored < 1 << 40 else {
                throw LedgerDamage("charge \(charge) has an invalid exposure record")
            }
            return AccountPlan.Delta(person: Person(stored: Int(stored)), amount: amount)
        }
        var deltas: [AccountPlan.Delta] = []
        if bytes.count >= 8 && word(0, 8) == runsMagic {
            guard (bytes.count - 8) % 20 == 0 else { throw LedgerDamage("charge \(charge) has a truncated exposure record") }
            var offset = 8, next = Int64.min
            while offset < bytes.count {
                let first = Int64(bitPattern: word(offset, 8)), count = Int(word(offset + 8, 4))
                let amount = Double(bitPattern: word(offset + 12, 8))
                guard count >= 1, first >= next, first > -(1 << 40), first < 1 << 40, deltas.count + count <= maximumDeltasPerRecord else {
                    throw LedgerDamage("charge \(charge) has an invalid exposure record")
                }
                for person in first..<(first + Int64(count)) { deltas.append(try checked(person, amount)) }
                next = first + Int64(count)
                offset += 20
            }
            return deltas
        }
        guard bytes.count % 16 == 0 else { throw LedgerDamage("charge \(charge) has a truncated exposure record") }
        deltas.reserveCapacity(bytes.count / 16)
        var offset = 0
        while offset < bytes.count {
            deltas.append(try checked(Int64(bitPattern: word(offset, 8)), Double(bitPattern: word(offset + 8, 8))))
            offset += 16
        }
        return deltas
    }
}

/// A stored ledger that does not replay (a damaged or foreign file).
struct LedgerDamage: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
