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

    /// The deltas, in order, each as a varint `zigzag(person - previous person) << 1 | same`
    /// followed, unless `same` (the amount equals the previous one), by the amount's 8 bytes
    /// (little-endian IEEE bits). People charged alike in one cell cost 1-2 bytes each.
    static func encode(_ deltas: [AccountPlan.Delta]) -> Data {
        var bytes = [UInt8]()
        bytes.reserveCapacity(deltas.count * 2 + 16)
        var previousPerson = 0
        var previousBits: UInt64? = nil
        for delta in deltas {
            let step = delta.person.stored &- previousPerson
            let zigzag = UInt64(bitPattern: Int64((step << 1) ^ (step >> 63)))
            let bits = delta.amount.bitPattern
            let same = bits == previousBits
            var value = zigzag << 1 | (same ? 1 : 0)
            while value >= 0x80 {
                bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
                value >>= 7
            }
            bytes.append(UInt8(value))
            if !same { withUnsafeBytes(of: bits.littleEndian) { bytes.append(contentsOf: $0) } }
            previousPerson = delta.person.stored
            previousBits = bits
        }
        return Data(bytes)
    }

    static func decode(_ bytes: [UInt8], charge: Int64) throws -> [AccountPlan.Delta] {
        var deltas: [AccountPlan.Delta] = []
        var offset = 0
        var previousPerson = 0
        var previousAmount: Double? = nil
        func damaged() -> LedgerDamage { LedgerDamage("charge \(charge) has a damaged exposure record at byte \(offset)") }
        while offset < bytes.count {
            var value: UInt64 = 0, shift: UInt64 = 0
            while true {
                guard offset < bytes.count, shift < 64 else { throw damaged() }
                let byte = bytes[offset]
                offset += 1
                value |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { break }
                shift += 7
            }
            let same = value & 1 == 1
            let zigzag = value >> 1
            let step = Int64(bitPattern: zigzag >> 1) ^ -Int64(bitPattern: zigzag & 1)
            let (person, overflow) = previousPerson.addingReportingOverflow(Int(step))
            guard !overflow, person > -(1 << 40), person < 1 << 40 else { throw damaged() }
            let amount: Double
            if same {
                guard let previousAmount else { throw damaged() }
                amount = previousAmount
            } else {
                guard offset + 8 <= bytes.count else { throw damaged() }
                var bits: UInt64 = 0
                for index in 0..<8 { bits |= UInt64(bytes[offset + index]) << UInt64(index * 8) }
                offset += 8
                amount = Double(bitPattern: bits)
            }
            guard amount.isFinite && amount >= 0 else { throw damaged() }
            deltas.append(AccountPlan.Delta(person: Person(stored: person), amount: amount))
            previousPerson = person
            previousAmount = amount
        }
        return deltas
    }
}

/// A stored ledger that does not replay (a damaged or foreign file).
struct LedgerDamage: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
