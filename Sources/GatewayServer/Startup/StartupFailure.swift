import GatewayCore

/// Why `genomegate serve` will not start: what is wrong, naming the file, setting or port, and
/// how to fix it. Start-up checks return these as values (nil when a rule is satisfied).
public struct StartupFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// Stable names for each kind of failure.
    public enum Code: String, Sendable, Hashable {
        /// A private key file grants access to other users (or write access to its group).
        case keyFilePermissions = "key_file_permissions"
        /// The server certificate, key, CA bundle or CRL cannot be used (includes a key that does
        /// not match its certificate and an expired CRL).
        case tlsMaterial = "tls_material"
        /// The audit signing key cannot be used.
        case auditSigningKey = "audit_signing_key"
        /// The data folder cannot be created, is not a folder, or cannot be read and written.
        case dataFolder = "data_folder"
        /// The data folder holds no policy store yet.
        case policyStoreMissing = "policy_store_missing"
        /// Another process listens on the address and port.
        case listenAddressInUse = "listen_address_in_use"
        /// The port is below 1024 and this process lacks CAP_NET_BIND_SERVICE.
        case listenPortPrivileged = "listen_port_privileged"
        /// The listen address cannot be bound for another reason (not on this machine, not resolvable).
        case listenAddressUnavailable = "listen_address_unavailable"
    }

    public var code: Code
    /// What is wrong, naming the file, setting or port.
    public var problem: String
    /// What the operator should do.
    public var fix: String

    public init(_ code: Code, _ problem: String, fix: String) {
        self.code = code
        self.problem = problem
        self.fix = fix
    }

    /// `problem — fix`, on one line (newlines in either part become spaces).
    public var line: String {
        "\(problem) — \(fix)".map { $0.isNewline ? " " : String($0) }.joined()
    }

    public var description: String { line }

    /// The gateway error carrying ``line`` (`invalid_configuration`).
    public var gatewayError: GatewayError { GatewayError(.invalidConfiguration, line) }
}
