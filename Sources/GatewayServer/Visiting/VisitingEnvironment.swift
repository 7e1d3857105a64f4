import Foundation
import GatewayCore
import Logging
import NIOPosix
import ServiceLifecycle
import VisitingAnalyses

/// The visiting analysis environment inside the gateway (README "Visiting analyses"): the job
/// store (`visiting.sqlite`), the runner and the threads analyses compute on. A `Service` of
/// the gateway's group: it starts the threads, recovers jobs a restart cut short, runs jobs
/// until shutdown, then stops the threads.
final class VisitingEnvironment: Service, Sendable {
    let store: JobStore
    let runner: JobRunner
    let execution: VisitingExecution
    let logger: Logger

    init(folder: String, queries: VariantQueryService, policy: PolicyService, settings: GatewayConfiguration.Visiting,
         logger: Logger) throws(GatewayError) {
        store = try JobStore(folder: folder)
        let execution = VisitingExecution(queries: queries, policy: policy, settings: settings,
                                          threads: NIOThreadPool(numberOfThreads: settings.concurrency))
        self.execution = execution
        self.logger = logger
        runner = JobRunner(store: store, limits: .init(concurrency: settings.concurrency, perMemberQueue: settings.perMemberQueue,
                                                        timeLimit: .seconds(settings.timeLimitSeconds))) { job, progress throws(GatewayError) in
            try await execution.execute(job, progress: progress)
        }
    }

    /// Runs a job-store call (a SQLite read, or a write synced to disk) off the request path.
    func blocking<T: Sendable>(_ body: @escaping @Sendable () throws(GatewayError) -> T) async throws(GatewayError) -> T {
        try await BlockingWork.run(body)
    }

    func run() async throws {
        execution.threads.start()
        do {
            try await runner.run()
        } catch {
            logger.error("visiting analyses stopped: \(error)")
            try? await execution.threads.shutdownGracefully()
            throw error
        }
        try await execution.threads.shutdownGracefully()
    }
}
