import NIOCore

/// When a request that is still arriving has taken too long: the request timeout and the
/// minimum transfer rate, as a state machine over one connection (times are arguments).
///
/// A request's clock starts at its first plaintext byte and stops when its end has been decoded.
/// At most one check is pending per connection: it is asked for when a request starts and no check
/// is pending, and each check says when the next one is due. A fast request costs no timer of its own.
struct RequestDeadline: Sendable {
    struct Settings: Sendable, Hashable {
        /// Whole request, head and body, from its first byte.
        var timeout: TimeAmount
        /// Average bytes a second a request must keep once ``grace`` has passed; 0: none.
        var minimumBytesPerSecond: Int
        var grace: TimeAmount
        /// How often a request still arriving after its grace is checked.
        var checkInterval: TimeAmount = .seconds(1)

        init(timeout: TimeAmount, minimumBytesPerSecond: Int, grace: TimeAmount) {
            self.timeout = timeout
            self.minimumBytesPerSecond = minimumBytesPerSecond
            self.grace = grace
        }

        init(limits: GatewayConfiguration.Limits) {
            self.init(timeout: .init(limits.requestTimeout), minimumBytesPerSecond: limits.minimumRequestBytesPerSecond,
                      grace: .init(limits.requestRateGrace))
        }
    }

    /// What a check found.
    enum Verdict: Equatable, Sendable {
        /// Nothing to watch until the next request starts.
        case idle
        /// Check again at this time.
        case recheck(NIODeadline)
        /// Too slow or too long: the request gets 408. `routed`: its head reached the router (which
        /// is reading its body); `answered`: the router already answers it (so only closing is left).
        case expired(reason: String, routed: Bool, answered: Bool)
    }

    let settings: Settings
    /// Start and bytes of the request arriving now, if any.
    private(set) var arriving: (since: NIODeadline, bytes: Int)?
    /// The arriving request's head has been passed to the router.
    private(set) var headDelivered = false
    /// A response is being written.
    private(set) var responding = false
    /// A request was completely read and its response has not ended (the client waits for us).
    private(set) var awaitingAnswer = false
    /// The router answered the arriving request before its body ended.
    private(set) var answeredEarly = false
    private(set) var checkPending = false
    private(set) var expired = false

    init(settings: Settings) { self.settings = settings }

    /// Plaintext arrived; returns when to check if a check must be scheduled.
    mutating func bytesArrived(_ count: Int, at now: @autoclosure () -> NIODeadline) -> NIODeadline? {
        if var current = arriving {
            current.bytes &+= count
            arriving = current
            return nil
        }
        let now = now()
        arriving = (now, count)
        guard !checkPending, !expired else { return nil }
        checkPending = true
        return now + min(settings.grace, settings.timeout)
    }

    mutating func requestHeadDelivered() { headDelivered = true }

    /// The request's end was decoded: its clock stops.
    mutating func requestEndDelivered() {
        arriving = nil
        headDelivered = false
        answeredEarly = false
        awaitingAnswer = true
    }

    mutating func responseHeadWritten() { responding = true }

    /// A response ended. A request that started arriving while the client waited for it restarts its clock now.
    mutating func responseEndWritten(at now: NIODeadline) {
        responding = false
        if headDelivered { answeredEarly = true }
        if awaitingAnswer, let current = arriving, !headDelivered { arriving = (now, current.bytes) }
        awaitingAnswer = false
    }

    /// The pending check ran.
    mutating func check(at now: NIODeadline) -> Verdict {
        checkPending = false
        guard !expired, let current = arriving else { return .idle }
        if awaitingAnswer && !headDelivered {
            // A pipelined request while the previous one is answered: not the client's delay.
            return schedule(now + settings.checkInterval)
        }
        let elapsed = now - current.since
        if elapsed >= settings.timeout {
            return expire("the request did not arrive within \(Self.seconds(settings.timeout)) s")
        }
        if settings.minimumBytesPerSecond > 0, elapsed >= settings.grace {
            let nanoseconds = max(1, elapsed.nanoseconds)
            let (required, requiredOverflow) = Int64(settings.minimumBytesPerSecond).multipliedReportingOverflow(by: nanoseconds)
            let (received, receivedOverflow) = Int64(current.bytes).multipliedReportingOverflow(by: 1_000_000_000)
            if !receivedOverflow && (requiredOverflow || received < required) {
                return expire("the request arrived at fewer than \(settings.minimumBytesPerSecond) bytes a second")
            }
        }
        let next = elapsed < settings.grace ? current.since + settings.grace : now + settings.checkInterval
        return schedule(min(next, current.since + settings.timeout))
    }

    private mutating func schedule(_ deadline: NIODeadline) -> Verdict {
        checkPending = true
        return .recheck(deadline)
    }

    private mutating func expire(_ reason: String) -> Verdict {
        expired = true
        return .expired(reason: reason, routed: headDelivered, answered: responding || answeredEarly)
    }

    static func seconds(_ amount: TimeAmount) -> String {
        let value = Double(amount.nanoseconds) / 1e9
        return value == value.rounded() ? String(Int(value)) : String(value)
    }
}

extension TimeAmount {
    /// `duration` in nanoseconds, saturating.
    init(_ duration: Duration) {
        let (seconds, overflow) = duration.components.seconds.multipliedReportingOverflow(by: 1_000_000_000)
        self = .nanoseconds(overflow ? Int64.max : seconds &+ duration.components.attoseconds / 1_000_000_000)
    }
}
