import Foundation
import GatewayCore
import GatewayPolicy
import GRDB
import Synchronization

/// The policy store: one SQLite file (``fileName``) in the data folder holding the current
/// policy, every version and the history of every record.
///
/// Every change is one immediate transaction that validates the whole resulting policy and
/// writes a new version with who, when, what, and each record's before and after values.
/// The gateway serves ``snapshot`` (in memory, swapped atomically); ``refreshIfChanged()``
/// picks up changes committed by another process (the CLI) before the next request.
public final class PolicyDatabase: Sendable {
    /// The name of the SQLite file inside the data folder.
    public static let fileName = "policy.sqlite"

    public let path: String
    let pool: DatabasePool
    /// A connection of its own for `PRAGMA data_version`, which is per connection.
    let watcher: DataVersionWatcher
    private let state: Mutex<Current>

    private struct Current: Sendable {
        var snapshot: PolicySnapshot
        var dataVersion: Int64
    }

    /// Opens (creating if needed) the store in `folder` and loads the current policy.
    public init(folder: String) throws(GatewayError) {
        path = (folder as NSString).appendingPathComponent(Self.fileName)
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            var configuration = Configuration()
            configuration.label = "PolicyStore"
            configuration.busyMode = .timeout(10)
            configuration.prepareDatabase { db in
                if !db.configuration.readonly { try db.execute(sql: "PRAGMA synchronous = FULL") }
            }
            pool = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(pool)
        } catch {
            throw GatewayError(.policyUnavailable, "the policy store \(path) cannot be opened: \(error)")
        }
        watcher = try DataVersionWatcher(path: path)
        let dataVersion = try Self.dataVersion(watcher)
        let reader = pool
        let (version, loaded) = try Self.reading(path) { try reader.read { db in try Self.load(db) } }
        state = Mutex(Current(snapshot: try PolicySnapshot(version: version, state: loaded), dataVersion: dataVersion))
    }

    /// The policy in force (as of the last load or change in this process).
    public var snapshot: PolicySnapshot { state.withLock { $0.snapshot } }

    /// Whether a change was committed (by any connection or process) since the policy in
    /// memory was loaded: one `PRAGMA data_version`, no table read, no wait longer than
    /// 50 ms for a lock. When it cannot tell, it says yes: ``refreshIfChanged()`` (off the
    /// request's thread) then decides, or fails closed.
    public func needsRefresh() -> Bool {
        guard let seen = try? Self.dataVersion(watcher) else { return true }
        return state.withLock { $0.dataVersion != seen }
    }

    /// Reloads the policy if another connection committed a change since the last look, and
    /// returns the snapshot in force. Cheap when nothing changed (one `PRAGMA data_version`).
    /// Throws `policy_unavailable` if the store cannot be read: the caller must not answer.
    @discardableResult
    public func refreshIfChanged() throws(GatewayError) -> PolicySnapshot {
        let seen = try Self.dataVersion(watcher)
        let current = state.withLock { $0 }
        if seen == current.dataVersion { return current.snapshot }
        let latest: Int = try Self.reading(path) { try pool.read { db in try Self.latestVersion(db) } }
        if latest == current.snapshot.version {
            state.withLock { $0.dataVersion = max($0.dataVersion, seen) }
            return current.snapshot
        }
        if latest < current.snapshot.version {
            // The store went back (a backup restored in place): serve what it holds now.
            let (version, loaded) = try Self.reading(path) { try pool.read { db in try Self.load(db) } }
            let restored: PolicySnapshot
            do { restored = try PolicySnapshot(version: version, state: loaded) } catch {
                throw GatewayError(.policyUnavailable, "policy version \(version) in \(path) cannot be served: \(error.message)")
            }
            return state.withLock { value in
                value.snapshot = restored
                value.dataVersion = seen
                return restored
            }
        }
        let (version, loaded) = try Self.reading(path) {
            try pool.read { db in try Self.loadChanges(db, since: current.snapshot.version, into: current.snapshot.state) }
        }
        let fresh: PolicySnapshot
        do {
            fresh = try PolicySnapshot(version: version, state: loaded, previous: current.snapshot)
        } catch {
            throw GatewayError(.policyUnavailable, "policy version \(version) in \(path) cannot be served: \(error.message)")
        }
        return state.withLock { value in
            if fresh.version > value.snapshot.version { value.snapshot = fresh }
            value.dataVersion = max(value.dataVersion, seen)
            return value.snapshot
        }
    }

    /// What a committed change produced.
    public struct Receipt: Sendable {
        public var version: Int
        public var snapshot: PolicySnapshot
        /// Records created or changed, as `kind id` (withdrawals counted, not listed).
        public var changed: [String]
    }

    /// Applies `change` in one transaction as `actor` (`member:ID` or `operator:NAME`) via
    /// `channel` (`api`, `cli`, `import`). Refuses with `invalid_policy` naming every problem
    /// of the resulting policy; with `not_found`/`conflict` from the change itself.
    @discardableResult
    public func apply(_ change: PolicyChange, actor: String, channel: String, now: Date = Date()) throws(GatewayError) -> Receipt {
        let receipt: Receipt
        do {
            receipt = try pool.writeWithoutTransaction { db in
                var result: Receipt?
                try db.inTransaction(.immediate) {
                    let (version, before, previous) = try self.baseState(db)
                    var after = before
                    try change.edit(&after, now)
                    let problems = PolicyValidation.problems(in: after, changedFrom: before)
                    guard problems.isEmpty else { throw PolicyProblems(problems: problems) }
                    let next = version + 1
                    let changed = try Self.write(from: before, to: after, version: next, action: change.action, db: db)
                    guard !changed.isEmpty else { throw GatewayError(.conflict, "the change alters nothing; policy version \(version) stays in force") }
                    try db.execute(
                        sql: "INSERT INTO policy_version (version, recorded_at, actor, channel, summary) VALUES (?, ?, ?, ?, ?)",
                        arguments: [next, PolicyJSON.timestamp(now), actor, channel, change.summary]
                    )
                    result = Receipt(version: next, snapshot: try PolicySnapshot(version: next, state: after, previous: previous), changed: changed)
                    return .commit
                }
                return result!
            }
        } catch let error as GatewayError {
            throw error
        } catch let problems as PolicyProblems {
            throw GatewayError(.invalidPolicy, "nothing was applied: " + problems.problems.map(\.description).joined(separator: "; "))
        } catch {
            throw GatewayError(.policyUnavailable, "the policy store \(path) cannot be written: \(error)")
        }
        state.withLock { value in
            if receipt.version > value.snapshot.version { value.snapshot = receipt.snapshot }
        }
        return receipt
    }

    /// The state a change starts from: the in-memory snapshot, brought up to date with any
    /// change another process committed since.
    private func baseState(_ db: Database) throws -> (Int, PolicyState, PolicySnapshot) {
        let latest = try Self.latestVersion(db)
        let current = snapshot
        if current.version == latest { return (latest, current.state, current) }
        let (version, state) = try Self.loadChanges(db, since: current.version, into: current.state)
        return (version, state, current)
    }

    struct PolicyProblems: Error {
        var problems: [PolicyProblem]
    }

    static func dataVersion(_ watcher: DataVersionWatcher) throws(GatewayError) -> Int64 {
        guard let version = watcher.current() else {
            throw GatewayError(.policyUnavailable, "the policy store cannot be read (data_version)")
        }
        return version
    }

    static func reading<T>(_ path: String, _ body: () throws -> T) throws(GatewayError) -> T {
        do { return try body() } catch let error as GatewayError { throw error } catch {
            throw GatewayError(.policyUnavailable, "the policy store \(path) cannot be read: \(error)")
        }
    }
}
