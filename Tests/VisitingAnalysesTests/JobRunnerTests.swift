import Foundation
import GatewayCore
import Logging
import ServiceLifecycle
import Synchronization
import Testing
@testable import VisitingAnalyses

/// The job runner with a stand-in analysis: results stored, the concurrency and per-member
/// limits held, a time limit and a cancellation that stop a job, a failure that says why, and
/// a shutdown that leaves cut-short jobs to run again.
@Suite("Visiting analyses: job runner")
struct JobRunnerTests {
    static func store(_ label: String) throws -> JobStore {
        try JobStore(folder: NSTemporaryDirectory() + "genomegate-runner-\(label)-\(UUID().uuidString.prefix(8))")
    }

    static func job(_ member: String = "researcher-jp", parameters: String = "{}") -> AnalysisJob {
        AnalysisJob(member: member, approval: "A-2026-001", analysis: "stand-in", parameters: parameters)
    }

    /// Waits (up to 120 s: the test pool may be busy with other suites) until every job in `ids` is finished; returns them.
    static func finished(_ ids: [String], in store: JobStore, member: String = "researcher-jp") async throws -> [AnalysisJob] {
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline {
            let jobs = try ids.compactMap { try store.job($0, member: member) }
            if jobs.count == ids.count && jobs.allSatisfy(\.lifecycle.state.isFinished) { return jobs }
            try await Task.sleep(for: .milliseconds(20))
        }
        let states = try ids.compactMap { try store.job($0, member: member)?.lifecycle }
        Issue.record("jobs did not finish within 120 s: \(states)")
        return []
    }

    @Test("jobs run to success, at most `concurrency` at a time, their results stored")
    func concurrency() async throws {
        let store = try Self.store("concurrency")
        let counts = Mutex((now: 0, most: 0))
        let runner = JobRunner(store: store, limits: .init(concurrency: 2, perMemberQueue: 10)) { job, _ in
            counts.withLock { $0.now += 1; $0.most = max($0.most, $0.now) }
            try? await Task.sleep(for: .milliseconds(80))
            counts.withLock { $0.now -= 1 }
            return #"{"parameters":\#(job.parameters)}"#
        }
        let jobs = (0..<6).map { Self.job(parameters: #"{"n":\#($0)}"#) }
        for job in jobs { try runner.submit(job) }
        let service = Task { try await runner.run() }
        let done = try await Self.finished(jobs.map(\.id), in: store)
        service.cancel()
        #expect(done.allSatisfy { $0.lifecycle.state == .succeeded }, "\(done.map(\.lifecycle))")
        #expect(done.map(\.result) == jobs.map { #"{"parameters":\#($0.parameters)}"# })
        #expect((1...2).contains(counts.withLock { $0.most }), "at most two at a time: \(counts.withLock { $0.most })")
    }

    @Test("a member's queue is limited: the next submission is 429 too_many_jobs naming what to do")
    func perMemberQueue() throws {
        let runner = JobRunner(store: try Self.store("queue"), limits: .init(perMemberQueue: 2)) { _, _ in "{}" }
        try runner.submit(Self.job())
        try runner.submit(Self.job())
        let refused = #expect(throws: GatewayError.self) { try runner.submit(Self.job()) }
        #expect(refused?.code == .tooManyJobs && refused?.message.contains("cancel one") == true)
        try runner.submit(Self.job("researcher-us"))   // another member's queue is their own
    }

    @Test("a job over its time limit fails saying so; a failing job says why")
    func limitsAndFailures() async throws {
        let store = try Self.store("limits")
        let runner = JobRunner(store: store, limits: .init(timeLimit: .milliseconds(200))) { job, _ throws(GatewayError) in
            if job.parameters == #"{"fail":true}"# { throw GatewayError(.badRequest, "the region is larger than 10 Mb") }
            try? await Task.sleep(for: .seconds(30))
            return "{}"
        }
        let slow = Self.job(), failing = Self.job(parameters: #"{"fail":true}"#)
        try runner.submit(slow)
        try runner.submit(failing)
        let service = Task { try await runner.run() }
        let done = try await Self.finished([slow.id, failing.id], in: store)
        service.cancel()
        #expect(done.first?.lifecycle.state == .failed && done.first?.lifecycle.reason?.contains("time limit") == true, "\(done.first?.lifecycle as Any)")
        #expect(done.last?.lifecycle.reason == "the region is larger than 10 Mb")
        #expect(done.allSatisfy { $0.result == nil }, "nothing partial is released")
    }

    @Test("cancelling a running job stops its task; only its member can cancel it")
    func cancel() async throws {
        let store = try Self.store("cancel")
        let started = Mutex(false), sawCancellation = Mutex(false)
        let runner = JobRunner(store: store) { _, _ in
            started.withLock { $0 = true }
            while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(10)) }
            sawCancellation.withLock { $0 = true }
            return "{}"
        }
        let job = Self.job()
        try runner.submit(job)
        let service = Task { try await runner.run() }
        let deadline = ContinuousClock.now + .seconds(120)
        while !started.withLock({ $0 }) && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        let other = #expect(throws: GatewayError.self) { try runner.cancel(job.id, member: "researcher-us") }
        #expect(other?.code == .notFound)
        try runner.cancel(job.id, member: "researcher-jp")
        let done = try await Self.finished([job.id], in: store)
        while runner.runningCount > 0 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        service.cancel()
        #expect(done.first?.lifecycle.state == .cancelled && done.first?.result == nil)
        #expect(sawCancellation.withLock { $0 }, "the analysis saw the cancellation")
    }

    @Test("a graceful shutdown leaves a job cut short as running; the next start runs it again")
    func shutdown() async throws {
        let folder = NSTemporaryDirectory() + "genomegate-runner-shutdown-\(UUID().uuidString.prefix(8))"
        let store = try JobStore(folder: folder)
        let started = Mutex(false)
        let runner = JobRunner(store: store) { _, _ in
            started.withLock { $0 = true }
            while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(10)) }
            return "{}"
        }
        let job = Self.job()
        try runner.submit(job)
        let group = ServiceGroup(configuration: .init(services: [runner], logger: Logger(label: "test")))
        let service = Task { try await group.run() }
        let deadline = ContinuousClock.now + .seconds(120)
        while !started.withLock({ $0 }) && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        await group.triggerGracefulShutdown()
        try await service.value
        #expect(try store.job(job.id, member: "researcher-jp")?.lifecycle.state == .running, "stored as it was")
        let reopened = try JobStore(folder: folder)
        #expect(try reopened.recoverAfterRestart().requeued == 1)
        #expect(try reopened.job(job.id, member: "researcher-jp")?.lifecycle.state == .queued)
    }

    @Test("a long poll returns when the job finishes, not before; a short one returns it unfinished; another member's job is nil")
    func waitUntilFinished() async throws {
        let store = try Self.store("wait")
        let release = Mutex(false)
        let runner = JobRunner(store: store) { _, _ in
            while !release.withLock({ $0 }) { try? await Task.sleep(for: .milliseconds(5)) }
            return "{}"
        }
        let job = Self.job()
        try runner.submit(job)
        let service = Task { try await runner.run() }
        let early = try await runner.waitUntilFinished(job.id, member: job.member, atMost: .milliseconds(100))
        #expect(early?.lifecycle.state.isFinished == false, "the time is up first: \(String(describing: early?.lifecycle))")
        #expect(try await runner.waitUntilFinished(job.id, member: "researcher-us", atMost: .milliseconds(10)) == nil)
        let waiting = Task { try await runner.waitUntilFinished(job.id, member: job.member, atMost: .seconds(120)) }
        try await Task.sleep(for: .milliseconds(100))
        release.withLock { $0 = true }
        let finished = try await waiting.value
        service.cancel()
        #expect(finished?.lifecycle.state == .succeeded, "\(String(describing: finished?.lifecycle))")
    }
}
