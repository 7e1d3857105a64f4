import Foundation
import GatewayCore
import ServiceLifecycle
import Synchronization

/// Runs visiting-analysis jobs off the event loops: a `Service` in the gateway's group that
/// takes queued jobs oldest first, at most ``Limits/concurrency`` at a time, each within
/// ``Limits/timeLimit``. Submitting refuses a member with ``Limits/perMemberQueue`` jobs
/// queued or running (429 `too_many_jobs`). Cancelling a running job cancels its task (the
/// analyses check for cancellation as they go). Every state change goes through the
/// ``JobStore`` first, so a restart finds each job where it was.
public final class JobRunner: Service, Sendable {
    /// How much the environment takes on.
    public struct Limits: Sendable, Hashable {
        /// Jobs running at once (default 2).
        public var concurrency: Int
        /// Jobs one member may have queued or running (default 4).
        public var perMemberQueue: Int
        /// The longest one run may take (default 10 minutes).
        public var timeLimit: Duration

        public init(concurrency: Int = 2, perMemberQueue: Int = 4, timeLimit: Duration = .seconds(600)) {
            self.concurrency = max(1, concurrency)
            self.perMemberQueue = max(1, perMemberQueue)
            self.timeLimit = timeLimit
        }
    }

    /// Runs one job, reporting to and stopped through its ``JobProgress``: the stored result,
    /// or a `GatewayError` saying why it failed.
    public typealias Execute = @Sendable (AnalysisJob, JobProgress) async throws(GatewayError) -> String

    public let store: JobStore
    public let limits: Limits
    private let execute: Execute
    private let state = Mutex(State())
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    private struct State {
        var running: [String: (task: Task<Void, Never>, progress: JobProgress)] = [:]
        /// Set when the gateway shuts down: jobs cut short stay stored as running, so that the
        /// next start runs them again.
        var stopping = false
        /// Requests waiting for a job to finish (``waitUntilFinished(_:member:atMost:)``).
        var waiters: [String: [Int: AsyncStream<Void>.Continuation]] = [:]
        var nextWaiter = 0
    }

    public init(store: JobStore, limits: Limits = Limits(), execute: @escaping Execute) {
        self.store = store
        self.limits = limits
        self.execute = execute
        (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues a new job for `member`; throws `too_many_jobs` when the member's queue is full,
    /// or what `admit` throws (a check against the stored jobs, made under the same lock).
    /// `units` are stored with the job (``JobStore/conflictingUnit(_:analysis:approval:member:)``).
    public func submit(_ job: AnalysisJob, units: [CountedUnit] = [], admit: (JobStore) throws(GatewayError) -> Void = { _ in }) throws(GatewayError) {
        // Decided and inserted under one lock, so two submissions cannot both pass a check.
        try state.withLock { _ throws(GatewayError) in
            try admit(store)
            let unfinished = try store.unfinishedCount(of: job.member)
            guard unfinished < limits.perMemberQueue else {
                throw GatewayError(.tooManyJobs, "you have \(unfinished) visiting jobs queued or running, the most allowed; wait for one to finish or cancel one")
            }
            try store.insert(job, units: units)
        }
        wake.yield()
    }

    /// Cancels `member`'s job `id`: a queued job never runs, a running one is stopped. Throws
    /// `not_found` when the member has no such job and `conflict` when it has finished.
    @discardableResult
    public func cancel(_ id: String, member: String) throws(GatewayError) -> AnalysisJob {
        guard try store.job(id, member: member) != nil else { throw GatewayError(.notFound, "you have no visiting job \(id)") }
        let job = try store.apply(.cancel, to: id)
        if let running = state.withLock({ $0.running[id] }) {
            running.progress.stop()
            running.task.cancel()
        }
        notifyFinished(id)
        return job
    }

    /// Queues `member`'s finished job `id` to run again, saying why (its cohort changed before
    /// its result was released). Throws `not_found` or `conflict` like ``cancel(_:member:)``.
    @discardableResult
    public func rerun(_ id: String, member: String, reason: String) throws(GatewayError) -> AnalysisJob {
        let job = try state.withLock { _ throws(GatewayError) -> AnalysisJob in
            guard try store.job(id, member: member) != nil else { throw GatewayError(.notFound, "you have no visiting job \(id)") }
            // A re-run takes a place in the member's queue like a new job.
            let unfinished = try store.unfinishedCount(of: member)
            guard unfinished < limits.perMemberQueue else {
                throw GatewayError(.tooManyJobs, "this job must run again on the current cohort, but you have \(unfinished) visiting jobs queued or running, the most allowed; ask for its result again when one has finished")
            }
            return try store.apply(.rerun(reason: reason), to: id)
        }
        wake.yield()
        return job
    }

    /// Waits until `member`'s job `id` has finished (succeeded, failed or cancelled), at most
    /// `timeout`, and returns it as stored then: a client's long poll instead of many short ones.
    public func waitUntilFinished(_ id: String, member: String, atMost timeout: Duration) async throws(GatewayError) -> AnalysisJob? {
        let (finished, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let waiter = state.withLock { state in
            state.nextWaiter += 1
            state.waiters[id, default: [:]][state.nextWaiter] = continuation
            return state.nextWaiter
        }
        defer {
            state.withLock { state in
                state.waiters[id]?[waiter] = nil
                if state.waiters[id]?.isEmpty == true { state.waiters[id] = nil }
            }
            continuation.finish()
        }
        // Read after registering: a job that finished in between is seen here, not waited for.
        guard let job = try store.job(id, member: member), !job.lifecycle.state.isFinished, timeout > .zero else {
            return try store.job(id, member: member)
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { for await _ in finished { return } }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
        }
        return try store.job(id, member: member)
    }

    /// Wakes the requests waiting for job `id` (it finished), or every one (shutdown).
    private func notifyFinished(_ id: String?) {
        let waiting: [AsyncStream<Void>.Continuation] = state.withLock { state in
            if let id { return Array((state.waiters.removeValue(forKey: id) ?? [:]).values) }
            defer { state.waiters = [:] }
            return state.waiters.values.flatMap { $0.values }
        }
        for continuation in waiting {
            continuation.yield()
            continuation.finish()
        }
    }

    /// How far running job `id` has got (0 to 1), or nil when it is not running.
    public func progress(of id: String) -> Double? { state.withLock { $0.running[id]?.progress.fraction } }

    /// The number of jobs running now.
    public var runningCount: Int { state.withLock { $0.running.count } }

    /// Recovers from the last run, then runs jobs until the service group shuts down; running
    /// jobs are cancelled then, and a restart runs them again (``JobLifecycle``).
    public func run() async throws {
        _ = try store.recoverAfterRestart()
        wake.yield()
        await withGracefulShutdownHandler {
            for await _ in wakeups {
                startQueuedJobs()
            }
        } onGracefulShutdown: {
            self.state.withLock { $0.stopping = true }
            self.wake.finish()
        }
        let running = state.withLock { state in
            state.stopping = true
            return Array(state.running.values)
        }
        for job in running {
            job.progress.stop()
            job.task.cancel()
        }
        for job in running { await job.task.value }
        notifyFinished(nil)
    }

    /// Starts queued jobs while there is room.
    private func startQueuedJobs() {
        while true {
            let started: Bool = state.withLock { state in
                guard !state.stopping, state.running.count < limits.concurrency,
                      let next = try? store.nextQueued(), (try? store.apply(.start, to: next.id)) != nil else { return false }
                let progress = JobProgress()
                state.running[next.id] = (Task { await self.run(next, progress: progress) }, progress)
                return true
            }
            guard started else { return }
        }
    }

    /// Runs one job within the time limit and stores how it ended.
    private func run(_ job: AnalysisJob, progress: JobProgress) async {
        let outcome: Result<String, GatewayError> = await withTaskGroup(of: Result<String, GatewayError>?.self) { group in
            group.addTask {
                do throws(GatewayError) { return .success(try await self.execute(job, progress)) } catch { return .failure(error) }
            }
            group.addTask {
                try? await Task.sleep(for: self.limits.timeLimit)
                return Task.isCancelled ? nil : .failure(GatewayError(.requestTimeout, "the job ran over its time limit of \(self.limits.timeLimit)"))
            }
            var outcome: Result<String, GatewayError> = .failure(GatewayError(.internalError, "the job ended without an outcome"))
            if let first = await group.next(), let first { outcome = first }
            progress.stop()
            group.cancelAll()
            return outcome
        }
        guard !state.withLock({ $0.stopping }) else { return }
        switch outcome {
        case .success(let result):
            _ = try? store.apply(.succeed, to: job.id, result: result)
        case .failure(let error):
            // A job cancelled by its member is already stored as cancelled: this changes nothing.
            _ = try? store.apply(.fail(reason: error.message), to: job.id)
        }
        state.withLock { $0.running[job.id] = nil }
        notifyFinished(job.id)
        wake.yield()
    }
}
