import GatewayCore
import GatewayOperations

extension GatewayConfigurationFile {
    /// `metrics:` the plain-HTTP listener for `/metrics`, `/healthz` and `/readyz` (README
    /// "Metrics and health"): on by default at `127.0.0.1:9464`, loopback only unless
    /// `allow_remote: true`.
    public struct Metrics: Sendable, Decodable, Equatable {
        public var enabled: Bool?
        public var listen: String?
        public var allowRemote: Bool?
        enum CodingKeys: String, CodingKey {
            case enabled, listen
            case allowRemote = "allow_remote"
        }
        public init() {}

        static let keys: Set<String> = ["enabled", "listen", "allow_remote"]

        /// The listener's settings; refuses an address that is not HOST:PORT, and one off the
        /// loopback interface unless `metrics.allow_remote` is true.
        func resolve() throws(GatewayError) -> MetricsSettings {
            var settings = MetricsSettings()
            settings.enabled = enabled ?? true
            settings.allowRemote = allowRemote ?? false
            if let listen {
                guard let address = ListenAddress.parse(listen) else {
                    throw GatewayError(.invalidConfiguration, "metrics.listen '\(listen)' is not HOST:PORT (port 0-65535)")
                }
                settings.host = address.host
                settings.port = address.port
            }
            guard settings.enabled, !settings.allowRemote, !MetricsSettings.isLoopback(settings.host) else { return settings }
            throw GatewayError(.invalidConfiguration, """
                metrics.listen '\(listen ?? settings.host)' is not a loopback address: the metrics and health listener is plain HTTP \
                without client certificates; listen on 127.0.0.1 or ::1, or set 'metrics.allow_remote: true' to serve it on \
                \(settings.host) (or 'metrics.enabled: false' to turn it off)
                """)
        }
    }
}
