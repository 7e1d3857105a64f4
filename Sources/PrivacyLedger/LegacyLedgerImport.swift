import Foundation
import GRDB
import VariantStore

/// Reads a `privacy.sqlite` written by earlier builds (``fileName``: tables `pool`, `charge`,
/// `release`) as ledger entries, so that a data folder's charges carry over when the ledger
/// moves to ``LedgerLog``: its pools first, then one entry per stored charge, in the order
/// they were committed. The old file is only read, never changed or removed.
enum LegacyLedgerImport {
    /// The old store's name in the data folder.
    static let fileName = "privacy.sqlite"

    /// The entries of the store at `path`; throws when it cannot be read or does not replay.
    static func entries(path: String) throws -> [LedgerEntry] {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.label = "PrivacyLedgerImport"
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        return try queue.read { db in
            var pools: [(id: Int64, shape: PoolShape)] = []
            let poolRows = try Row.fetchCursor(db, sql: "SELECT id, samples FROM pool ORDER BY id")
            while let row = try poolRows.next() {
                let id: Int64 = try row.decode(atIndex: 0), samples: Data = try row.decode(atIndex: 1)
                guard id == Int64(pools.count + 1) else { throw LedgerDamage("pool \(id) follows pool \(pools.count)") }
                let shape = PoolShape(try SampleSet(serialized: [UInt8](samples)))
                guard shape.words.count <= LedgerEntry.maximumPoolWords else { throw LedgerDamage("pool \(id) is larger than the ledger records") }
                pools.append((id, shape))
            }
            var releases: [Int64: [(String, ReleasedPool)]] = [:]
            let releaseRows = try Row.fetchCursor(db, sql: "SELECT charge, subject, pool, frequency, noise_variance, presence_only, presence_charge FROM release ORDER BY rowid")
            while let row = try releaseRows.next() {
                let charge: Int64 = try row.decode(atIndex: 0), subject: String = try row.decode(atIndex: 1), pool: Int64 = try row.decode(atIndex: 2)
                guard pool >= 1 && pool <= Int64(pools.count) else { throw LedgerDamage("a release names pool \(pool), which is not stored") }
                let released = ReleasedPool(pool: pool, frequency: try row.decode(atIndex: 3), noiseVariance: try row.decode(atIndex: 4),
                                            presenceOnly: try row.decode(atIndex: 5), presenceCharge: try row.decode(atIndex: 6))
                guard released.isValid else { throw LedgerDamage("charge \(charge) has a release with invalid figures") }
                releases[charge, default: []].append((subject, released))
            }
            // One entry per pool (a record stays small whatever the store holds), then per charge.
            var entries = pools.map { LedgerEntry(time: 0, newPools: [$0], charges: []) }
            let charges = try Row.fetchCursor(db, sql: "SELECT id, time, account, added, spent, exposure FROM charge ORDER BY id")
            while let row = try charges.next() {
                let id: Int64 = try row.decode(atIndex: 0), time: String = try row.decode(atIndex: 1), stored: String = try row.decode(atIndex: 2)
                guard let key = LedgerAccountKey(stored: stored) else { throw LedgerDamage("charge \(id) names account \(stored)") }
                var plan = AccountPlan()
                plan.releases = (releases[id] ?? []).map { (subject: $0.0, released: $0.1) }
                plan.added = try row.decode(atIndex: 3)
                plan.spentAfter = try row.decode(atIndex: 4)
                let exposure: Data = try row.decode(atIndex: 5)
                plan.exposure = try ExposureRecord.decode([UInt8](exposure), what: "charge \(id)", loneRuns: true)
                guard plan.added.isFinite && plan.spentAfter.isFinite else { throw LedgerDamage("charge \(id) has invalid figures") }
                let milliseconds = (try? Date(time, strategy: .iso8601)).map { Int64($0.timeIntervalSince1970 * 1000) } ?? 0
                entries.append(LedgerEntry(time: milliseconds, newPools: [], charges: [.init(account: key, plan: plan)]))
            }
            return entries
        }
    }
}
