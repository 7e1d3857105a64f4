import AuditLog
import DisclosureControl
import PrivacyLedger
import Foundation
import GatewayCore
import GatewayOperations
import GatewayPolicy
import GatewayTLS
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import PolicyStore
import ServiceLifecycle
import UnixSignals
import VariantStore
import WebConsole

/// The gateway: configuration loaded and checked, TLS contexts, the policy store,
/// the variant store, routes, and the application that serves them.
///
/// ```swift
/// let gateway = try GatewayServer(configuration: configuration, logger: logger)
/// try await gateway.run(onReady: { address in print(address) })
/// ```
public final class GatewayServer: Sendable {
    public let configuration: GatewayConfiguration
    public let contexts: TLSContextProvider
    /// The policy in force (policy.sqlite in the data folder).
    public let policy: PolicyService
    public let connections = TLSConnectionTable()
    public let reloader: GatewayReloader
    public let dataDirectory: GatewayDataDirectory
    /// Aggregate answers from the variant store (variants.sqlite in the data folder).
    public let queries: VariantQueryService
    /// The audit log (audit.sqlite in the data folder): every request's record is committed here
    /// before its answer leaves.
    public let audit: AuditLog
    /// The visiting analysis environment (visiting.sqlite in the data folder): jobs, their runner and threads.
    let visiting: VisitingEnvironment
    /// The connection caps (total and per client certificate) and the connections they count.
    let limiter: ConnectionLimiter
    let logger: Logger
    /// Requests, handshakes, the audit writer, the policy version, privacy refusals
    /// (README "Metrics and health"); served by the operations listener.
    public let metrics: GatewayMetrics

    /// Loads every file the configuration names; the first bad one is reported.
    ///
    /// ``StartupChecks/standard`` runs first: key file permissions, TLS material, the audit
    /// signing key, the data folder, the policy store's presence and the listen address are
    /// checked before any store is opened, and the first failure is thrown as one line
    /// (what is wrong — how to fix it).
    public init(configuration: GatewayConfiguration, logger: Logger) throws(GatewayError) {
        self.configuration = configuration
        self.logger = logger
        if let failure = StartupChecks.standard.firstFailure(for: configuration) { throw failure.gatewayError }
        let metrics = GatewayMetrics()
        self.metrics = metrics
        self.dataDirectory = GatewayDataDirectory(path: configuration.dataDirectory)
        try dataDirectory.prepare()
        do {
            self.contexts = try TLSContextProvider(configuration: configuration.tls)
        } catch let error as TLSError {
            throw GatewayError(.invalidConfiguration, error.message)
        } catch {
            throw GatewayError(.invalidConfiguration, "\(error)")
        }
        if let warning = contexts.current.crlExpiryWarning() { logger.warning("\(warning)") }
        let signer = try AuditSigner(privateKeyPath: configuration.audit.signingKeyPath)
        self.limiter = try ConnectionLimiter(limits: configuration.limits, logger: logger)
        let database = try PolicyDatabase(folder: configuration.dataDirectory)
        guard !database.snapshot.state.members.isEmpty else {
            throw GatewayError(.invalidConfiguration, "the policy store \(database.path) has no members yet; bootstrap it with `genomegate policy import DIR --data-dir \(configuration.dataDirectory)` (example files: policy/)")
        }
        self.policy = PolicyService(database: database)
        let store: VariantDatabase
        do {
            store = try VariantDatabase(folder: configuration.dataDirectory)
        } catch let error as VariantStoreError {
            throw GatewayError(.invalidConfiguration, "variant store in data_dir \(configuration.dataDirectory): \(error.message)")
        } catch {
            throw GatewayError(.invalidConfiguration, "variant store in data_dir \(configuration.dataDirectory): \(error)")
        }
        var perturbation: CellKeyPerturbation?
        if configuration.privacy.noiseMaximum > 0 {
            let secret = try CellKeyPerturbation.loadOrCreateSecret(at: configuration.dataDirectory + "/privacy.key")
            perturbation = try CellKeyPerturbation(secret: secret, maximumNoise: configuration.privacy.noiseMaximum,
                                                   minimumCellCount: configuration.disclosure.minimumCellCount)
        }
        var ledger: DisclosureLedger?
        if configuration.privacy.enabled {
            let privacy = configuration.privacy
            ledger = try DisclosureLedger(
                path: configuration.dataDirectory + "/" + DisclosureLedger.fileName,
                settings: PrivacySettings(enabled: true, approvalBudget: privacy.approvalBudget, memberBudget: privacy.memberBudget,
                                          minimumDifferencePeople: privacy.minimumDifferencePeople,
                                          minimumCellCount: configuration.disclosure.minimumCellCount))
            for note in ledger?.openingNotes ?? [] { logger.notice("privacy ledger: \(note)") }
        }
        self.queries = VariantQueryService(store: store, disclosure: DisclosureControl(policy: configuration.disclosure),
                                           qcThresholds: configuration.qcThresholds, perturbation: perturbation,
                                           ledger: ledger, privacy: configuration.privacy, metrics: metrics)
        self.visiting = try VisitingEnvironment(folder: configuration.dataDirectory, queries: queries, policy: policy,
                                                settings: configuration.visiting, logger: logger)
        var auditSettings = AuditLog.Settings()
        auditSettings.checkpointEveryRecords = configuration.audit.checkpointEveryRecords
        auditSettings.checkpointEvery = configuration.audit.checkpointEvery
        auditSettings.groupCommit = configuration.audit.groupCommit
        auditSettings.commitObserver = { records, duration, written in
            metrics.recordAuditCommit(records: records, nanoseconds: TimeAmount(duration).nanoseconds, succeeded: written)
        }
        do {
            self.audit = try AuditLog(folder: configuration.dataDirectory, signer: signer, settings: auditSettings)
        } catch {
            throw GatewayError(.invalidConfiguration, error.message)
        }
        self.reloader = GatewayReloader(configuration: configuration, contexts: contexts, policy: policy, logger: logger)
    }

    /// The gateway's routes behind the request guard. Tests may add routes before ``makeApplication(router:onReady:)``.
    public func makeRouter() -> Router<GatewayRequestContext> {
        let router = Router(context: GatewayRequestContext.self)
        let routeMethods = RouteMethods()
        router.add(middleware: RequestGuardMiddleware(
            identification: CallerIdentification(connections: connections, contexts: contexts),
            policy: policy,
            audit: AuditRecorder(log: audit),
            limits: configuration.limits,
            logger: logger,
            routeMethods: routeMethods,
            metrics: metrics
        ))
        InfoRoutes.register(on: router, accounting: queries.accounting)
        BeaconRoutes.register(on: router, service: queries)
        AggregateRoutes.register(on: router, service: queries)
        AdminRoutes.register(on: router, policy: policy, queries: queries, audit: audit)
        AuditRoutes.register(on: router, log: audit)
        VisitingRoutes.register(on: router, environment: visiting, service: queries)
        ConsoleRoutes.register(on: router, dependencies: ConsoleDependencies(admin: Admin(policy: policy, audit: audit, queries: queries), visiting: visiting))
        routeMethods.register(router.routes)
        return router
    }

    /// The Hummingbird application over OpenSSL, with the SIGHUP reload service.
    /// `onReady` receives the bound address once the listener is up; `handshakeObserver`
    /// (default: logging) is told about every handshake; `operations` (see
    /// ``bindOperationsListener()``), if given, runs in the same service group.
    public func makeApplication(
        router: Router<GatewayRequestContext>,
        handshakeObserver: TLSConnectionObserver? = nil,
        operations: OperationsListener? = nil,
        onReady: @escaping @Sendable (SocketAddress) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let limits = configuration.limits
        let contexts = self.contexts
        let connections = self.connections
        let recorder = AuditRecorder(log: audit)
        let limiter = self.limiter
        let deadline = RequestDeadline.Settings(limits: limits)
        let observer = (handshakeObserver ?? TLSConnectionObserver.logging(logger)).auditing(recorder).counting(metrics)
        // NIO's decoder refuses heads past this with 400; the guard answers 431 below it.
        let decoderLimit = max(limits.maxHeaderBytes * 4, 256 * 1024)
        let idleTimeout = TimeAmount.nanoseconds(
            limits.idleTimeout.components.seconds * 1_000_000_000 + limits.idleTimeout.components.attoseconds / 1_000_000_000
        )
        let httpConfiguration = HTTP1Channel.Configuration(
            idleTimeout: idleTimeout,
            httpDecoderConfiguration: .init(maxHeaderFieldSize: decoderLimit, maxHeaderListSize: decoderLimit)
        )
        let server = HTTPServerBuilder { (responder: @escaping HTTPChannelHandler.Responder) -> any ServerChildChannel in
            let http = HTTP1Channel(responder: responder, configuration: httpConfiguration)
            return OpenSSLServerChildChannel(base: http, contexts: contexts, connections: connections, observer: observer, recorder: recorder,
                                             limiter: limiter, deadline: deadline, writeTimeout: TimeAmount(limits.writeTimeout))
        }
        return Application(
            router: router,
            server: server,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "GenomeGate"),
            services: [AuditService(log: audit, logger: logger), ReloadSignalService(reloader: reloader), visiting] + (operations.map { [$0] } ?? []),
            onServerRunning: { channel in
                if let address = channel.localAddress { await onReady(address) }
            },
            logger: logger
        )
    }
}

extension GatewayServer {
    /// The linked OpenSSL library's version text.
    public static var openSSLVersion: String { TLSServerContext.openSSLVersion }
}

extension GatewayServer {
    /// Serves until SIGTERM or SIGINT, then shuts down gracefully: in-flight requests get
    /// `limits.shutdown_grace_seconds` to finish, then their connections are closed.
    /// `onReady` receives the bound address as `https://HOST:PORT`; `operations` (the metrics
    /// and health listener, ``bindOperationsListener()``) runs alongside when given.
    public func run(operations: OperationsListener? = nil, onReady: @escaping @Sendable (String) async -> Void) async throws {
        let application = makeApplication(router: makeRouter(), operations: operations) { address in
            await onReady(Self.url(of: address))
        }
        try await application.runService(gracefulShutdownSignals: [.sigterm, .sigint])
        if let timings = queries.accounting.timings.summary() { logger.notice("privacy ledger time per answer: \(timings)") }
    }

    /// `https://127.0.0.1:8443` or `https://[::1]:8443`.
    public static func url(of address: SocketAddress) -> String {
        let host = address.ipAddress.map { $0.contains(":") ? "[\($0)]" : $0 } ?? "localhost"
        return "https://\(host):\(address.port ?? 0)"
    }
}
