import Foundation
import GatewayCore
import Synchronization

/// The audit log's writer: requests hand it their record and wait until it is committed;
/// one writer seals records into the hash chain and commits them in batches (group commit),
/// so concurrent requests share one fsync.
///
/// The caller drives it (``AuditService`` in the server) from one task: ``writePending()``
/// whenever ``wakeups`` yields, ``tick()`` now and then so time-based checkpoints are
/// signed, ``close()`` at shutdown.
/// If a commit fails every waiting request gets `audit_unavailable` (its answer must not
/// leave); the chain is not advanced, and the next records try again, so the log recovers
/// by itself once the store can be written.
public final class AuditLog: Sendable {
    /// When checkpoints are signed, and how records are committed.
    public struct Settings: Sendable {
        public var checkpointEveryRecords: Int = 1000
        public var checkpointEvery: Duration = .seconds(60)
        /// false: one commit (one fsync) per record (for comparison in scripts/bench-audit).
        public var groupCommit: Bool = true
        /// Most records in one commit.
        public var maximumBatch: Int = 4096
        /// Most records waiting before detached ones (refused handshakes) are dropped and counted.
        public var maximumDetached: Int = 100_000
        /// A caller whose record is not committed within this (a hung disk, a lock held
        /// elsewhere) is refused with `audit_unavailable` instead of waiting on; its record is
        /// written if the stuck commit completes after all. See ``expireOverdue()``.
        public var commitDeadline: Duration = .seconds(10)
        /// Told after each commit attempt (metrics): how many records it held, how long it
        /// took, whether it was written. Called on the writer's task: must be quick.
        public var commitObserver: (@Sendable (_ records: Int, _ duration: Duration, _ written: Bool) -> Void)?

        public init() {}
    }

    public let database: AuditDatabase
    public let signer: AuditSigner
    public let settings: Settings
    /// Signals that records are waiting; the driver calls ``writePending()`` for each.
    public let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation
    private let state: Mutex<State>

    private struct Pending: Sendable {
        var record: AuditRecord
        /// Told the outcome once the record is committed or refused; nil for detached records.
        var waiter: Waiter?
    }

    /// A caller waiting for its record: told once, by the writer or by the deadline.
    final class Waiter: Sendable {
        let enqueued = ContinuousClock.now
        private let callback: Mutex<(@Sendable (Result<Int, GatewayError>) -> Void)?>

        init(_ callback: @escaping @Sendable (Result<Int, GatewayError>) -> Void) {
            self.callback = Mutex(callback)
        }

        func finish(_ result: Result<Int, GatewayError>) {
            let callback = self.callback.withLock { value in
                defer { value = nil }
                return value
            }
            callback?(result)
        }
    }

    private struct State: Sendable {
        var pending: [Pending] = []
        var head: AuditDatabase.Head
        var checkpointSequence: Int
        var checkpointSignature: String
        var checkpointTime: ContinuousClock.Instant
        /// Whether the last commit failed (for the log and health).
        var failing = false
        /// After ``close()``: nothing more is accepted.
        var closed = false
        var droppedDetached = 0
        /// The callers of the commit under way, and since when.
        var inFlight: [Waiter] = []
        var inFlightSince: ContinuousClock.Instant?
        /// Callers of ``signHead()`` waiting for the next checkpoint.
        var headWaiters: [CheckedContinuation<Int, Never>] = []
    }

    /// Held for the log's life: one writer per audit store, or the chain would fork.
    private let lockDescriptor: Int32

    /// Opens the audit store in `folder` and checks its head; refuses if another process
    /// (a second gateway on the same data folder) is writing it.
    public init(folder: String, signer: AuditSigner, settings: Settings = Settings()) throws(GatewayError) {
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let lockPath = (folder as NSString).appendingPathComponent("audit.lock")
        guard let descriptor = ExclusiveFileLock.acquire(lockPath) else {
            guard errno == EWOULDBLOCK else { throw GatewayError(.auditUnavailable, "cannot open \(lockPath): \(String(cString: strerror(errno)))") }
            throw GatewayError(.auditUnavailable, "another process is writing the audit log in \(folder) (lock \(lockPath)); one gateway per data folder")
        }
        // A store that cannot be opened releases the lock (and its descriptor) before the error leaves.
        let database: AuditDatabase
        let head: AuditDatabase.Head
        let checkpoint: (sequence: Int, signature: String)?
        do {
            database = try AuditDatabase(folder: folder)
            head = try database.head()
            checkpoint = try database.lastCheckpoint()
        } catch {
            closeDescriptor(descriptor)
            throw error
        }
        self.lockDescriptor = descriptor
        self.database = database
        self.signer = signer
        self.settings = settings
        self.state = Mutex(State(head: head, checkpointSequence: checkpoint?.sequence ?? 0,
                                 checkpointSignature: checkpoint?.signature ?? "", checkpointTime: .now))
        (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    deinit { closeDescriptor(lockDescriptor) }

    /// The last committed sequence.
    public var headSequence: Int { state.withLock { $0.head.sequence } }

    /// Whether the last attempt to commit failed.
    public var isFailing: Bool { state.withLock { $0.failing } }

    /// Records waiting for the writer or in the commit under way with a caller waiting.
    public var waitingCount: Int { state.withLock { $0.pending.count + $0.inFlight.count } }

    /// Appends `record` and returns its sequence once it is committed to disk; throws
    /// `audit_unavailable` if it could not be.
    public func append(_ record: AuditRecord) async throws(GatewayError) -> Int {
        do {
            return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int, any Error>) in
                append(record) { result in continuation.resume(with: result.mapError { $0 as any Error }) }
            }
        } catch let error as GatewayError {
            throw error
        } catch {
            throw GatewayError(.auditUnavailable, "the audit record could not be written: \(error)")
        }
    }

    /// Appends `record` and calls `completion` (on the writer's thread) once it is committed,
    /// with its sequence, or refused, with `audit_unavailable`.
    public func append(_ record: AuditRecord, completion: @escaping @Sendable (Result<Int, GatewayError>) -> Void) {
        let accepted = state.withLock { value -> Bool in
            guard !value.closed else { return false }
            value.pending.append(Pending(record: record, waiter: Waiter(completion)))
            return true
        }
        if accepted { wake.yield(()) } else {
            completion(.failure(GatewayError(.auditUnavailable, "the audit log is closed (the gateway is shutting down)")))
        }
    }

    /// Appends `record` without waiting (a refused TLS handshake has no answer to hold back).
    /// Kept and retried if the store cannot be written, up to ``Settings/maximumDetached``
    /// waiting; beyond that they are counted in ``droppedDetached`` (and logged by the service).
    public func appendDetached(_ record: AuditRecord) {
        let accepted = state.withLock { value -> Bool in
            guard !value.closed, value.pending.count < settings.maximumDetached else {
                value.droppedDetached += 1
                return false
            }
            value.pending.append(Pending(record: record, waiter: nil))
            return true
        }
        if accepted { wake.yield(()) }
    }

    /// Detached records dropped because too many were waiting (the store failing under a flood).
    public var droppedDetached: Int { state.withLock { $0.droppedDetached } }

    /// Wakes the writer without a record, so it can sign a checkpoint that is due by time.
    public func tick() {
        wake.yield(())
    }

    /// Commits everything waiting, in batches (one per commit without group commit), then
    /// signs a checkpoint if one is due by time. Only the writer calls this, never twice at once.
    public func writePending() async {
        await commitPending()
        let waiters = state.withLock { value in
            defer { value.headWaiters = [] }
            return value.headWaiters
        }
        await writeCheckpointIfDue(force: !waiters.isEmpty)
        let signed = state.withLock { $0.checkpointSequence }
        for waiter in waiters { waiter.resume(returning: signed) }
    }

    /// Has the writer sign a checkpoint of everything committed so far (if not signed yet) and
    /// returns the sequence the latest checkpoint covers: an export up to it verifies end to end.
    public func signHead() async -> Int {
        await withCheckedContinuation { waiter in
            let closed = state.withLock { value -> Bool in
                guard !value.closed else { return true }
                value.headWaiters.append(waiter)
                return false
            }
            if closed { waiter.resume(returning: state.withLock { $0.checkpointSequence }) } else { wake.yield(()) }
        }
    }

    private func commitPending() async {
        while true {
            let limit = settings.groupCommit ? settings.maximumBatch : 1
            let (batch, head, checkpoint) = state.withLock { value in
                let count = min(limit, value.pending.count)
                let batch = Array(value.pending.prefix(count))
                value.pending.removeFirst(count)
                return (batch, value.head, (value.checkpointSequence, value.checkpointSignature))
            }
            guard !batch.isEmpty else { return }
            var sealed: [AuditDatabase.Sealed] = []
            sealed.reserveCapacity(batch.count)
            var previous = head.hash, sequence = head.sequence
            var waiters: [(Waiter, Int)] = []
            for pending in batch {
                var record = pending.record
                record.sequence = sequence + 1
                guard let canonical = try? record.canonicalJSON() else {
                    pending.waiter?.finish(.failure(GatewayError(.auditUnavailable, "an audit record could not be encoded")))
                    continue
                }
                sequence += 1
                let hash = AuditChain.hash(previous: previous, canonical: canonical)
                sealed.append(.init(record: record, canonical: canonical, previousHash: previous, hash: hash))
                previous = hash
                if let waiter = pending.waiter { waiters.append((waiter, sequence)) }
            }
            let signed: (sequence: Int, text: String, signature: String)?
            signed = sequence - checkpoint.0 >= settings.checkpointEveryRecords
                ? try? makeCheckpoint(sequence: sequence, headHash: previous, previousSignature: checkpoint.1) : nil
            state.withLock { value in
                value.inFlight = waiters.map(\.0)
                value.inFlightSince = .now
            }
            defer { state.withLock { $0.inFlight = []; $0.inFlightSince = nil } }
            let started = ContinuousClock.now
            do {
                try await database.write(sealed, checkpoint: signed)
                settings.commitObserver?(sealed.count, .now - started, true)
            } catch {
                settings.commitObserver?(sealed.count, .now - started, false)
                let failure = GatewayError(.auditUnavailable, "the audit store cannot be written: \(error)")
                state.withLock { value in
                    value.failing = true
                    // Detached records wait for the next attempt; answers waiting are refused.
                    value.pending.insert(contentsOf: batch.filter { $0.waiter == nil }, at: 0)
                }
                for (waiter, _) in waiters { waiter.finish(.failure(failure)) }
                return
            }
            state.withLock { value in
                value.head = AuditDatabase.Head(sequence: sequence, hash: previous)
                value.failing = false
                if let signed {
                    value.checkpointSequence = signed.sequence
                    value.checkpointSignature = signed.signature
                    value.checkpointTime = .now
                }
            }
            for (waiter, sequence) in waiters { waiter.finish(.success(sequence)) }
        }
    }

    /// Refuses (`audit_unavailable`) every caller waiting longer than
    /// ``Settings/commitDeadline`` (a commit stuck on a hung disk or a lock held elsewhere),
    /// and marks the log failing until a commit succeeds. Called now and then from outside the
    /// writer (which may be the one stuck). Their records stay in the commit under way or queued.
    public func expireOverdue() {
        let now = ContinuousClock.now
        let overdue = state.withLock { value -> [Waiter] in
            var overdue: [Waiter] = []
            if let since = value.inFlightSince, now - since > settings.commitDeadline { overdue += value.inFlight }
            for pending in value.pending {
                if let waiter = pending.waiter, now - waiter.enqueued > settings.commitDeadline { overdue.append(waiter) }
            }
            if !overdue.isEmpty { value.failing = true }
            return overdue
        }
        let failure = GatewayError(.auditUnavailable, "the audit record was not committed within \(settings.commitDeadline)")
        for waiter in overdue { waiter.finish(.failure(failure)) }
    }

    /// Signs a checkpoint of the head if records came after the last one and `checkpointEvery` has passed.
    func writeCheckpointIfDue(force: Bool = false) async {
        let (head, sequence, signature, time) = state.withLock { ($0.head, $0.checkpointSequence, $0.checkpointSignature, $0.checkpointTime) }
        guard head.sequence > sequence, force || ContinuousClock.now - time >= settings.checkpointEvery else { return }
        guard let signed = try? makeCheckpoint(sequence: head.sequence, headHash: head.hash, previousSignature: signature) else { return }
        do {
            try await database.write([], checkpoint: signed)
            state.withLock { value in
                value.checkpointSequence = signed.sequence
                value.checkpointSignature = signed.signature
                value.checkpointTime = .now
            }
        } catch {
            state.withLock { $0.failing = true }
        }
    }

    /// Writes what is waiting and a final checkpoint (graceful shutdown).
    public func close() async {
        state.withLock { $0.closed = true }
        wake.finish()
        await commitPending()
        await writeCheckpointIfDue(force: true)
        let (waiters, signed) = state.withLock { value in
            defer { value.headWaiters = [] }
            return (value.headWaiters, value.checkpointSequence)
        }
        for waiter in waiters { waiter.resume(returning: signed) }
    }

    private func makeCheckpoint(sequence: Int, headHash: [UInt8], previousSignature: String) throws -> (sequence: Int, text: String, signature: String) {
        let checkpoint = AuditCheckpoint(sequence: sequence, headHash: AuditChain.hex(headHash), time: Date(),
                                         previousSignature: previousSignature, keyID: signer.keyID)
        let text = try checkpoint.canonicalJSON()
        return (sequence, text, AuditChain.hex(try signer.sign(text)))
    }
}

/// `close(2)`, which inside the class would name ``AuditLog/close()``.
private func closeDescriptor(_ descriptor: Int32) {
    #if canImport(Glibc)
    _ = Glibc.close(descriptor)
    #else
    _ = Darwin.close(descriptor)
    #endif
}
