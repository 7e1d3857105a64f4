import GatewayCore

extension GatewayConfigurationFile.Limits {
    /// The request timeout, minimum rate, connection caps, write timeout and shutdown grace (`limits.*`), each range-checked;
    /// keys not set keep their defaults in `limits`.
    func resolveConnectionLimits(into limits: inout GatewayConfiguration.Limits) throws(GatewayError) {
        /// A duration in seconds within (0, 3600] (or [0, 3600] when `zeroAllowed`).
        func seconds(_ value: Double?, _ key: String, zeroAllowed: Bool = false) throws(GatewayError) -> Duration? {
            guard let value else { return nil }
            guard zeroAllowed ? value >= 0 : value > 0, value <= 3600 else {
                let range = zeroAllowed ? "between 0 and 3600" : "in (0, 3600]"
                throw GatewayError(.invalidConfiguration, "limits.\(key) \(value) is not \(range)")
            }
            return .milliseconds(Int64(value * 1000))
        }
        /// A count within `range` (`upper` names the key bounding it from above, if any).
        func count(_ value: Int?, _ key: String, _ range: ClosedRange<Int>, upper: String? = nil, note: String = "") throws(GatewayError) -> Int? {
            guard let value else { return nil }
            guard range.contains(value) else {
                let bound = upper.map { "\($0) (\(range.upperBound))" } ?? String(range.upperBound)
                throw GatewayError(.invalidConfiguration, "limits.\(key) \(value) is not between \(range.lowerBound) and \(bound)\(note)")
            }
            return value
        }
        if let timeout = try seconds(requestTimeoutSeconds, "request_timeout_seconds") { limits.requestTimeout = timeout }
        if let rate = try count(minRequestBytesPerSecond, "min_request_bytes_per_second", 0...1_073_741_824, note: " (0: no minimum)") {
            limits.minimumRequestBytesPerSecond = rate
        }
        if let grace = try seconds(requestRateGraceSeconds, "request_rate_grace_seconds") { limits.requestRateGrace = grace }
        if limits.requestRateGrace > limits.requestTimeout {
            throw GatewayError(.invalidConfiguration, "limits.request_rate_grace_seconds is longer than limits.request_timeout_seconds; the minimum rate would never apply")
        }
        if let total = try count(maxConnections, "max_connections", 1...1_000_000) { limits.maxConnections = total }
        let total = limits.maxConnections ?? GatewayConfiguration.Limits.defaultMaxConnections
        if let cap = try count(maxConnectionsPerCertificate, "max_connections_per_certificate", 1...total, upper: "limits.max_connections") {
            limits.maxConnectionsPerCertificate = cap
        }
        if let cap = try count(maxPendingHandshakes, "max_pending_handshakes", 1...total, upper: "limits.max_connections") {
            limits.maxPendingHandshakes = cap
        }
        if let cap = try count(maxPendingHandshakesPerAddress, "max_pending_handshakes_per_address", 1...1_000_000) {
            limits.maxPendingHandshakesPerAddress = cap
        }
        if let timeout = try seconds(writeTimeoutSeconds, "write_timeout_seconds") { limits.writeTimeout = timeout }
        if let grace = try seconds(shutdownGraceSeconds, "shutdown_grace_seconds", zeroAllowed: true) { limits.shutdownGrace = grace }
    }
}
