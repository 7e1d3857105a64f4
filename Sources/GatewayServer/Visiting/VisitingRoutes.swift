import AuditLog
import Foundation
import GatewayCore
import GatewayPolicy
import Hummingbird
import NIOConcurrencyHelpers
import VariantStore
import VisitingAnalyses

/// The visiting analysis environment's API (README "Visiting analyses"), for researchers:
///
/// - `POST /api/visiting/jobs` `{"analysis", "parameters", "approval"?}`: validated, decided
///   (`analysis:NAME` under the approval, with the cancer types the parameters name) and queued:
///   202 with the job;
/// - `GET /api/visiting/jobs`: the member's jobs; `GET /api/visiting/jobs/{id}`: one, with its
///   progress (`?wait=SECONDS`: once it has finished, a long poll); `DELETE` cancels it;
/// - `GET /api/visiting/jobs/{id}/result`: decided again, checked against the current cohort
///   (re-run when it changed), charged to the disclosure ledger, audited, then released.
///
/// Another member's job is `not_found`, like one that does not exist.
enum VisitingRoutes {
    static func register(on router: Router<GatewayRequestContext>, environment: VisitingEnvironment, service: VariantQueryService) {
        router.post("/api/visiting/jobs", access: .research) { request, context in
            try await submit(request, context, environment, service)
        }
        router.get("/api/visiting/jobs", access: .research) { _, context in
            let member = try context.requireMember()
            let jobs = try await environment.blocking { () throws(GatewayError) in try environment.store.jobs(of: member.id) }
            return try JSONResponse.make(JobList(jobs: jobs.map { JobStatus($0, progress: environment.runner.progress(of: $0.id)) }))
        }
        router.get("/api/visiting/jobs/{id}", access: .research, takesQuery: true) { request, context in
            let wait = try waitParameter(request)
            var job = try await job(context, environment)
            if wait > .zero, !job.lifecycle.state.isFinished {
                job = try await environment.runner.waitUntilFinished(job.id, member: job.member, atMost: wait) ?? job
            }
            return try JSONResponse.make(JobStatus(job, progress: environment.runner.progress(of: job.id)))
        }
        router.on("/api/visiting/jobs/{id}", method: .delete, access: .research) { _, context in
            let member = try context.requireMember()
            let id = try identifier(context)
            let job = try await environment.blocking { () throws(GatewayError) in try environment.runner.cancel(id, member: member.id) }
            context.record.withLockedValue { $0.query = "job=\(job.id)" }
            return try JSONResponse.make(JobStatus(job, progress: nil))
        }
        router.get("/api/visiting/jobs/{id}/result", access: .research) { _, context in
            try await VisitingRelease.release(try await job(context, environment), context, environment, service)
        }
    }

    /// The submitted body.
    struct Submission {
        var analysis: any VisitingAnalysis
        var approval: String?

        init(_ body: JSONValue, header approval: String?) throws(GatewayError) {
            guard case .object(let object) = body else {
                throw GatewayError(.badRequest, "the body must be a JSON object: {\"analysis\", \"parameters\", \"approval\"}")
            }
            if let unknown = object.keys.sorted().first(where: { !["analysis", "parameters", "approval"].contains($0) }) {
                throw GatewayError(.badRequest, "unknown field '\(unknown.prefix(60))'; a job takes analysis, parameters and approval")
            }
            guard case .string(let name)? = object["analysis"] else {
                throw GatewayError(.badRequest, "analysis is required: one of \(AnalysisCatalogue.analyses.map { $0.entry.name }.joined(separator: ", "))")
            }
            guard let type = AnalysisCatalogue.analysis(named: name) else {
                throw GatewayError(.badRequest, "analysis '\(name.prefix(64))' is not in the catalogue; submittable: \(AnalysisCatalogue.analyses.map { $0.entry.name }.joined(separator: ", ")) (genomegate analyses list)")
            }
            guard let parameters = object["parameters"] else { throw GatewayError(.badRequest, "parameters is required: an object (see the catalogue)") }
            self.analysis = try type.init(parameters: parameters)
            switch object["approval"] {
            case nil: self.approval = approval
            case .string(let named)?:
                guard approval == nil || approval == named else {
                    throw GatewayError(.badRequest, "approval '\(named.prefix(64))' differs from the X-Approval-Id header; name one approval")
                }
                self.approval = named
            case let other?: throw GatewayError(.badRequest, "approval must be a string, not \(other.typeName)")
            }
        }
    }

    static func submit(_ request: Request, _ context: GatewayRequestContext, _ environment: VisitingEnvironment,
                       _ service: VariantQueryService) async throws -> Response {
        _ = try context.requireMember()
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        let submission = try Submission(try JSONParser.parse(buffer.readableBytesView), header: try BeaconRoutes.approvalHeader(request))
        let job = try await enqueue(submission, context, environment, service)
        var response = try JSONResponse.make(JobStatus(job, progress: nil), status: .accepted)
        response.headers[.location] = "/api/visiting/jobs/\(job.id)"
        return response
    }

    /// Decides and stores a validated submission (the API's `POST /api/visiting/jobs` and the
    /// console's form alike): `analysis:NAME` under the approval with the cancer types the
    /// parameters name, groups at least the minimum, the memory plan, the units rule; then the
    /// queued job, with its audit record's query and kind.
    static func enqueue(_ submission: Submission, _ context: GatewayRequestContext, _ environment: VisitingEnvironment,
                        _ service: VariantQueryService) async throws -> AnalysisJob {
        let member = try context.requireMember()
        let analysis = submission.analysis
        let name = type(of: analysis).name
        context.record.withLockedValue { $0.query = "analysis=\(name)&parameters=\(analysis.canonicalParameters.jsonText)" }
        let grant = try AccessControl.authorize(try VisitingExecution.query(analysis, approval: submission.approval), context)
        guard let approval = grant.approvalID else { throw GatewayError(.internalError, "an allowed analysis decision names no approval") }
        // Refused now rather than queued to fail: a group below the minimum, or too many variants.
        let (cohort, _) = try await service.analysisCohort(under: grant)
        _ = try analysis.contributors(in: cohort, control: service.disclosure)
        try environment.execution.checkMemory(analysis, capacity: cohort.capacity)
        let job = AnalysisJob(member: member.id, approval: approval, analysis: name, parameters: analysis.canonicalParameters.jsonText)
        try await environment.blocking { () throws(GatewayError) in
            try environment.runner.submit(job, units: analysis.countedUnits) { store throws(GatewayError) in
                try checkUnits(analysis, member: member.id, approval: approval, in: store)
            }
        }
        context.record.withLockedValue {
            $0.query = "analysis=\(name)&job=\(job.id)&parameters=\(analysis.canonicalParameters.jsonText)"
            $0.returned = .init(kind: "visiting-job")
        }
        return job
    }

    /// The longest `wait` a status request may hold its answer back.
    static let maximumWait = 30.0

    /// `?wait=SECONDS` (0 to 30, decimals allowed; below the idle timeout): answer once the job has finished, or when
    /// that time is up, instead of at once (a long poll). Any other parameter is refused.
    static func waitParameter(_ request: Request) throws(GatewayError) -> Duration {
        var wait = Duration.zero
        for (name, value) in try request.uri.singleValuedParameters() {
            guard name == "wait" else {
                throw GatewayError(.badRequest, "GET /api/visiting/jobs/{id} takes only 'wait', not '\(name.prefix(60))'")
            }
            guard value.utf8.count <= 16, let seconds = Double(value), seconds.isFinite, (0...maximumWait).contains(seconds) else {
                throw GatewayError(.badRequest, "wait must be a number of seconds from 0 to \(Int(maximumWait)), not '\(value.prefix(20))'")
            }
            wait = .milliseconds(Int64((seconds * 1000).rounded()))
        }
        return wait
    }

    /// The `id` path parameter, refused unless it has the form of a job id.
    static func identifier(_ context: GatewayRequestContext) throws(GatewayError) -> String {
        guard let id = context.parameters.get("id"), AnalysisJob.isIdentifier(id) else {
            throw GatewayError(.notFound, "no visiting job has that id (ids are 32 lowercase hex digits)")
        }
        return id
    }

    /// The member's job named by the path.
    static func job(_ context: GatewayRequestContext, _ environment: VisitingEnvironment) async throws(GatewayError) -> AnalysisJob {
        let member = try context.requireMember()
        let id = try identifier(context)
        guard let job = try await environment.blocking({ () throws(GatewayError) in try environment.store.job(id, member: member.id) }) else { throw GatewayError(.notFound, "you have no visiting job \(id)") }
        return job
    }

    /// A job as its member sees it.
    struct JobStatus: Encodable {
        var id: String
        var analysis: String
        var approval: String
        var parameters: JSONValue?
        var state: String
        var progress: Double?
        var attempts: Int
        var reason: String?
        var submittedAt: Date
        var startedAt: Date?
        var finishedAt: Date?
        var links: [String: String]

        init(_ job: AnalysisJob, progress: Double?) {
            id = job.id
            analysis = job.analysis
            approval = job.approval
            parameters = try? JSONParser.parse(Array(job.parameters.utf8))
            state = job.lifecycle.state.rawValue
            self.progress = job.lifecycle.state == .succeeded ? 1 : progress
            attempts = job.lifecycle.attempts
            reason = job.lifecycle.reason
            submittedAt = job.submittedAt
            startedAt = job.startedAt
            finishedAt = job.finishedAt
            links = ["self": "/api/visiting/jobs/\(job.id)"]
            if job.lifecycle.state == .succeeded { links["result"] = "/api/visiting/jobs/\(job.id)/result" }
        }
    }

    struct JobList: Encodable {
        var jobs: [JobStatus]
    }
}
