/// One start-up rule: nil when `configuration` satisfies it, else what is wrong and how to fix it.
public struct StartupCheck: Sendable {
    /// A short name for logs and tests ("listen address", "data folder", ...).
    public let name: String
    private let evaluate: @Sendable (GatewayConfiguration) -> StartupFailure?

    public init(_ name: String, _ evaluate: @escaping @Sendable (GatewayConfiguration) -> StartupFailure?) {
        self.name = name
        self.evaluate = evaluate
    }

    public func callAsFunction(_ configuration: GatewayConfiguration) -> StartupFailure? { evaluate(configuration) }
}

/// The rules `genomegate serve` runs before it opens any store (policy, audit, variants, visiting,
/// ledger): each reads files and probes the system, none writes a store or an audit record.
///
/// ```swift
/// if let failure = StartupChecks.standard.firstFailure(for: configuration) {
///     print("genomegate: error: \(failure.line)")   // what is wrong — how to fix it
/// }
/// ```
///
/// Rules compose: `StartupChecks.standard + [myCheck]`. They run in order; the order puts what
/// an operator should fix first (key files open to others) before what depends on it.
public struct StartupChecks: Sendable {
    public var checks: [StartupCheck]

    public init(_ checks: [StartupCheck]) { self.checks = checks }

    /// Key file permissions, TLS material, audit signing key, data folder, policy store, listen address,
    /// metrics listen address.
    public static let standard = StartupChecks([
        .keyFilePermissions, .tlsMaterial, .auditSigningKey, .dataFolder, .policyStorePresent, .listenAddressBindable,
        .metricsAddressBindable,
    ])

    /// The first rule's failure, in order; nil when every rule passes.
    public func firstFailure(for configuration: GatewayConfiguration) -> StartupFailure? {
        for check in checks {
            if let failure = check(configuration) { return failure }
        }
        return nil
    }

    /// Every rule's failure, in order.
    public func failures(for configuration: GatewayConfiguration) -> [StartupFailure] {
        checks.compactMap { $0(configuration) }
    }

    public static func + (lhs: StartupChecks, rhs: StartupChecks) -> StartupChecks { StartupChecks(lhs.checks + rhs.checks) }
    public static func + (lhs: StartupChecks, rhs: [StartupCheck]) -> StartupChecks { StartupChecks(lhs.checks + rhs) }
}
