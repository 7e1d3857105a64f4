import AuditLog
import Foundation
import GatewayCore
import Hummingbird
import NIOConcurrencyHelpers
import NIOCore
import VariantStore
import VisitingAnalyses

/// Releasing a job's result, the airlock's last step, in this order:
///
/// 1. the policy decides the analysis again, now (a suspended approval, a revoked member or a
///    narrowed consent refuses it: recorded and thrown like any refusal);
/// 2. the samples it would be computed from now are compared with those it was computed from:
///    when a participant withdrew (or the restriction changed) since, the job is queued to run
///    again on the current cohort (202), never released stale;
/// 3. every figure it releases is charged to the disclosure ledger (over budget: 429
///    `privacy_budget_exhausted`, the result held);
/// 4. the audit record names the analysis, its parameters and the airlock's outcome, and is
///    committed before the answer leaves (the request guard's rule for every answer).
enum VisitingRelease {
    struct Envelope: Encodable {
        var job: String
        var analysis: String
        var parameters: JSONValue?
        var computedAt: Date
        var contributingPeople: Int
        var airlock: Airlock
    }

    struct Airlock: Encodable {
        var outputs: Int
        var released: Int
        var masked: Int
        var summary: String
    }

    /// What a release came to: the released result, or the job queued to run again.
    enum Outcome {
        /// The envelope and the stored output (JSON), charged and named in the audit record.
        case released(Envelope, output: String)
        /// The cohort changed since the job ran: it is queued again (the API's 202).
        case rerun(AnalysisJob)
    }

    /// The API's answer: the envelope with the output as its `result` member, or 202 and the
    /// re-queued job.
    static func release(_ job: AnalysisJob, _ context: GatewayRequestContext, _ environment: VisitingEnvironment,
                        _ service: VariantQueryService) async throws -> Response {
        switch try await decide(job, context, environment, service) {
        case .rerun(let rerun):
            return try JSONResponse.make(VisitingRoutes.JobStatus(rerun, progress: nil), status: .accepted)
        case .released(let envelope, let output):
            // The envelope, with the stored output as its `result` member (sorted keys: it goes last).
            var body = try JSONEncoder.gateway.encode(envelope)
            guard body.last == UInt8(ascii: "}") else { throw GatewayError(.internalError, "a result envelope is not a JSON object") }
            body.removeLast()
            body.append(contentsOf: Array(",\"result\":".utf8) + Array(output.utf8) + [UInt8(ascii: "}")])
            return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
    }

    /// The release's four steps (the API's and the console's result page alike): decided again,
    /// the cohort checked again (re-queued when it changed), charged, and named in the audit
    /// record (`returned.kind` `analysis:NAME`, the airlock's outcome).
    static func decide(_ job: AnalysisJob, _ context: GatewayRequestContext, _ environment: VisitingEnvironment,
                       _ service: VariantQueryService) async throws -> Outcome {
        context.record.withLockedValue { $0.query = "analysis=\(job.analysis)&job=\(job.id)&parameters=\(job.parameters)" }
        guard job.lifecycle.state == .succeeded, let text = job.result else {
            let why = job.lifecycle.reason.map { ": \($0)" } ?? ""
            throw GatewayError(.conflict, "the job is \(job.lifecycle.state.rawValue)\(why); a result exists only once it has succeeded")
        }
        let analysis = try VisitingExecution.analysis(of: job)
        let grant = try AccessControl.authorize(try VisitingExecution.query(analysis, approval: job.approval), context)
        let stored = try StoredAnalysisResult(text: text)
        let (computedFrom, releases) = try stored.decoded()
        let (cohort, catalog) = try await service.analysisCohort(under: grant)
        let current: SampleSet? = try? analysis.contributors(in: cohort, control: service.disclosure)
        guard current == computedFrom else {
            let rerun = try await environment.blocking { () throws(GatewayError) in
                try environment.runner.rerun(job.id, member: job.member, reason: "runs again on the current cohort: the people it was computed from changed after it ran (a withdrawal or a policy change)")
            }
            context.record.withLockedValue { $0.returned = .init(kind: "visiting-job-rerun") }
            return .rerun(rerun)
        }
        try service.accounting.charge(releases, grant: grant, catalog: catalog, context: context)
        let envelope = Envelope(job: job.id, analysis: job.analysis, parameters: try? JSONParser.parse(Array(job.parameters.utf8)),
                                computedAt: stored.computedAt, contributingPeople: computedFrom.count,
                                airlock: Airlock(outputs: stored.outputs, released: stored.outputs - stored.masked, masked: stored.masked,
                                                 summary: stored.summary))
        context.record.withLockedValue {
            $0.returned = .init(kind: "analysis:\(job.analysis)", contributingSamples: computedFrom.count, suppressedCells: stored.maskedCells,
                                privacyChargeMicro: $0.privacyChargeMicro, airlock: stored.summary)
        }
        return .released(envelope, output: stored.output)
    }
}
