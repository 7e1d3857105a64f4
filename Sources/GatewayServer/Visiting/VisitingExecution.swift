import Foundation
import GatewayCore
import GatewayPolicy
import NIOPosix
import VariantStore
import VisitingAnalyses

/// Runs a visiting job inside the gateway: decides it again with the policy in force when it
/// starts, selects the cohort the approval allows now, checks that the variants it would read
/// fit its memory limit, reads them, and computes the airlocked result on the environment's own
/// threads (never an event loop, never the request path's cooperative pool). Jobs only read
/// the stores.
struct VisitingExecution: Sendable {
    let queries: VariantQueryService
    let policy: PolicyService
    let settings: GatewayConfiguration.Visiting
    /// One thread per job that may run at once.
    let threads: NIOThreadPool

    /// The analysis `job` runs, parsed again from its stored parameters.
    static func analysis(of job: AnalysisJob) throws(GatewayError) -> any VisitingAnalysis {
        guard let type = AnalysisCatalogue.analysis(named: job.analysis) else {
            throw GatewayError(.badRequest, "the analysis \(job.analysis) is no longer in the catalogue")
        }
        return try type.init(parameters: try JSONParser.parse(Array(job.parameters.utf8)))
    }

    /// The query an approval must allow for `analysis` under `approval`.
    static func query(_ analysis: any VisitingAnalysis, approval: String?) throws(GatewayError) -> DataQuery {
        let name = type(of: analysis).name
        guard let kind = QueryKind.analysis(name) else { throw GatewayError(.internalError, "\(name) is not a query kind") }
        return DataQuery(kind: kind, approvalID: approval, cancerTypes: analysis.cancerTypes)
    }

    /// The policy's decision on `job` now, outside any request: its member must still be
    /// registered and its approval must still allow the analysis.
    func grant(for job: AnalysisJob, _ analysis: any VisitingAnalysis) async throws(GatewayError) -> AccessControl.Grant {
        let snapshot = try await policy.current()
        guard let member = snapshot.directory.members.first(where: { $0.id == job.member }) else {
            throw GatewayError(.unknownMember, "refused when it started: member \(job.member) is no longer registered")
        }
        let decision = AccessControl.engine.decide(
            AccessRequest(member: member, action: .query(try Self.query(analysis, approval: job.approval)), time: Date()), in: snapshot)
        if let error = decision.error { throw GatewayError(error.code, "refused when it started: \(error.message)") }
        guard let restriction = decision.restriction else {
            throw GatewayError(.internalError, "an allowed analysis decision carries no cohort restriction")
        }
        return AccessControl.Grant(restriction: restriction, policy: decision.policy, approvalID: decision.approvalID)
    }

    /// The variants a job is planned for: one per 16 bases of its regions (denser than any
    /// cohort's variation), at least 10,000. From the parameters alone, so that whether a job
    /// is accepted never depends on what the store holds (a count of stored variants would
    /// include ones no query shows).
    static func plannedVariants(_ analysis: any VisitingAnalysis) -> Int {
        let bases = analysis.regions.reduce(0) { $0 &+ max(0, $1.length) }
        return max(bases / 16, 10_000)
    }

    /// The memory one variant takes over `capacity` sample indexes (a few sample sets).
    static func bytesPerVariant(capacity: Int) -> Int { 3 * ((max(0, capacity) + 63) / 64) * 8 + 256 }

    /// Refuses a job whose planned variants (``plannedVariants(_:)``) would take more than
    /// `visiting.job_memory_mb`, before anything is read.
    func checkMemory(_ analysis: any VisitingAnalysis, capacity: Int) throws(GatewayError) {
        let perVariant = Self.bytesPerVariant(capacity: capacity)
        let (bytes, overflow) = Self.plannedVariants(analysis).multipliedReportingOverflow(by: perVariant)
        let limit = settings.jobMemoryMB * 1_048_576
        guard overflow || bytes > limit else { return }
        let bases = max(16, limit / perVariant * 16)
        throw GatewayError(.badRequest, "the regions cover more bases than a job may read within its memory limit of \(settings.jobMemoryMB) MB (visiting.job_memory_mb): about \(bases) bases over this cohort; narrow the regions")
    }

    /// Reads the variants of `analysis`'s regions, stopping if they are far more than planned
    /// (at least four times: a density no cohort has), so that memory stays bounded.
    func readVariants(_ analysis: any VisitingAnalysis, progress: JobProgress) async throws(GatewayError) -> [[VariantRecord]] {
        try progress.checkCancelled()
        guard try await queries.variantCount(in: analysis.regions) <= Self.plannedVariants(analysis) &* 4 else {
            throw GatewayError(.serviceUnavailable, "the regions hold far more variants than a job is planned for; the job stopped before reading them")
        }
        try progress.checkCancelled()
        return try await queries.variants(in: analysis.regions)
    }

    /// Runs `job`: the stored result (``StoredAnalysisResult``) or why it failed.
    func execute(_ job: AnalysisJob, progress: JobProgress) async throws(GatewayError) -> String {
        let analysis = try Self.analysis(of: job)
        let grant = try await grant(for: job, analysis)
        let (cohort, _) = try await queries.analysisCohort(under: grant)
        let contributors = try analysis.contributors(in: cohort, control: queries.disclosure)
        try checkMemory(analysis, capacity: cohort.capacity)
        let variants = try await readVariants(analysis, progress: progress)
        let input = AnalysisInput(cohort: cohort, variants: variants, airlock: TableAirlock(control: queries.disclosure), progress: progress)
        let outcome = try await compute { () throws(GatewayError) in try analysis.run(input) }
        return try StoredAnalysisResult(outcome, contributors: contributors).text()
    }

    /// Runs `body` on one of the environment's threads.
    func compute<T: Sendable>(_ body: @escaping @Sendable () throws(GatewayError) -> T) async throws(GatewayError) -> T {
        let result: Result<T, GatewayError>
        do {
            result = try await threads.runIfActive { () -> Result<T, GatewayError> in
                do throws(GatewayError) { return .success(try body()) } catch { return .failure(error) }
            }
        } catch {
            throw GatewayError(.serviceUnavailable, "the visiting environment is shutting down")
        }
        return try result.get()
    }
}
