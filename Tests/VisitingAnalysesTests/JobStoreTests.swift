import Foundation
import GatewayCore
import Testing
@testable import VisitingAnalyses

/// The job store on real SQLite files: every change survives a reopen; a restart re-queues or
/// fails running jobs and never loses one; a job is visible to its member only.
@Suite("Visiting analyses: job store")
struct JobStoreTests {
    static func folder(_ label: String) -> String {
        NSTemporaryDirectory() + "genomegate-jobs-\(label)-\(UUID().uuidString.prefix(8))"
    }

    static func job(_ member: String, at seconds: Double) -> AnalysisJob {
        AnalysisJob(member: member, approval: "A-2026-001", analysis: "allelic-association", parameters: #"{"region":"chr1:1-1000"}"#,
                    submittedAt: Date(timeIntervalSince1970: seconds))
    }

    @Test("a job's lifecycle and result survive a reopen")
    func persistence() throws {
        let folder = Self.folder("persist")
        let job = Self.job("researcher-jp", at: 1_000)
        do {
            let store = try JobStore(folder: folder)
            try store.insert(job)
            try store.apply(.start, to: job.id)
            try store.apply(.succeed, to: job.id, result: #"{"variants":[]}"#)
        }
        let reopened = try JobStore(folder: folder)
        let stored = try #require(try reopened.job(job.id, member: "researcher-jp"))
        #expect(stored.lifecycle.state == .succeeded && stored.lifecycle.attempts == 1)
        #expect(stored.result == #"{"variants":[]}"# && stored.startedAt != nil && stored.finishedAt != nil)
        #expect(stored.parameters == job.parameters && stored.submittedAt == job.submittedAt)
    }

    @Test("only the submitting member finds a job; malformed and unknown ids find nothing")
    func isolation() throws {
        let store = try JobStore(folder: Self.folder("isolation"))
        let job = Self.job("researcher-jp", at: 1)
        try store.insert(job)
        #expect(try store.job(job.id, member: "researcher-jp") != nil)
        #expect(try store.job(job.id, member: "researcher-us") == nil)
        #expect(try store.job("' OR 1=1 --", member: "researcher-jp") == nil)
        #expect(try store.job(AnalysisJob.newIdentifier(), member: "researcher-jp") == nil)
        #expect(try store.jobs(of: "researcher-us").isEmpty && store.jobs(of: "researcher-jp").map(\.id) == [job.id])
    }

    @Test("ids are 32 hex digits and do not repeat")
    func identifiers() {
        let ids = (0..<1_000).map { _ in AnalysisJob.newIdentifier() }
        #expect(Set(ids).count == ids.count && ids.allSatisfy(AnalysisJob.isIdentifier))
        #expect(!AnalysisJob.isIdentifier("ABCDEF0123456789abcdef0123456789") && !AnalysisJob.isIdentifier("abc"))
    }

    @Test("a restart: queued jobs stay queued, a running one runs again once, then fails saying why")
    func restart() throws {
        let folder = Self.folder("restart")
        let queued = Self.job("researcher-jp", at: 1), runningOnce = Self.job("researcher-jp", at: 2), runningTwice = Self.job("researcher-us", at: 3)
        do {
            let store = try JobStore(folder: folder)
            for job in [queued, runningOnce, runningTwice] { try store.insert(job) }
            try store.apply(.start, to: runningOnce.id)
            try store.apply(.start, to: runningTwice.id)
            try store.apply(.gatewayRestarted, to: runningTwice.id)
            try store.apply(.start, to: runningTwice.id)
        }
        let store = try JobStore(folder: folder)
        let outcome = try store.recoverAfterRestart()
        #expect(outcome.requeued == 1 && outcome.failed == 1)
        #expect(try store.job(queued.id, member: "researcher-jp")?.lifecycle.state == .queued)
        #expect(try store.job(runningOnce.id, member: "researcher-jp")?.lifecycle.state == .queued)
        let failed = try #require(try store.job(runningTwice.id, member: "researcher-us"))
        #expect(failed.lifecycle.state == .failed && failed.lifecycle.reason?.contains("submit it again") == true)
        // The queue resumes oldest first; the member's unfinished jobs are counted for its limit.
        #expect(try store.nextQueued()?.id == queued.id)
        #expect(try store.unfinishedCount(of: "researcher-jp") == 2 && store.unfinishedCount(of: "researcher-us") == 0)
    }

    @Test("an event the lifecycle refuses is a conflict and changes nothing; an unknown job is not found")
    func refusals() throws {
        let store = try JobStore(folder: Self.folder("refusals"))
        let job = Self.job("researcher-jp", at: 1)
        try store.insert(job)
        let conflict = #expect(throws: GatewayError.self) { try store.apply(.succeed, to: job.id, result: "{}") }
        #expect(conflict?.code == .conflict)
        #expect(try store.job(job.id, member: "researcher-jp")?.lifecycle.state == .queued)
        #expect(try store.job(job.id, member: "researcher-jp")?.result == nil)
        let missing = #expect(throws: GatewayError.self) { try store.apply(.start, to: AnalysisJob.newIdentifier()) }
        #expect(missing?.code == .notFound)
    }

    @Test("a unit conflicts with earlier units of the analysis under the approval (any member) or by the member (any approval), not of failed or cancelled jobs")
    func unitConflicts() throws {
        let store = try JobStore(folder: Self.folder("units"))
        func unit(_ start: Int, _ end: Int, rule: String = "af<0.01") -> CountedUnit {
            CountedUnit(parameter: "units[0]", name: "G\(start)", region: GenomicRegion(referenceName: "chr13", start: start, end: end), rule: rule)
        }
        func job(_ member: String, _ approval: String, _ analysis: String = "burden") -> AnalysisJob {
            AnalysisJob(member: member, approval: approval, analysis: analysis, parameters: "{}")
        }
        let colleague = job("researcher-b", "A-1"), failed = job("researcher-a", "A-1"), stranger = job("researcher-c", "A-3")
        let otherAnalysis = job("researcher-a", "A-1", "co-occurrence"), own = job("researcher-a", "A-2")
        try store.insert(colleague, units: [unit(1_000, 2_000)])
        try store.insert(failed, units: [unit(5_000, 6_000)])
        try store.apply(.fail(reason: "stopped"), to: failed.id)
        try store.insert(stranger, units: [unit(8_000, 9_000)])
        try store.insert(otherAnalysis, units: [unit(11_000, 12_000)])
        try store.insert(own, units: [unit(20_000_000, 20_001_000)])
        func conflict(_ units: [CountedUnit]) throws -> String? {
            try store.conflictingUnit(units, analysis: "burden", approval: "A-1", member: "researcher-a")?.job
        }
        #expect(try conflict([unit(1_500, 2_500)]) == colleague.id, "a colleague's unit under the same approval")
        #expect(try conflict([unit(1_000, 2_000, rule: "af<0.05")]) == colleague.id, "the same region under another rule")
        #expect(try conflict([unit(1_000, 2_000)]) == nil, "the same region under the same rule")
        #expect(try conflict([unit(2_001, 3_000)]) == nil, "beside it")
        #expect(try conflict([unit(5_500, 5_600), unit(8_500, 8_600), unit(11_500, 11_600)]) == nil,
                "a failed job's, another approval's member's and another analysis's units do not count")
        #expect(try conflict([unit(19_999_000, 20_000_000)]) == own.id, "the member's own job under another approval, found from 10 Mb back")
    }
}
