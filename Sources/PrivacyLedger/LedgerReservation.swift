import GatewayCore
import Synchronization

/// A charge decided and applied in memory, whose commit to `privacy.sqlite` may still be
/// running (``DisclosureLedger/reserve(_:accounts:personOfSample:)``).
public struct LedgerReservation: Sendable {
    /// What the request was charged.
    public let charge: LedgerCharge
    let commit: LedgerCommit

    /// Returns once the charge is durable; throws `service_unavailable` when it could not be
    /// committed (the answer must then not be given).
    public func committed() async throws(GatewayError) {
        try await commit.wait().get()
    }
}

/// The outcome of one commit, awaited by any number of tasks.
final class LedgerCommit: Sendable {
    private enum State {
        case running([CheckedContinuation<Result<Void, GatewayError>, Never>])
        case finished(Result<Void, GatewayError>)
    }
    private let state = Mutex(State.running([]))

    func finish(_ result: Result<Void, GatewayError>) {
        let waiting: [CheckedContinuation<Result<Void, GatewayError>, Never>] = state.withLock { state in
            guard case .running(let waiting) = state else { return [] }
            state = .finished(result)
            return waiting
        }
        for continuation in waiting { continuation.resume(returning: result) }
    }

    func wait() async -> Result<Void, GatewayError> {
        await withCheckedContinuation { (continuation: CheckedContinuation<Result<Void, GatewayError>, Never>) in
            let finished: Result<Void, GatewayError>? = state.withLock { state in
                switch state {
                case .finished(let result): return result
                case .running(var waiting):
                    waiting.append(continuation)
                    state = .running(waiting)
                    return nil
                }
            }
            if let finished { continuation.resume(returning: finished) }
        }
    }
}
