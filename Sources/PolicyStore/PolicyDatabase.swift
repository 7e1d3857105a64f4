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
    /// Held while a snapshot is loaded and swapped in, and while a change commits and swaps
    /// its snapshot in: swaps happen in the order the store changed, so a slower load never
    /// replaces a newer snapshot with an older one. (Version numbers cannot tell: a restore
    /// from backup takes them back.) Never held by a request's event loop.
    private let swapping = Mutex(())

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
            // GRDB sets `synchronous = NORMAL` on the writer when it turns WAL on, after
            // prepareDatabase: set FULL again, so a committed change (a withdrawal, a suspension)
            // is on disk when its commit returns, not at the next checkpoint.
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            try Self.migrator.migrate(pool)
        } catch {
            throw GatewayError(.policyUnavailable, "the policy store \(path) cannot be opened: \(error)")
        }
        watcher = try DataVersionWatcher(path: path)
        let dataVersion = try Self.dataVersion(watcher)
        let reader = pool
        let (version, loaded) = try Self.reading(path) { try reader.read { db in try Self.load(db) } }
        state = Mutex(Current(snapshot: try PolicySnapshot(version: version.version, revision: version.revision, state: loaded), dataVersion: dataVersion))
    }

    /// The writer connection's `PRAGMA synchronous` (2 = FULL: every commit synced to disk).
    public func writerSynchronous() throws -> Int {
        try pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
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
    ///
    /// The latest version is compared by identity (number and revision), never by number: a
    /// backup restored in place, and changes made after it, can reuse numbers already served.
    /// Only a store that still holds the version in memory is read incrementally.
    @discardableResult
    public func refreshIfChanged() throws(GatewayError) -> PolicySnapshot {
        guard let seen = watcher.current() else { throw GatewayError(.policyUnavailable, "the policy store cannot be read (data_version)") }
        if let unchanged = state.withLock({ $0.dataVersion == seen ? $0.snapshot : nil }) { return unchanged }
        try migrateIfRestoredFromOlderSchema()
        return try swapping.withLock { _ throws(GatewayError) -> PolicySnapshot in
            let seen = try Self.dataVersion(watcher)
            let current = state.withLock { $0 }
            if seen == current.dataVersion { return current.snapshot }
            let (identity, loaded) = try Self.reading(path) {
                try pool.read { db in try Self.loadChanges(db, since: current.snapshot.identity, into: current.snapshot.state) }
            }
            if identity == current.snapshot.identity {
                state.withLock { $0.dataVersion = seen }
                return current.snapshot
            }
            let fresh: PolicySnapshot
            do throws(GatewayError) {
                fresh = try PolicySnapshot(version: identity.version, revision: identity.revision, state: loaded, previous: current.snapshot)
            } catch {
                throw GatewayError(.policyUnavailable, "policy version \(identity) in \(path) cannot be served: \(error.message)")
            }
            state.withLock { value in
                value.snapshot = fresh
                value.dataVersion = seen
            }
            return fresh
        }
    }

    /// A backup taken before the store had revisions and restored in place lacks them: the
    /// migrations run again (giving its versions fresh revisions) instead of failing every request.
    private func migrateIfRestoredFromOlderSchema() throws(GatewayError) {
        let migrator = Self.migrator
        let current = try Self.reading(path) { try pool.read { db in try migrator.hasCompletedMigrations(db) } }
        guard !current else { return }
        do { try migrator.migrate(pool) } catch {
            throw GatewayError(.policyUnavailable, "the policy store \(path) was replaced by one that cannot be upgraded: \(error)")
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
                    if let problem = PolicyValidation.problem(inChangeSummary: change.summary) {
                        throw GatewayError(.invalidPolicy, "nothing was applied: " + problem)
                    }
                    let problems = PolicyValidation.problems(in: after, changedFrom: before, now: now)
                    guard problems.isEmpty else { throw PolicyProblems(problems: problems) }
                    let next = PolicyIdentity(version: version.version + 1, revision: Self.newRevision())
                    let changed = try Self.write(from: before, to: after, version: next.version, action: change.action, db: db)
                    guard !changed.isEmpty else { throw GatewayError(.conflict, "the change alters nothing; policy version \(version.version) stays in force") }
                    try db.execute(
                        sql: "INSERT INTO policy_version (version, recorded_at, actor, channel, summary, revision) VALUES (?, ?, ?, ?, ?, ?)",
                        arguments: [next.version, PolicyJSON.timestamp(now), actor, channel, change.summary, next.revision]
                    )
                    let snapshot = try PolicySnapshot(version: next.version, revision: next.revision, state: after, previous: previous)
                    result = Receipt(version: next.version, snapshot: snapshot, changed: changed)
                    return .commit
                }
                // Still on the writer: changes are swapped in in the order they committed.
                self.swapping.withLock { _ in self.state.withLock { $0.snapshot = result!.snapshot } }
                return result!
            }
        } catch let error as GatewayError {
            throw error
        } catch let problems as PolicyProblems {
            throw GatewayError(.invalidPolicy, "nothing was applied: " + problems.problems.map(\.description).joined(separator: "; "))
        } catch {
            throw GatewayError(.policyUnavailable, "the policy store \(path) cannot be written: \(error)")
        }
        return receipt
    }

    /// The state a change starts from: the in-memory snapshot, brought up to date with any
    /// change another process committed since (read in full when a backup was restored).
    private func baseState(_ db: Database) throws -> (PolicyIdentity, PolicyState, PolicySnapshot?) {
        let current = snapshot
        let (version, state) = try Self.loadChanges(db, since: current.identity, into: current.state)
        if version == current.identity { return (version, current.state, current) }
        return (version, state, try Self.holds(current.identity, db) ? current : nil)
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
