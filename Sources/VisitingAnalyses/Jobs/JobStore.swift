import Foundation
import GatewayCore
import GRDB

/// The jobs of the visiting analysis environment: `visiting.sqlite` (``fileName``) in the data
/// folder, WAL with `synchronous = FULL`. Every lifecycle change is stored before it takes
/// effect, so a restart finds each job where it was (``recoverAfterRestart()``). Lookups are
/// by member and id together: another member's job is not found, the same as one that does not
/// exist.
public struct JobStore: Sendable {
    public static let fileName = "visiting.sqlite"
    public let path: String
    private let queue: DatabaseQueue

    /// Opens (creating) the store in `folder`. Blocking: at startup or off the event loops.
    public init(folder: String) throws(GatewayError) {
        path = (folder as NSString).appendingPathComponent(Self.fileName)
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            var configuration = Configuration()
            configuration.label = "VisitingJobs"
            configuration.busyMode = .timeout(5)
            configuration.prepareDatabase { db in
                if !db.configuration.readonly { try db.execute(sql: "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL") }
            }
            queue = try DatabaseQueue(path: path, configuration: configuration)
            try Self.migrator.migrate(queue)
        } catch {
            throw GatewayError(.serviceUnavailable, "the visiting jobs store \(path) cannot be opened: \(error)")
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE job (
                    id TEXT PRIMARY KEY, member TEXT NOT NULL, approval TEXT NOT NULL, analysis TEXT NOT NULL,
                    parameters TEXT NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL, reason TEXT,
                    submitted_at REAL NOT NULL, started_at REAL, finished_at REAL, result TEXT);
                CREATE INDEX job_by_member ON job(member, submitted_at);
                CREATE INDEX job_by_state ON job(state, submitted_at);
                """)
        }
        migrator.registerMigration("v2") { db in
            try db.execute(sql: "CREATE INDEX job_by_approval ON job(approval, analysis, submitted_at)")
        }
        migrator.registerMigration("v3") { db in
            try db.execute(sql: """
                CREATE TABLE job_unit (
                    job TEXT NOT NULL REFERENCES job(id), name TEXT NOT NULL, chromosome TEXT NOT NULL,
                    start INTEGER NOT NULL, "end" INTEGER NOT NULL, rule TEXT NOT NULL);
                CREATE INDEX job_unit_by_region ON job_unit(chromosome, start);
                """)
            try backfillUnits(db)
        }
        return migrator
    }

    /// Stores a new job, with the units it counts carriers over (``CountedUnit``).
    public func insert(_ job: AnalysisJob, units: [CountedUnit] = []) throws(GatewayError) {
        try write { db in
            try db.execute(sql: """
                INSERT INTO job (id, member, approval, analysis, parameters, state, attempts, reason, submitted_at, started_at, finished_at, result)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: Self.arguments(job))
            try Self.insertUnits(units, of: job.id, db)
        }
    }

    /// Applies `event` to job `id` and stores the outcome in one transaction; returns the job
    /// as stored after it. Throws `not_found` for an unknown id and `conflict` when the
    /// lifecycle refuses the event (nothing changes then). `result` is stored with `.succeed`.
    @discardableResult
    public func apply(_ event: JobLifecycle.Event, to id: String, result: String? = nil, at time: Date = Date()) throws(GatewayError) -> AnalysisJob {
        try write { db -> AnalysisJob in
            guard var job = try Self.fetch(db, id: id) else { throw GatewayError(.notFound, "no visiting job \(id)") }
            if case .failure(let refusal) = job.lifecycle.handle(event) { throw GatewayError(.conflict, "\(refusal)") }
            switch job.lifecycle.state {
            case .running: job.startedAt = time
            case .succeeded, .failed, .cancelled: job.finishedAt = job.finishedAt ?? time
            case .queued:
                job.startedAt = nil
                job.finishedAt = nil
            }
            if event == .succeed { job.result = result }
            if case .rerun = event { job.result = nil }
            try db.execute(sql: """
                UPDATE job SET state = ?, attempts = ?, reason = ?, started_at = ?, finished_at = ?, result = ? WHERE id = ?
                """, arguments: [job.lifecycle.state.rawValue, job.lifecycle.attempts, job.lifecycle.reason,
                                 job.startedAt?.timeIntervalSince1970, job.finishedAt?.timeIntervalSince1970, job.result, job.id])
            return job
        }
    }

    /// Job `id` if `member` submitted it; nil otherwise (whether it exists or not).
    public func job(_ id: String, member: String) throws(GatewayError) -> AnalysisJob? {
        guard AnalysisJob.isIdentifier(id) else { return nil }
        return try read { db in try Self.fetch(db, id: id).flatMap { $0.member == member ? $0 : nil } }
    }

    /// `member`'s jobs, newest first.
    public func jobs(of member: String, limit: Int = 100) throws(GatewayError) -> [AnalysisJob] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM job WHERE member = ? ORDER BY submitted_at DESC LIMIT ?", arguments: [member, max(0, limit)])
                .map(Self.job(from:))
        }
    }

    /// How many of `member`'s jobs are queued or running (for the per-member queue limit).
    public func unfinishedCount(of member: String) throws(GatewayError) -> Int {
        try read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM job WHERE member = ? AND state IN ('queued', 'running')", arguments: [member]) ?? 0
        }
    }

    /// The oldest queued job, if any.
    public func nextQueued() throws(GatewayError) -> AnalysisJob? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM job WHERE state = 'queued' ORDER BY submitted_at, id LIMIT 1").map(Self.job(from:))
        }
    }

    /// After a start: every job stored as running is queued again or failed with a reason
    /// (``JobLifecycle``). Returns how many were re-queued and how many failed.
    public func recoverAfterRestart(at time: Date = Date()) throws(GatewayError) -> (requeued: Int, failed: Int) {
        let running: [String] = try read { db in try String.fetchAll(db, sql: "SELECT id FROM job WHERE state = 'running'") }
        var outcome = (requeued: 0, failed: 0)
        for id in running {
            let job = try apply(.gatewayRestarted, to: id, at: time)
            if job.lifecycle.state == .queued { outcome.requeued += 1 } else { outcome.failed += 1 }
        }
        return outcome
    }

    // MARK: - Rows

    private static func arguments(_ job: AnalysisJob) -> StatementArguments {
        [job.id, job.member, job.approval, job.analysis, job.parameters, job.lifecycle.state.rawValue, job.lifecycle.attempts,
         job.lifecycle.reason, job.submittedAt.timeIntervalSince1970, job.startedAt?.timeIntervalSince1970,
         job.finishedAt?.timeIntervalSince1970, job.result]
    }

    private static func fetch(_ db: Database, id: String) throws -> AnalysisJob? {
        try Row.fetchOne(db, sql: "SELECT * FROM job WHERE id = ?", arguments: [id]).map(job(from:))
    }

    private static func job(from row: Row) throws -> AnalysisJob {
        let stateName: String = try row.decode(forColumn: "state")
        guard let state = JobLifecycle.State(rawValue: stateName) else { throw JobStoreDamage("a job has an unknown state \(stateName)") }
        var job = AnalysisJob(member: try row.decode(forColumn: "member"), approval: try row.decode(forColumn: "approval"),
                              analysis: try row.decode(forColumn: "analysis"), parameters: try row.decode(forColumn: "parameters"),
                              submittedAt: Date(timeIntervalSince1970: try row.decode(forColumn: "submitted_at")))
        job.id = try row.decode(forColumn: "id")
        job.lifecycle = JobLifecycle(state: state, attempts: try row.decode(forColumn: "attempts"), reason: try row.decode(forColumn: "reason"))
        job.startedAt = (try row.decode(Double?.self, forColumn: "started_at")).map(Date.init(timeIntervalSince1970:))
        job.finishedAt = (try row.decode(Double?.self, forColumn: "finished_at")).map(Date.init(timeIntervalSince1970:))
        job.result = try row.decode(forColumn: "result")
        return job
    }

    func write<T>(_ body: (Database) throws -> T) throws(GatewayError) -> T {
        do { return try queue.write(body) } catch let error as GatewayError { throw error } catch {
            throw GatewayError(.serviceUnavailable, "the visiting jobs store \(path) cannot be written: \(error)")
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws(GatewayError) -> T {
        do { return try queue.read(body) } catch let error as GatewayError { throw error } catch {
            throw GatewayError(.serviceUnavailable, "the visiting jobs store \(path) cannot be read: \(error)")
        }
    }
}

/// A stored job that cannot be read back.
struct JobStoreDamage: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
