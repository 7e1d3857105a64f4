/// A visiting-analysis job's lifecycle as a plain value: queued, running, then succeeded,
/// failed (with a reason) or cancelled. Every transition is decided here and returned as a
/// value; the job store persists the state after each one, so a restart finds every job where
/// it was: queued jobs resume, a running one is queued again (at most ``maximumAttempts``
/// runs in all) or fails saying why. A job never vanishes.
public struct JobLifecycle: Sendable, Hashable, Codable {
    public enum State: String, Sendable, Hashable, Codable, CaseIterable {
        case queued
        case running
        case succeeded
        case failed
        case cancelled

        /// Whether nothing more happens to the job.
        public var isFinished: Bool { self == .succeeded || self == .failed || self == .cancelled }
    }

    /// What can happen to a job.
    public enum Event: Sendable, Hashable {
        /// A worker takes it.
        case start
        /// Its result passed the airlock and was stored.
        case succeed
        /// It stopped with a reason (a limit, a refusal at release, an error).
        case fail(reason: String)
        /// Its member cancelled it.
        case cancel
        /// The gateway started again after the job was last stored.
        case gatewayRestarted
        /// Its result was not released because the cohort changed since it ran (a participant
        /// withdrew, the approval's restriction changed): it runs again on the current cohort.
        case rerun(reason: String)
    }

    /// A transition that is not allowed from the current state.
    public struct Refusal: Error, Sendable, Hashable, CustomStringConvertible {
        public var state: State
        public var event: String
        public var description: String { "a \(state.rawValue) job cannot \(event)" }
    }

    /// The most times one job is run (a run cut short by a restart counts).
    public static let maximumAttempts = 2

    public private(set) var state: State = .queued
    /// How many times a worker has started it.
    public private(set) var attempts = 0
    /// Why it failed or was cancelled.
    public private(set) var reason: String?

    public init() {}

    /// A lifecycle as stored (the job store reads it back).
    init(state: State, attempts: Int, reason: String?) {
        self.state = state
        self.attempts = attempts
        self.reason = reason
    }

    /// Applies `event`; returns the new state, or why the event does not apply (nothing changes then).
    @discardableResult
    public mutating func handle(_ event: Event) -> Result<State, Refusal> {
        switch (state, event) {
        case (.queued, .start):
            state = .running
            attempts += 1
        case (.running, .succeed):
            state = .succeeded
        case (.running, .fail(let why)), (.queued, .fail(let why)):
            state = .failed
            reason = why
        case (.queued, .cancel), (.running, .cancel):
            state = .cancelled
            reason = "cancelled by its member"
        case (.running, .gatewayRestarted):
            if attempts < Self.maximumAttempts {
                state = .queued
            } else {
                state = .failed
                reason = "the gateway stopped while it ran, \(attempts) times; submit it again"
            }
        case (_, .gatewayRestarted):
            break
        case (.succeeded, .rerun(let why)):
            state = .queued
            attempts = 0
            reason = why
        default:
            return .failure(Refusal(state: state, event: Self.name(event)))
        }
        return .success(state)
    }

    static func name(_ event: Event) -> String {
        switch event {
        case .start: "start"
        case .succeed: "succeed"
        case .fail: "fail"
        case .cancel: "be cancelled"
        case .gatewayRestarted: "restart"
        case .rerun: "run again"
        }
    }
}
