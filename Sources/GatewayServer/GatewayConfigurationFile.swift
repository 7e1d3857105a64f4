import DisclosureControl
import Foundation
import GatewayCore
import GatewayTLS
import PolicyStore
import VariantStore
import Yams

/// The gateway's YAML config file (example: policy/gateway.yaml).
///
/// Every key is optional here; ``resolve(_:)`` fails naming the first key that is
/// still missing once flags have been applied. Relative paths are resolved
/// against the folder holding the file.
public struct GatewayConfigurationFile: Sendable, Decodable, Equatable {
    public var listen: String?
    public var tls: TLS?
    public var dataDirectory: String?
    public var limits: Limits?
    public var disclosure: Disclosure?
    public var qc: QC?
    public var audit: Audit?
    public var privacy: Privacy?
    public var visiting: Visiting?
    public var metrics: Metrics?

    /// `audit:` the checkpoint signing key and how often checkpoints are signed.
    public struct Audit: Sendable, Decodable, Equatable {
        public var signingKey: String?
        public var checkpointEveryRecords: Int?
        public var checkpointEverySeconds: Double?
        enum CodingKeys: String, CodingKey {
            case signingKey = "signing_key"
            case checkpointEveryRecords = "checkpoint_every_records"
            case checkpointEverySeconds = "checkpoint_every_seconds"
        }
        public init() {}
    }

    public struct TLS: Sendable, Decodable, Equatable {
        public var certificate: String?
        public var privateKey: String?
        public var clientCA: String?
        public var crl: String?
        public var verifyDepth: Int?
        public var handshakeTimeoutSeconds: Double?
        public var crlWarningMarginHours: Double?
        enum CodingKeys: String, CodingKey {
            case certificate, crl
            case privateKey = "private_key"
            case clientCA = "client_ca"
            case verifyDepth = "verify_depth"
            case handshakeTimeoutSeconds = "handshake_timeout_seconds"
            case crlWarningMarginHours = "crl_warning_margin_hours"
        }
        public init() {}
    }

    public struct Limits: Sendable, Decodable, Equatable {
        public var maxHeaderBytes: Int?
        public var maxBodyBytes: Int?
        public var idleTimeoutSeconds: Double?
        public var requestTimeoutSeconds: Double?
        public var minRequestBytesPerSecond: Int?
        public var requestRateGraceSeconds: Double?
        public var maxConnections: Int?
        public var maxConnectionsPerCertificate: Int?
        public var maxPendingHandshakes: Int?
        public var maxPendingHandshakesPerAddress: Int?
        public var writeTimeoutSeconds: Double?
        public var shutdownGraceSeconds: Double?
        enum CodingKeys: String, CodingKey {
            case maxHeaderBytes = "max_header_bytes"
            case maxBodyBytes = "max_body_bytes"
            case idleTimeoutSeconds = "idle_timeout_seconds"
            case requestTimeoutSeconds = "request_timeout_seconds"
            case minRequestBytesPerSecond = "min_request_bytes_per_second"
            case requestRateGraceSeconds = "request_rate_grace_seconds"
            case maxConnections = "max_connections"
            case maxConnectionsPerCertificate = "max_connections_per_certificate"
            case maxPendingHandshakes = "max_pending_handshakes"
            case maxPendingHandshakesPerAddress = "max_pending_handshakes_per_address"
            case writeTimeoutSeconds = "write_timeout_seconds"
            case shutdownGraceSeconds = "shutdown_grace_seconds"
        }
        public init() {}
    }

    public struct Disclosure: Sendable, Decodable, Equatable {
        public var minimumCellCount: Int?
        public var minimumAlleleNumberForFrequency: Int?
        public var minimumCohortSize: Int?
        enum CodingKeys: String, CodingKey {
            case minimumCellCount = "minimum_cell_count"
            case minimumAlleleNumberForFrequency = "minimum_allele_number_for_frequency"
            case minimumCohortSize = "minimum_cohort_size"
        }
        public init() {}
    }

    public struct QC: Sendable, Decodable, Equatable {
        public var minimumMappingRate: Double?
        public var maximumDuplicateRate: Double?
        public var minimumDepthNormal: Double?
        public var minimumDepthTumour: Double?
        enum CodingKeys: String, CodingKey {
            case minimumMappingRate = "minimum_mapping_rate"
            case maximumDuplicateRate = "maximum_duplicate_rate"
            case minimumDepthNormal = "minimum_depth_normal"
            case minimumDepthTumour = "minimum_depth_tumour"
        }
        public init() {}
    }

    enum CodingKeys: String, CodingKey {
        case listen, tls, limits, disclosure, qc, audit, privacy, visiting, metrics
        case dataDirectory = "data_dir"
    }

    public init() {}

    /// Reads the file; unknown keys are errors (a typo must not silently fall back to a default).
    public static func load(_ path: String) throws(GatewayError) -> GatewayConfigurationFile {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw GatewayError(.invalidConfiguration, "config file \(path) cannot be read: \(error.localizedDescription)")
        }
        var file = try parse(text, path: path)
        file.makePathsAbsolute(relativeTo: URL(fileURLWithPath: path).deletingLastPathComponent().path)
        return file
    }

    /// Parses the text of a config file (unknown keys are errors); `path` only names the file in
    /// errors, and relative paths are left as written.
    public static func parse(_ text: String, path: String) throws(GatewayError) -> GatewayConfigurationFile {
        try rejectUnknownKeys(text, path: path)
        do {
            return try YAMLDecoder().decode(GatewayConfigurationFile.self, from: text)
        } catch {
            throw GatewayError(.invalidConfiguration, "config file \(path): \(YAMLErrorText.describe(error))")
        }
    }

    private static let knownKeys: [String: Set<String>] = [
        "": ["listen", "tls", "data_dir", "limits", "disclosure", "qc", "audit", "privacy", "visiting", "metrics"],
        "metrics": Metrics.keys,
        "privacy": Privacy.keys,
        "visiting": Visiting.keys,
        "audit": ["signing_key", "checkpoint_every_records", "checkpoint_every_seconds"],
        "qc": ["minimum_mapping_rate", "maximum_duplicate_rate", "minimum_depth_normal", "minimum_depth_tumour"],
        "disclosure": ["minimum_cell_count", "minimum_allele_number_for_frequency", "minimum_cohort_size"],
        "tls": ["certificate", "private_key", "client_ca", "crl", "verify_depth", "handshake_timeout_seconds", "crl_warning_margin_hours"],
        "limits": [
            "max_header_bytes", "max_body_bytes", "idle_timeout_seconds", "request_timeout_seconds", "min_request_bytes_per_second",
            "request_rate_grace_seconds", "max_connections", "max_connections_per_certificate",
            "max_pending_handshakes", "max_pending_handshakes_per_address", "write_timeout_seconds", "shutdown_grace_seconds",
        ],
    ]

    private static func rejectUnknownKeys(_ text: String, path: String) throws(GatewayError) {
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch {
            throw GatewayError(.invalidConfiguration, "config file \(path) is not valid YAML: \(YAMLErrorText.describe(error))")
        }
        guard let mapping = node?.mapping else {
            throw GatewayError(.invalidConfiguration, "config file \(path) must be a YAML mapping of keys to values")
        }
        for (key, value) in mapping {
            let name = key.string ?? ""
            guard knownKeys[""]!.contains(name) else {
                throw GatewayError(.invalidConfiguration, "config file \(path): unknown key '\(name)'")
            }
            if let allowed = knownKeys[name], let inner = value.mapping {
                for (innerKey, _) in inner where !allowed.contains(innerKey.string ?? "") {
                    throw GatewayError(.invalidConfiguration, "config file \(path): unknown key '\(name).\(innerKey.string ?? "")'")
                }
            }
        }
    }

    private mutating func makePathsAbsolute(relativeTo base: String) {
        func absolute(_ path: String?) -> String? {
            guard let path, !path.hasPrefix("/") else { return path }
            return URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: base, isDirectory: true)).standardizedFileURL.path
        }
        dataDirectory = absolute(dataDirectory)
        if var section = audit {
            section.signingKey = absolute(section.signingKey)
            audit = section
        }
        if var section = tls {
            section.certificate = absolute(section.certificate)
            section.privateKey = absolute(section.privateKey)
            section.clientCA = absolute(section.clientCA)
            section.crl = absolute(section.crl)
            tls = section
        }
    }

    /// Turns the (flag-merged) file into a configuration, naming the first missing or bad key.
    public func resolve() throws(GatewayError) -> GatewayConfiguration {
        func required<T>(_ value: T?, _ key: String, _ flag: String) throws(GatewayError) -> T {
            guard let value else {
                throw GatewayError(.invalidConfiguration, "\(key) is not set: give \(flag) or set '\(key)' in the config file")
            }
            return value
        }
        let listenText = try required(listen, "listen", "--listen HOST:PORT")
        guard let address = ListenAddress.parse(listenText) else {
            throw GatewayError(.invalidConfiguration, "listen '\(listenText)' is not HOST:PORT (port 0-65535)")
        }
        var tlsConfiguration = TLSServerConfiguration(
            certificatePath: try required(tls?.certificate, "tls.certificate", "--cert PEM"),
            privateKeyPath: try required(tls?.privateKey, "tls.private_key", "--key PEM"),
            clientCAPath: try required(tls?.clientCA, "tls.client_ca", "--client-ca PEM"),
            crlPath: tls?.crl
        )
        if let depth = tls?.verifyDepth {
            guard (1...10).contains(depth) else {
                throw GatewayError(.invalidConfiguration, "tls.verify_depth \(depth) is not between 1 and 10")
            }
            tlsConfiguration.verifyDepth = depth
        }
        if let seconds = tls?.handshakeTimeoutSeconds {
            guard seconds > 0, seconds <= 300 else {
                throw GatewayError(.invalidConfiguration, "tls.handshake_timeout_seconds \(seconds) is not in (0, 300]")
            }
            tlsConfiguration.handshakeTimeout = .milliseconds(Int64(seconds * 1000))
        }
        if let hours = tls?.crlWarningMarginHours {
            guard hours >= 0, hours <= 8760 else {
                throw GatewayError(.invalidConfiguration, "tls.crl_warning_margin_hours \(hours) is not between 0 and 8760")
            }
            tlsConfiguration.crlWarningMargin = .seconds(Int64(hours * 3600))
        }
        var resolvedLimits = GatewayConfiguration.Limits()
        if let value = limits?.maxHeaderBytes {
            guard (1024...1_048_576).contains(value) else {
                throw GatewayError(.invalidConfiguration, "limits.max_header_bytes \(value) is not between 1024 and 1048576")
            }
            resolvedLimits.maxHeaderBytes = value
        }
        if let value = limits?.maxBodyBytes {
            guard (0...1_073_741_824).contains(value) else {
                throw GatewayError(.invalidConfiguration, "limits.max_body_bytes \(value) is not between 0 and 1073741824")
            }
            resolvedLimits.maxBodyBytes = value
        }
        if let value = limits?.idleTimeoutSeconds {
            guard value > 0, value <= 3600 else {
                throw GatewayError(.invalidConfiguration, "limits.idle_timeout_seconds \(value) is not in (0, 3600]")
            }
            resolvedLimits.idleTimeout = .milliseconds(Int64(value * 1000))
        }
        try limits?.resolveConnectionLimits(into: &resolvedLimits)
        var policy = DisclosurePolicy.standard
        if let value = disclosure?.minimumCellCount {
            guard (2...1000).contains(value) else {
                throw GatewayError(.invalidConfiguration, "disclosure.minimum_cell_count \(value) is not between 2 and 1000")
            }
            policy.minimumCellCount = value
        }
        if let value = disclosure?.minimumAlleleNumberForFrequency {
            guard (1...1_000_000).contains(value) else {
                throw GatewayError(.invalidConfiguration, "disclosure.minimum_allele_number_for_frequency \(value) is not between 1 and 1000000")
            }
            policy.minimumAlleleNumberForFrequency = value
        }
        if let value = disclosure?.minimumCohortSize {
            guard (1...1_000_000).contains(value) else {
                throw GatewayError(.invalidConfiguration, "disclosure.minimum_cohort_size \(value) is not between 1 and 1000000")
            }
            policy.minimumCohortSize = value
        }
        var resolvedAudit = GatewayConfiguration.Audit(signingKeyPath: try required(audit?.signingKey, "audit.signing_key", "--audit-key PEM"))
        if let value = audit?.checkpointEveryRecords {
            guard (1...1_000_000).contains(value) else {
                throw GatewayError(.invalidConfiguration, "audit.checkpoint_every_records \(value) is not between 1 and 1000000")
            }
            resolvedAudit.checkpointEveryRecords = value
        }
        if let value = audit?.checkpointEverySeconds {
            guard value > 0, value <= 86_400 else {
                throw GatewayError(.invalidConfiguration, "audit.checkpoint_every_seconds \(value) is not in (0, 86400]")
            }
            resolvedAudit.checkpointEvery = .milliseconds(Int64(value * 1000))
        }
        var configuration = GatewayConfiguration(
            host: address.host, port: address.port, tls: tlsConfiguration,
            dataDirectory: try required(dataDirectory, "data_dir", "--data-dir DIR"),
            audit: resolvedAudit, limits: resolvedLimits
        )
        configuration.disclosure = policy
        configuration.qcThresholds = try resolvedQC()
        configuration.privacy = try (privacy ?? Privacy()).resolve()
        configuration.visiting = try (visiting ?? Visiting()).resolve()
        configuration.metrics = try (metrics ?? Metrics()).resolve()
        return configuration
    }

    /// The QC thresholds: the data centre's targets, with any key of `qc` overriding its own.
    private func resolvedQC() throws(GatewayError) -> QCThresholds {
        var thresholds = QCThresholds.standard
        func checked(_ value: Double?, _ key: String, _ range: ClosedRange<Double>) throws(GatewayError) -> Double? {
            guard let value else { return nil }
            guard range.contains(value) else {
                throw GatewayError(.invalidConfiguration, "qc.\(key) \(value) is not between \(range.lowerBound) and \(range.upperBound)")
            }
            return value
        }
        if let value = try checked(qc?.minimumMappingRate, "minimum_mapping_rate", 0...100) { thresholds.minimumMappingRate = value }
        if let value = try checked(qc?.maximumDuplicateRate, "maximum_duplicate_rate", 0...100) { thresholds.maximumDuplicateRate = value }
        if let value = try checked(qc?.minimumDepthNormal, "minimum_depth_normal", 0...10_000) { thresholds.minimumDepthNormal = value }
        if let value = try checked(qc?.minimumDepthTumour, "minimum_depth_tumour", 0...10_000) { thresholds.minimumDepthTumour = value }
        return thresholds
    }
}
