import Testing
@testable import VisitingAnalyses

/// The job lifecycle alone: every allowed transition, every refused one, and what a restart
/// does to a job in each state.
@Suite("Visiting analyses: job lifecycle")
struct JobLifecycleTests {
    typealias Event = JobLifecycle.Event

    static func run(_ events: [Event]) -> (JobLifecycle, [Bool]) {
        var job = JobLifecycle()
        let accepted = events.map { (try? job.handle($0).get()) != nil }
        return (job, accepted)
    }

    @Test("sequences", arguments: [
        ([], JobLifecycle.State.queued, [Bool](), 0),
        ([.start, .succeed], .succeeded, [true, true], 1),
        ([.start, .fail(reason: "over its time limit")], .failed, [true, true], 1),
        ([.cancel], .cancelled, [true], 0),
        ([.start, .cancel], .cancelled, [true, true], 1),
        ([.succeed], .queued, [false], 0),                                        // not started
        ([.start, .start], .running, [true, false], 1),                           // one worker at a time
        ([.start, .succeed, .cancel], .succeeded, [true, true, false], 1),       // finished stays finished
        ([.start, .gatewayRestarted, .start, .succeed], .succeeded, [true, true, true, true], 2),  // re-run once
        ([.start, .gatewayRestarted, .start, .gatewayRestarted], .failed, [true, true, true, true], 2),
        ([.gatewayRestarted, .gatewayRestarted, .start], .running, [true, true, true], 1),        // queued stays queued
        ([.start, .succeed, .gatewayRestarted], .succeeded, [true, true, true], 1),
    ] as [([Event], JobLifecycle.State, [Bool], Int)])
    func sequence(events: [Event], state: JobLifecycle.State, accepted: [Bool], attempts: Int) {
        let (job, results) = Self.run(events)
        #expect(job.state == state, "\(events)")
        #expect(results == accepted, "\(events)")
        #expect(job.attempts == attempts)
        #expect((job.reason != nil) == (state == .failed || state == .cancelled), "\(job)")
    }

    @Test("a refusal names the state and the event, and changes nothing")
    func refusal() {
        var job = JobLifecycle()
        job.handle(.start)
        job.handle(.succeed)
        let before = job
        guard case .failure(let refusal) = job.handle(.cancel) else { Issue.record("a finished job was cancelled"); return }
        #expect(refusal.description == "a succeeded job cannot be cancelled")
        #expect(job == before)
    }

    @Test("a job stopped by restarts fails saying why and how to go on")
    func restartReason() {
        let (job, _) = Self.run([.start, .gatewayRestarted, .start, .gatewayRestarted])
        #expect(job.reason?.contains("submit it again") == true)
    }
}
