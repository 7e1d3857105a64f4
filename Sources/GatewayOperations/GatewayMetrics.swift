import CoreMetrics
import Metrics
import Prometheus
import Synchronization

/// The gateway's metrics, in Prometheus text format (README "Metrics and health").
///
/// Each gateway has its own registry (tests run several gateways in one process), fed through
/// swift-metrics' API with swift-prometheus' factory. No label names a member, an
/// organization or a person: requests are labelled by route *template* (the registered path,
/// never the raw URI), method, status and decision.
///
/// Per-request cost: the counter and histogram of each (route, method, status, decision)
/// are made once and kept; a request then costs one uncontended lock and dictionary lookup,
/// one atomic increment and one histogram record (see ``recordRequest(route:method:status:allowed:nanoseconds:)``).
public final class GatewayMetrics: Sendable {
    /// The registry the text format is rendered from.
    public let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory

    private let requests = Mutex<[RequestKey: RequestHandles]>([:])
    private let handshakes = Mutex<[String: CoreMetrics.Counter]>([:])
    private let refusals = Mutex<[String: CoreMetrics.Counter]>([:])
    private let handshakesCompleted: CoreMetrics.Counter
    private let auditQueueDepth: Meter
    private let auditCommitDuration: CoreMetrics.Timer
    private let auditRecordsCommitted: CoreMetrics.Counter
    private let auditCommitFailures: CoreMetrics.Counter
    private let policyVersion: Meter
    private let crlNextUpdate = Mutex<Meter?>(nil)

    /// The route label of a request no registered route answered (any path, so no client can
    /// add series by inventing paths).
    public static let unroutedLabel = "unrouted"

    /// Latency buckets: the gateway's target is p99 <= 2 ms, so the low end is finer than
    /// swift-prometheus' default (5 ms up).
    public static let durationBuckets: [Duration] = [
        .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
        .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
        .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
    ]

    public init() {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = Self.durationBuckets
        self.registry = registry
        self.factory = factory
        handshakesCompleted = CoreMetrics.Counter(label: MetricName.tlsHandshakes, dimensions: [("outcome", "completed")], factory: factory)
        auditQueueDepth = Meter(label: MetricName.auditQueueDepth, factory: factory)
        auditCommitDuration = CoreMetrics.Timer(label: MetricName.auditCommitDuration, factory: factory)
        auditRecordsCommitted = CoreMetrics.Counter(label: MetricName.auditRecordsCommitted, factory: factory)
        auditCommitFailures = CoreMetrics.Counter(label: MetricName.auditCommitFailures, factory: factory)
        policyVersion = Meter(label: MetricName.policyVersion, factory: factory)
    }

    // MARK: Requests

    /// Counts one answered request and records how long it took, labelled by `route` (the
    /// registered path template; nil for a request no route answered), `method`, `status` and
    /// the decision (`allow` when `allowed`, else `deny`).
    public func recordRequest(route: String?, method: String, status: Int, allowed: Bool, nanoseconds: Int64) {
        let key = RequestKey(route: route ?? Self.unroutedLabel, method: Self.methodLabel(method), status: status, allowed: allowed)
        let handles = requests.withLock { cache in
            if let found = cache[key] { return found }
            let made = makeHandles(key, cache: cache)
            cache[key] = made
            return made
        }
        handles.count.increment()
        handles.duration.recordNanoseconds(max(0, nanoseconds))
    }

    private func makeHandles(_ key: RequestKey, cache: [RequestKey: RequestHandles]) -> RequestHandles {
        // One histogram per route, shared by its statuses and decisions.
        let duration = cache.first { $0.key.route == key.route }?.value.duration
            ?? CoreMetrics.Timer(label: MetricName.requestDuration, dimensions: [("route", key.route)], factory: factory)
        let count = CoreMetrics.Counter(label: MetricName.requests, dimensions: [
            ("route", key.route), ("method", key.method), ("status", String(key.status)), ("decision", key.allowed ? "allow" : "deny"),
        ], factory: factory)
        return RequestHandles(count: count, duration: duration)
    }

    /// The standard methods by name; anything else (HTTP allows any token) is `other`, so a
    /// client cannot add series.
    static func methodLabel(_ method: String) -> String {
        switch method {
        case "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS": method
        default: "other"
        }
    }

    struct RequestKey: Hashable, Sendable {
        var route: String
        var method: String
        var status: Int
        var allowed: Bool
    }

    struct RequestHandles: Sendable {
        var count: CoreMetrics.Counter
        var duration: CoreMetrics.Timer
    }

    // MARK: TLS

    /// Counts a completed handshake (`outcome="completed"`).
    public func recordHandshakeCompleted() {
        handshakesCompleted.increment()
    }

    /// Counts a refused handshake; `code` is the refusal's stable code (`tls_certificate_expired`, ...).
    public func recordHandshakeRefused(code: String) {
        counter(in: handshakes, label: MetricName.tlsHandshakes, dimension: "outcome", value: code).increment()
    }

    /// Seconds until the configured CRL's nextUpdate (negative once it has passed): an expired
    /// CRL refuses every client. The gauge appears once a value is set.
    public func setCRLSecondsUntilNextUpdate(_ seconds: Double) {
        let factory = self.factory
        let meter = crlNextUpdate.withLock { value in
            if let value { return value }
            let made = Meter(label: MetricName.tlsCRLNextUpdate, factory: factory)
            value = made
            return made
        }
        meter.set(seconds)
    }

    // MARK: Audit, policy, privacy

    /// Records waiting for the audit writer (sampled when metrics are scraped).
    public func setAuditQueueDepth(_ depth: Int) {
        auditQueueDepth.set(depth)
    }

    /// One audit commit (one fsync) of `records` records that took `nanoseconds`.
    public func recordAuditCommit(records: Int, nanoseconds: Int64, succeeded: Bool) {
        auditCommitDuration.recordNanoseconds(max(0, nanoseconds))
        if succeeded {
            auditRecordsCommitted.increment(by: Int64(max(0, records)))
        } else {
            auditCommitFailures.increment()
        }
    }

    /// The policy version in force.
    public func setPolicyVersion(_ version: Int) {
        policyVersion.set(version)
    }

    /// Counts an answer the privacy ledger refused; `reason` is the error code
    /// (`privacy_budget_exhausted` or `differencing_refused`).
    public func recordPrivacyRefusal(reason: String) {
        counter(in: refusals, label: MetricName.privacyRefusals, dimension: "reason", value: reason).increment()
    }

    private func counter(in cache: borrowing Mutex<[String: CoreMetrics.Counter]>, label: String, dimension: String, value: String) -> CoreMetrics.Counter {
        let factory = self.factory
        return cache.withLock { counters in
            if let found = counters[value] { return found }
            let made = CoreMetrics.Counter(label: label, dimensions: [(dimension, value)], factory: factory)
            counters[value] = made
            return made
        }
    }

    // MARK: Rendering

    /// Every metric in the Prometheus text exposition format (version 0.0.4).
    public func render() -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(16 * 1024)
        registry.emit(into: &buffer)
        return buffer
    }

    /// The content type of ``render()``.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"
}

/// The gateway's metric names (README "Metrics and health").
public enum MetricName {
    /// Counter: answered requests by `route`, `method`, `status`, `decision`.
    public static let requests = "genomegate_http_requests_total"
    /// Histogram (seconds): request latency by `route`, from arrival to the audited answer.
    public static let requestDuration = "genomegate_http_request_duration_seconds"
    /// Counter: TLS handshakes by `outcome` (`completed` or the refusal's code).
    public static let tlsHandshakes = "genomegate_tls_handshakes_total"
    /// Gauge: seconds until the CRL's nextUpdate.
    public static let tlsCRLNextUpdate = "genomegate_tls_crl_next_update_seconds"
    /// Gauge: audit records waiting to be committed.
    public static let auditQueueDepth = "genomegate_audit_queue_depth"
    /// Histogram (seconds): one audit commit (a batch, one fsync).
    public static let auditCommitDuration = "genomegate_audit_commit_duration_seconds"
    /// Counter: audit records committed.
    public static let auditRecordsCommitted = "genomegate_audit_records_committed_total"
    /// Counter: audit commits that failed (answers withheld with 503 `audit_unavailable`).
    public static let auditCommitFailures = "genomegate_audit_commit_failures_total"
    /// Gauge: the policy version in force.
    public static let policyVersion = "genomegate_policy_version"
    /// Counter: answers the privacy ledger refused, by `reason`.
    public static let privacyRefusals = "genomegate_privacy_refusals_total"
}
