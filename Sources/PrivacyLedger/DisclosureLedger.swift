import Foundation
import GatewayCore
import Synchronization

/// The disclosure ledger: every account's state in memory, every accepted charge written to
/// `privacy.ledger` (``LedgerLog``) before ``charge(_:accounts:personOfSample:)`` returns.
///
/// Concurrency: deciding, writing and applying a request happen under one lock, so two
/// concurrent requests on one account can never both pass the budget (the second is decided
/// against the first's exposure) and the file holds the requests in decision order. The lock
/// is held for the decision (a few microseconds per new subject and account over 2,000
/// samples, release build; nothing for subjects released before) and one `write()` of a few
/// hundred bytes; there is no fsync, thread hop or await on the request path.
///
/// Fail closed: a request whose charge cannot be written is refused with
/// `service_unavailable` and changes nothing; if the failed write cannot be undone every later
/// charge is refused until restart, and a file that cannot be read refuses the start.
public final class DisclosureLedger: Sendable {
    /// The ledger's file name in the data folder.
    public static let fileName = LedgerLog.fileName
    /// The file earlier builds kept the ledger in (imported once when no ledger file exists).
    public static let legacyFileName = LegacyLedgerImport.fileName

    /// The settings the ledger decides with.
    public let settings: PrivacySettings
    /// The presence cap for `settings.minimumCellCount`.
    public let presenceCap: Double
    /// Where the ledger is kept.
    public let path: String
    /// What opening found worth telling an operator (a torn last record cut off, an import
    /// from the legacy store); empty when nothing.
    public let openingNotes: [String]
    private let state: Mutex<State>

    private struct State: ~Copyable {
        var registry: PoolRegistry
        var accounts: [LedgerAccountKey: DisclosureAccount]
        var log: LedgerLog
        /// Set when memory is ahead of the file and cannot be rebuilt from it: every charge is
        /// refused until restart.
        var failure: GatewayError?
        /// The people of each pool released whole (for charging without reading its samples).
        let people = PoolPeopleCache()
    }

    /// The registry and accounts that replaying `entries` in order gives.
    private static func rebuild(_ entries: [LedgerEntry], path: String) throws(GatewayError)
        -> (registry: PoolRegistry, accounts: [LedgerAccountKey: DisclosureAccount]) {
        var registry = PoolRegistry()
        var accounts: [LedgerAccountKey: DisclosureAccount] = [:]
        for (index, entry) in entries.enumerated() {
            for (id, shape) in entry.newPools {
                guard id == registry.nextID, registry.id(of: shape) == nil else {
                    throw GatewayError(.serviceUnavailable, "the privacy ledger \(path) cannot be read: entry \(index + 1) registers pool \(id) out of order")
                }
                registry.register(shape, id: id)
            }
            for charge in entry.charges {
                for (_, released) in charge.plan.releases where !(released.pool >= 1 && released.pool < registry.nextID) {
                    throw GatewayError(.serviceUnavailable, "the privacy ledger \(path) cannot be read: entry \(index + 1) names pool \(released.pool), which is not stored")
                }
                accounts[charge.account, default: DisclosureAccount()].apply(charge.plan)
            }
        }
        return (registry, accounts)
    }

    /// Opens (creating) the ledger at `path` (`<data>/privacy.ledger`) and replays it
    /// (blocking: open it at startup, not on an event loop). When the file does not exist but
    /// a `privacy.sqlite` of an earlier build is beside it, its charges are imported first.
    /// Throws `invalid_configuration` for bad settings, `service_unavailable` when the file
    /// cannot be opened, is locked by another process or does not replay.
    public init(path: String, settings: PrivacySettings) throws(GatewayError) {
        try settings.validated()
        self.settings = settings
        self.path = path
        // Finite whatever the threshold (k = 1 caps nothing): as a presence charge is clamped.
        presenceCap = Swift.min(MembershipSignal.presenceCap(minimumCount: settings.minimumCellCount), 1000)
        let legacy = ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent(Self.legacyFileName)
        var log = try LedgerLog(path: path) { () throws(GatewayError) -> (entries: [LedgerEntry], note: String)? in
            guard FileManager.default.fileExists(atPath: legacy) else { return nil }
            let entries: [LedgerEntry]
            do {
                entries = try LegacyLedgerImport.entries(path: legacy)
            } catch {
                throw GatewayError(.serviceUnavailable, "the privacy ledger of an earlier version, \(legacy), cannot be read for import: \(error)")
            }
            let charges = entries.reduce(0) { $0 + $1.charges.count }
            return (entries, "imported \(charges) charges from \(legacy) into \(path); the old file is no longer read")
        }
        let replayed = try log.replay()
        var notes = replayed.notes
        if replayed.cutOff > 0 {
            notes.append("cut off a torn last record (\(replayed.cutOff) bytes, never acknowledged) at the end of \(path)")
        }
        let rebuilt = try Self.rebuild(replayed.entries, path: path)
        openingNotes = notes
        state = Mutex(State(registry: rebuilt.registry, accounts: rebuilt.accounts, log: log))
    }

    /// The spent budget of `key` (the largest exposure of any one person; 0 when unused).
    public func spent(_ key: LedgerAccountKey) -> Double {
        state.withLock { $0.accounts[key]?.spent ?? 0 }
    }

    /// A copy of `key`'s state (nil when nothing was charged to it).
    public func account(_ key: LedgerAccountKey) -> DisclosureAccount? {
        state.withLock { $0.accounts[key] }
    }

    /// The number of distinct pools recorded.
    public var poolCount: Int { state.withLock { $0.registry.count } }

    /// Charges `releases` (one request, as one unit) to every account in `accounts`, each
    /// against its budget (an account named twice counts once, with the smaller budget):
    /// decides all accounts first (differencing, then budget), and only if every one accepts
    /// writes the charge to the file and applies it; otherwise nothing changes. On return the
    /// charge is durable: the answer may leave.
    ///
    /// Throws `differencing_refused` (naming the subject and how many people the cohort
    /// differs by), `privacy_budget_exhausted` (naming the account, what remains and how the
    /// secretariat raises a budget) or `service_unavailable` when the file cannot be written.
    /// A request releasing nothing new costs nothing and writes nothing. With the ledger
    /// disabled every request is free.
    public func charge(_ releases: [SubjectRelease], accounts: [(key: LedgerAccountKey, budget: Double)],
                       personOfSample: [Int]) throws(GatewayError) -> LedgerCharge {
        let outcome: Result<LedgerCharge, GatewayError> = state.withLock { state in
            if let failure = state.failure { return .failure(failure) }
            switch decide(releases, accounts: accounts, personOfSample: personOfSample, state: state) {
            case .failure(let error):
                return .failure(error)
            case .success(var decided):
                guard var accepted = decided.accepted else { return .success(decided.charge) }
                guard LedgerEntry.isRecordable(newPools: accepted.request.newPools, charges: accepted.charges) else {
                    return .failure(GatewayError(.serviceUnavailable, "this answer's disclosure charge cannot be recorded in \(path) (a cohort or figure beyond what the ledger stores), so it is not given"))
                }
                // Applied in place (no copy of an account), then written; a failed write is undone
                // in memory by rebuilding from the file.
                let firstNew = state.registry.nextID
                let newPools = accepted.request.newPools.enumerated().map { (firstNew + Int64($0.offset), $0.element) }
                state.registry.register(accepted.request)
                for index in accepted.charges.indices {
                    let spent = state.accounts[accepted.charges[index].account, default: DisclosureAccount()].apply(accepted.charges[index].plan)
                    accepted.charges[index].plan.spentAfter = spent
                    for part in decided.charge.accounts.indices where decided.charge.accounts[part].key == accepted.charges[index].account {
                        decided.charge.accounts[part].spentAfter = spent
                    }
                }
                let entry = LedgerEntry(time: Int64((Date().timeIntervalSince1970 * 1000).rounded()), newPools: newPools, charges: accepted.charges)
                do throws(GatewayError) {
                    try state.log.append(entry)
                } catch {
                    do throws(GatewayError) {
                        let rebuilt = try Self.rebuild(try state.log.replay().entries, path: path)
                        state.registry = rebuilt.registry
                        state.accounts = rebuilt.accounts
                    } catch let rebuildError {
                        state.failure = GatewayError(.serviceUnavailable, "the privacy ledger \(path) failed to record a charge and cannot be reread (\(rebuildError.message)); no answer is charged until the gateway restarts")
                    }
                    return .failure(error)
                }
                return .success(decided.charge)
            }
        }
        return try outcome.get()
    }

    /// Testing only: every later write fails as on a full disk and cannot be undone.
    func failWritesForTesting() {
        state.withLock { $0.log.failWritesForTesting() }
    }

    /// Testing only: the next write stops halfway and fails.
    func failNextWriteHalfwayForTesting() {
        state.withLock { $0.log.failNextWriteHalfway = true }
    }

    /// What a request changes when accepted: its resolved pools and each account's plan.
    private struct Accepted {
        var request: ResolvedRequest
        var charges: [LedgerEntry.StoredCharge]
    }

    /// Decides one request without changing anything; `accepted` is nil when it changes
    /// nothing (free).
    /// (A plan's `spentAfter` is its `spentBefore` until it is applied.)
    private func decide(_ releases: [SubjectRelease], accounts: [(key: LedgerAccountKey, budget: Double)],
                        personOfSample: [Int], state: borrowing State) -> Result<(charge: LedgerCharge, accepted: Accepted?), GatewayError> {
        // One account named twice is decided once, against the smaller budget.
        var accounts = accounts
        if accounts.indices.contains(where: { index in accounts[..<index].contains { $0.key == accounts[index].key } }) {
            var unique: [(key: LedgerAccountKey, budget: Double)] = []
            for account in accounts {
                if let index = unique.firstIndex(where: { $0.key == account.key }) {
                    unique[index].budget = Swift.min(unique[index].budget, account.budget)
                } else {
                    unique.append(account)
                }
            }
            accounts = unique
        }
        guard settings.enabled else {
            let parts = accounts.map { account in
                let spent = state.accounts[account.key]?.spent ?? 0
                return LedgerCharge.Account(key: account.key, added: 0, spentBefore: spent, spentAfter: spent, budget: account.budget)
            }
            return .success((LedgerCharge(accounts: parts), nil))
        }
        // An account whose budget is spent is refused before any planning when the request holds
        // a subject it was never answered about (nothing it asks can then be free).
        for account in accounts {
            guard let current = state.accounts[account.key], !(current.spent < account.budget),
                  releases.contains(where: { current.subjects[$0.subject] == nil }) else { continue }
            var plan = AccountPlan()
            plan.spentBefore = current.spent
            plan.spentAfter = current.spent
            return .failure(Self.budgetError(account: account.key, plan: plan, budget: account.budget))
        }
        let request = state.registry.resolve(releases)
        var plans: [AccountPlan] = []
        plans.reserveCapacity(accounts.count)
        for account in accounts {
            let current = state.accounts[account.key] ?? DisclosureAccount()
            // An account told exactly what an earlier one was told about these subjects gets the
            // same releases and exposure (the member's account usually mirrors the approval's):
            // only its spent budget differs.
            if let first = plans.first, let firstAccount = accounts.first.flatMap({ state.accounts[$0.key] ?? DisclosureAccount() }),
               request.subjects.allSatisfy({ current.subjects[$0.subject] == firstAccount.subjects[$0.subject] }) {
                var plan = first
                plan.spentBefore = current.spent
                plan.spentAfter = current.spent
                if plan.added > 0 && !(plan.spentBefore < account.budget) {
                    return .failure(Self.budgetError(account: account.key, plan: plan, budget: account.budget))
                }
                plans.append(plan)
                continue
            }
            switch current.plan(request, pools: state.registry, personOfSample: personOfSample, settings: settings, presenceCap: presenceCap,
                                people: state.people) {
            case .failure(.differencing(let subject, let people, let minimum, let firstRelease)):
                return .failure(Self.differencingError(subject: subject, people: people, minimum: minimum, firstRelease: firstRelease, account: account.key))
            case .success(let plan):
                // Refused only once the budget is spent: whether an answer is given must not depend
                // on what it would cost, which depends on the data it would release (a refusal would
                // then say it). The last answer may take the account over by its own charge.
                if plan.added > 0 && !(plan.spentBefore < account.budget) {
                    return .failure(Self.budgetError(account: account.key, plan: plan, budget: account.budget))
                }
                plans.append(plan)
            }
        }
        let parts = zip(accounts, plans).map { account, plan in
            LedgerCharge.Account(key: account.key, added: plan.added, spentBefore: plan.spentBefore, spentAfter: plan.spentAfter, budget: account.budget)
        }
        let charge = LedgerCharge(accounts: parts)
        let stored = zip(accounts, plans).filter { !$0.1.isEmpty }.map { LedgerEntry.StoredCharge(account: $0.0.key, plan: $0.1) }
        guard !stored.isEmpty else { return .success((charge, nil)) }
        return .success((charge, Accepted(request: request, charges: stored)))
    }
}
