import GatewayCore

extension GatewayConfigurationFile.Limits {
    /// The request timeout, minimum rate, connection caps, write timeout and shutdown grace (`limits.*`), each range-checked;
    /// keys not set keep their defaults in `limits`.
    func resolveConnectionLimits(into limits: inout GatewayConfiguration.Limits) throws(GatewayError) {
        if let value = requestTimeoutSeconds {
            guard value > 0, value <= 3600 else {
                throw GatewayError(.invalidConfiguration, "limits.request_timeout_seconds \(value) is not in (0, 3600]")
            }
            limits.requestTimeout = .milliseconds(Int64(value * 1000))
        }
        if let value = minRequestBytesPerSecond {
            guard (0...1_073_741_824).contains(value) else {
                throw GatewayError(.invalidConfiguration, "limits.min_request_bytes_per_second \(value) is not between 0 and 1073741824 (0: no minimum)")
            }
            limits.minimumRequestBytesPerSecond = value
        }
        if let value = requestRateGraceSeconds {
            guard value > 0, value <= 3600 else {
                throw GatewayError(.invalidConfiguration, "limits.request_rate_grace_seconds \(value) is not in (0, 3600]")
            }
            limits.requestRateGrace = .milliseconds(Int64(value * 1000))
        }
        if limits.requestRateGrace > limits.requestTimeout {
            throw GatewayError(.invalidConfiguration, "limits.request_rate_grace_seconds is longer than limits.request_timeout_seconds; the minimum rate would never apply")
        }
        if let value = maxConnections {
            guard (1...1_000_000).contains(value) else {
                throw GatewayError(.invalidConfiguration, "limits.max_connections \(value) is not between 1 and 1000000")
            }
            limits.maxConnections = value
        }
        if let value = maxConnectionsPerCertificate {
            let total = limits.maxConnections ?? GatewayConfiguration.Limits.defaultMaxConnections
            guard (1...total).contains(value) else {
                throw GatewayError(.invalidConfiguration, "limits.max_connections_per_certificate \(value) is not between 1 and limits.max_connections (\(total))")
            }
            limits.maxConnectionsPerCertificate = value
        }
        if let value = maxPendingHandshakes {
            let total = limits.maxConnections ?? GatewayConfiguration.Limits.defaultMaxConnections
            guard (1...total).contains(value) else {
                throw GatewayError(.invalidConfiguration, "limits.max_pending_handshakes \(value) is not between 1 and limits.max_connections (\(total))")
            }
            limits.maxPendingHandshakes = value
        }
        if let value = maxPendingHandshakesPerAddress {
            guard (1...1_000_000).contains(value) else {
                throw GatewayError(.invalidConfiguration, "limits.max_pending_handshakes_per_address \(value) is not between 1 and 1000000")
            }
            limits.maxPendingHandshakesPerAddress = value
        }
        if let value = writeTimeoutSeconds {
            guard value > 0, value <= 3600 else {
                throw GatewayError(.invalidConfiguration, "limits.write_timeout_seconds \(value) is not in (0, 3600]")
            }
            limits.writeTimeout = .milliseconds(Int64(value * 1000))
        }
        if let value = shutdownGraceSeconds {
            guard value >= 0, value <= 3600 else {
                throw GatewayError(.invalidConfiguration, "limits.shutdown_grace_seconds \(value) is not between 0 and 3600")
            }
            limits.shutdownGrace = .milliseconds(Int64(value * 1000))
        }
    }
}
