import Foundation
import GatewayCore
import Synchronization

/// The disclosure ledger service: every account's state in memory, every accepted charge
/// committed to `privacy.sqlite` before ``charge(_:accounts:personOfSample:)`` returns.
///
/// Concurrency: deciding and recording a request happen under one lock, so two
/// concurrent requests on one account can never both pass the budget: the second is decided
/// against the first's exposure. Commits happen on GRDB's writer queue (never on the caller's
/// thread), in decision order, with every request that arrives while a commit is running
/// grouped into the next transaction. A request returns only once its charge is committed.
/// The lock is held while deciding: about 10-20 µs per new subject and account over 2,000
/// samples with 17 pools (release build), nothing for subjects released before; a request
/// releasing 100 new subjects holds it for a few milliseconds.
///
/// Fail closed: if a commit fails, that request and every request decided after it fail with
/// `service_unavailable`, charges are refused until the state is rebuilt from the store
/// (done at once), and if the store cannot be read the ledger refuses until restarted.
public final class DisclosureLedger: Sendable {
    /// The SQLite file's name in the data folder.
    public static let fileName = LedgerDatabase.fileName

    /// The settings the ledger decides with.
    public let settings: PrivacySettings
    /// The presence cap for `settings.minimumCellCount`.
    public let presenceCap: Double
    private let database: LedgerDatabase
    private let state: Mutex<State>

    private struct State: ~Copyable {
        var registry: PoolRegistry
        var accounts: [LedgerAccountKey: DisclosureAccount]
        var queue: [Pending] = []
        var writing = false
        var failure: GatewayError?
    }

    private struct Pending: Sendable {
        var entry: LedgerDatabase.Entry
        var charge: LedgerCharge
        var commit: LedgerCommit
    }

    /// Opens (creating) the ledger at `path` (`<data>/privacy.sqlite`) and replays it (blocking:
    /// open it at startup, not on an event loop).
    /// Throws `invalid_configuration` for bad settings, `service_unavailable` when the file
    /// cannot be opened or does not replay.
    public init(path: String, settings: PrivacySettings) throws(GatewayError) {
        try settings.validated()
        self.settings = settings
        presenceCap = MembershipSignal.presenceCap(minimumCount: settings.minimumCellCount)
        database = try LedgerDatabase(path: path)
        let loaded: (registry: PoolRegistry, accounts: [LedgerAccountKey: DisclosureAccount])
        do {
            loaded = try database.load()
        } catch {
            throw GatewayError(.serviceUnavailable, "the privacy ledger \(path) cannot be read: \(error)")
        }
        state = Mutex(State(registry: loaded.registry, accounts: loaded.accounts))
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
    /// decides all accounts first (differencing, then budget), and only if
    /// every one accepts commits the charge durably and applies it; otherwise nothing changes.
    ///
    /// Throws `differencing_refused` (naming the subject and how many people the cohort
    /// differs by), `privacy_budget_exhausted` (naming the account, what remains and how the
    /// secretariat raises a budget) or `service_unavailable` when the store fails. A request
    /// releasing nothing new costs nothing and writes nothing. With the ledger disabled every
    /// request is free.
    public func charge(_ releases: [SubjectRelease], accounts: [(key: LedgerAccountKey, budget: Double)],
                       personOfSample: [Int]) async throws(GatewayError) -> LedgerCharge {
        let reservation = try reserve(releases, accounts: accounts, personOfSample: personOfSample)
        try await reservation.committed()
        return reservation.charge
    }

    /// ``charge(_:accounts:personOfSample:)`` in two steps, so that the commit can overlap other
    /// work: decides now (throwing the same refusals) and applies the charge in memory, so the
    /// next request on the same account is decided against it; the commit runs on GRDB's queue.
    /// Nothing released may leave before ``LedgerReservation/committed()`` has returned.
    public func reserve(_ releases: [SubjectRelease], accounts: [(key: LedgerAccountKey, budget: Double)],
                        personOfSample: [Int]) throws(GatewayError) -> LedgerReservation {
        let commit = LedgerCommit()
        let outcome: Result<(charge: LedgerCharge, startWriter: Bool), GatewayError> = state.withLock { state in
            switch decide(releases, accounts: accounts, personOfSample: personOfSample, state: &state) {
            case .failure(let error):
                return .failure(error)
            case .success(let decided):
                guard let entry = decided.entry else {
                    commit.finish(.success(()))
                    return .success((decided.charge, false))
                }
                state.queue.append(Pending(entry: entry, charge: decided.charge, commit: commit))
                guard !state.writing else { return .success((decided.charge, false)) }
                state.writing = true
                return .success((decided.charge, true))
            }
        }
        let decided = try outcome.get()
        if decided.startWriter { Task { await self.drain() } }
        return LedgerReservation(charge: decided.charge, commit: commit)
    }

    /// Decides and (when it changes anything) applies one request in memory; the caller
    /// queues the returned entry for commit.
    private func decide(_ releases: [SubjectRelease], accounts: [(key: LedgerAccountKey, budget: Double)],
                        personOfSample: [Int], state: inout State) -> Result<(charge: LedgerCharge, entry: LedgerDatabase.Entry?), GatewayError> {
        if let failure = state.failure { return .failure(failure) }
        // One account named twice is decided once, against the smaller budget.
        var accounts = accounts
        if Set(accounts.map(\.key)).count < accounts.count {
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
            switch current.plan(request, pools: state.registry, personOfSample: personOfSample, settings: settings, presenceCap: presenceCap) {
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
        guard plans.contains(where: { !$0.releases.isEmpty || !$0.deltas.isEmpty }) else { return .success((charge, nil)) }
        let firstNew = state.registry.nextID
        let newPools = request.newPools.enumerated().map { (id: firstNew + Int64($0.offset), shape: $0.element) }
        state.registry.register(request)
        var stored: [LedgerDatabase.StoredCharge] = []
        for (account, plan) in zip(accounts, plans) where !plan.releases.isEmpty || !plan.deltas.isEmpty {
            state.accounts[account.key, default: DisclosureAccount()].apply(plan)
            stored.append(LedgerDatabase.StoredCharge(account: account.key, plan: plan))
        }
        return .success((charge, LedgerDatabase.Entry(newPools: newPools, charges: stored)))
    }

    /// Commits queued requests, a group per transaction, until the queue is empty.
    private func drain() async {
        while true {
            let batch: [Pending] = state.withLock { state in
                let batch = state.queue
                state.queue = []
                if batch.isEmpty { state.writing = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            do {
                try await database.write(batch.map(\.entry))
                for pending in batch { pending.commit.finish(.success(())) }
            } catch {
                let failure = GatewayError(.serviceUnavailable, "the privacy ledger \(database.path) cannot record this answer's charge, so it is not given: \(error)")
                let stranded: [Pending] = state.withLock { state in
                    state.failure = failure
                    let stranded = state.queue
                    state.queue = []
                    return stranded
                }
                for pending in batch + stranded { pending.commit.finish(.failure(failure)) }
                // What is in memory includes charges that were never stored: rebuild from the store.
                if let loaded = try? await database.loadAsync() {
                    state.withLock { state in
                        state.registry = loaded.registry
                        state.accounts = loaded.accounts
                        state.failure = nil
                    }
                }
            }
        }
    }
}
