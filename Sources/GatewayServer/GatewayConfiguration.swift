import DisclosureControl
import Foundation
import GatewayOperations
import GatewayTLS
import VariantStore

/// Everything `genomegate serve` needs: where to listen, the TLS material, the
/// member registry, the data folder and the limits.
///
/// Built from the YAML config file (``GatewayConfigurationFile``), then from
/// command-line flags, which override the file key by key.
public struct GatewayConfiguration: Sendable {
    public var host: String
    /// 0 asks the kernel for a free port; the ready line names the bound one.
    public var port: Int
    public var tls: TLSServerConfiguration
    /// Holds the pid file, the reload status and the databases (policy.sqlite, variants.sqlite, ...).
    /// The policy (members, approvals, ...) lives in policy.sqlite here: `genomegate policy import`.
    public var dataDirectory: String
    public var limits: Limits
    /// What aggregate answers may show (see the README's "Disclosure control").
    public var disclosure: DisclosurePolicy = .standard
    /// Which samples pass QC (the `genomegate:qc-pass` filter); defaults are the data centre's targets.
    public var qcThresholds: QCThresholds = .standard
    /// The audit log: the key that signs checkpoints, and how often.
    public var audit: Audit
    /// The disclosure ledger and count perturbation (`privacy.*`).
    public var privacy = Privacy()
    /// The visiting analysis environment's limits (`visiting.*`).
    public var visiting = Visiting()
    /// The metrics and health listener (`metrics.*`).
    public var metrics = MetricsSettings()

    /// Audit log settings (`audit.*`).
    public struct Audit: Sendable, Hashable {
        /// Private key (PEM, Ed25519 or ECDSA P-256) that signs checkpoints. Required.
        public var signingKeyPath: String
        public var checkpointEveryRecords: Int = 1000
        public var checkpointEvery: Duration = .seconds(60)
        /// false commits every record on its own (benchmark comparison only).
        public var groupCommit: Bool = true

        public init(signingKeyPath: String) { self.signingKeyPath = signingKeyPath }
    }

    /// Bounds on what one client may ask of the gateway.
    public struct Limits: Sendable, Hashable {
        /// Largest request head (request line and headers) answered normally; larger gets 431.
        public var maxHeaderBytes: Int = 16 * 1024
        /// Largest request body; larger gets 413.
        public var maxBodyBytes: Int = 1024 * 1024
        /// An open connection with no request for this long is closed.
        public var idleTimeout: Duration = .seconds(60)
        /// A request, head and body, must have arrived within this long of its first byte; else it
        /// is answered 408 `request_timeout` and the connection closes.
        public var requestTimeout: Duration = .seconds(60)
        /// Once a request has been arriving for ``requestRateGrace``, it must have averaged at least
        /// this many bytes a second (checked every second); else 408 as for the timeout. 0: no minimum.
        public var minimumRequestBytesPerSecond: Int = 1024
        /// How long a request may arrive at any pace before ``minimumRequestBytesPerSecond`` applies.
        public var requestRateGrace: Duration = .seconds(5)
        /// Most connections open at once, handshakes included; further ones are closed as soon as
        /// they are accepted. nil: ``defaultMaxConnections``, lowered to fit the descriptor limit.
        public var maxConnections: Int?
        /// Most connections one client certificate may hold open; further ones are closed right
        /// after their handshake (and audited).
        public var maxConnectionsPerCertificate: Int = 64
        /// Most connections open at once that have not completed their handshake; further ones are
        /// closed as soon as they are accepted. nil: half of the connection cap (at least 1), so that
        /// connections with a completed handshake always have room.
        public var maxPendingHandshakes: Int?
        /// Most connections from one remote IP address that have not completed their handshake: above a
        /// legitimate burst (a site behind NAT, a client opening many connections at once), far below
        /// the total, so a few addresses cannot take every pending slot.
        public var maxPendingHandshakesPerAddress: Int = 256
        /// A connection whose outbound data makes no progress (the socket accepts nothing, so the
        /// channel stays unwritable) for this long is closed: a client that stops reading cannot hold it.
        public var writeTimeout: Duration = .seconds(30)
        /// On SIGTERM or SIGINT, how long requests in flight may take before their connections are closed.
        public var shutdownGrace: Duration = .seconds(10)
        /// The connection cap when none is configured.
        public static let defaultMaxConnections = 4096
        public init() {}
    }

    public init(host: String, port: Int, tls: TLSServerConfiguration, dataDirectory: String, audit: Audit, limits: Limits = Limits()) {
        self.audit = audit
        self.host = host
        self.port = port
        self.tls = tls
        self.dataDirectory = dataDirectory
        self.limits = limits
    }
}

/// Parses `HOST:PORT`, `[V6]:PORT` or `:PORT` (all interfaces).
public enum ListenAddress {
    public static func parse(_ text: String) -> (host: String, port: Int)? {
        var host: Substring
        var portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { return nil }
            portText = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        if host.isEmpty { host = "0.0.0.0" }
        guard let port = Int(portText), (0...65535).contains(port) else { return nil }
        return (String(host), port)
    }
}
