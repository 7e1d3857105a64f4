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
                let id: Int64 = row[0]
                guard id == Int64(pools.count + 1) else { throw LedgerDamage("pool \(id) follows pool \(pools.count)") }
                pools.append((id, PoolShape(try SampleSet(serialized: [UInt8](row[1] as Data)))))
            }
            var releases: [Int64: [(String, ReleasedPool)]] = [:]
            let releaseRows = try Row.fetchCursor(db, sql: "SELECT charge, subject, pool, frequency, noise_variance, presence_only, presence_charge FROM release ORDER BY rowid")
            while let row = try releaseRows.next() {
                let pool: Int64 = row[2]
                guard pool >= 1 && pool <= Int64(pools.count) else { throw LedgerDamage("a release names pool \(pool), which is not stored") }
                releases[row[0], default: []].append((row[1], ReleasedPool(pool: pool, frequency: row[3], noiseVariance: row[4], presenceOnly: row[5], presenceCharge: row[6])))
            }
            var entries = [LedgerEntry(time: 0, newPools: pools, charges: [])]
            let charges = try Row.fetchCursor(db, sql: "SELECT id, time, account, added, spent, exposure FROM charge ORDER BY id")
            while let row = try charges.next() {
                let id: Int64 = row[0], stored: String = row[2]
                guard let key = LedgerAccountKey(stored: stored) else { throw LedgerDamage("charge \(id) names account \(stored)") }
                var plan = AccountPlan()
                plan.releases = (releases[id] ?? []).map { (subject: $0.0, released: $0.1) }
                plan.added = row[3]
                plan.spentAfter = row[4]
                plan.exposure = try ExposureRecord.decode([UInt8](row[5] as Data), what: "charge \(id)")
                let time = (try? Date(row[1] as String, strategy: .iso8601)).map { Int64($0.timeIntervalSince1970 * 1000) } ?? 0
                entries.append(LedgerEntry(time: time, newPools: [], charges: [.init(account: key, plan: plan)]))
            }
            return entries
        }
    }
}
