import GatewayCore
import Synchronization

/// A running job's progress and its stop signal, shared by the runner, the analysis (which
/// reports and checks as it goes) and `GET /api/visiting/jobs/{id}`.
public final class JobProgress: Sendable {
    private let completedUnits = Atomic<Int>(0)
    private let totalUnits = Atomic<Int>(0)
    private let stopRequested = Atomic<Bool>(false)

    public init() {}

    /// Sets how many units (variants, pairs, groups) the run has in all.
    public func begin(total: Int) {
        totalUnits.store(max(0, total), ordering: .relaxed)
        completedUnits.store(0, ordering: .relaxed)
    }

    /// One more unit done.
    public func advance(by units: Int = 1) { completedUnits.add(units, ordering: .relaxed) }

    /// The fraction done, 0 to 1 (0 before the run has said its total).
    public var fraction: Double {
        let total = totalUnits.load(ordering: .relaxed)
        guard total > 0 else { return 0 }
        return min(1, Double(completedUnits.load(ordering: .relaxed)) / Double(total))
    }

    /// Asks the run to stop (a cancellation or its time limit).
    public func stop() { stopRequested.store(true, ordering: .relaxed) }

    public var isStopped: Bool { stopRequested.load(ordering: .relaxed) }

    /// Throws `conflict` ("the job was stopped") once the run was asked to stop.
    public func checkCancelled() throws(GatewayError) {
        if isStopped { throw GatewayError(.conflict, "the job was stopped") }
    }
}
