/// What the operations listener answers (README "Metrics and health"):
///
/// - `GET /metrics`: every metric in Prometheus text format;
/// - `GET /healthz`: 200 `ok` while the process serves;
/// - `GET /readyz`: 200 when every ``ReadinessCheck`` passes, else 503 naming the failing parts.
///
/// `HEAD` is answered like `GET` without the body; other methods get 405, other paths 404.
public struct OperationsEndpoints: Sendable {
    public let metrics: GatewayMetrics
    public let checks: [ReadinessCheck]
    /// Run before `/metrics` renders: samples gauges that cost nothing per request (the audit
    /// queue depth, the policy version).
    public let refresh: @Sendable () async -> Void

    public init(metrics: GatewayMetrics, checks: [ReadinessCheck], refresh: @escaping @Sendable () async -> Void = {}) {
        self.metrics = metrics
        self.checks = checks
        self.refresh = refresh
    }

    /// A plain-HTTP answer.
    public struct Response: Sendable, Equatable {
        public var status: Int
        public var reason: String
        public var contentType: String
        public var body: [UInt8]
        public var allow: String?

        static func text(_ status: Int, _ reason: String, _ text: String) -> Response {
            Response(status: status, reason: reason, contentType: "text/plain; charset=utf-8", body: Array(text.utf8))
        }

        static func json(_ status: Int, _ reason: String, _ text: String) -> Response {
            Response(status: status, reason: reason, contentType: "application/json", body: Array(text.utf8))
        }
    }

    /// The answer to `method` `target` (the request target; a query string is ignored).
    public func respond(method: String, target: String) async -> Response {
        let path = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? target
        guard ["/metrics", "/healthz", "/readyz"].contains(path) else {
            return .text(404, "Not Found", "not found: this listener answers /metrics, /healthz and /readyz\n")
        }
        guard method == "GET" || method == "HEAD" else {
            var refused = Response.text(405, "Method Not Allowed", "\(path) answers GET and HEAD\n")
            refused.allow = "GET, HEAD"
            return refused
        }
        switch path {
        case "/healthz":
            return .text(200, "OK", "ok\n")
        case "/readyz":
            let report = await ReadinessCheck.run(checks)
            return report.isReady ? .json(200, "OK", report.json + "\n") : .json(503, "Service Unavailable", report.json + "\n")
        default:
            await refresh()
            return Response(status: 200, reason: "OK", contentType: GatewayMetrics.contentType, body: metrics.render())
        }
    }
}
