import ArgumentParser
import Foundation
import GatewayCore
import GatewayOperations
import GatewayServer
import Logging
import NIOCore

/// `genomegate serve`: runs the gateway until SIGTERM or SIGINT (in-flight requests get `limits.shutdown_grace_seconds` to finish).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the gateway.",
        discussion: """
            Reads the YAML config file if given; every flag overrides the matching key. \
            Runs with flags alone: --listen HOST:PORT --cert PEM --key PEM --client-ca PEM \
            [--crl PEM] --data-dir DIR --audit-key PEM. The policy (members, approvals, datasets, ...) is the \
            one in DIR/policy.sqlite: bootstrap it with `genomegate policy import`; changes made \
            through the admin API or the CLI count from the next request. Prints one line with \
            the bound address when ready. SIGHUP (or `genomegate reload`) re-reads certificate, \
            key, CA bundle and CRL. Before opening any store it checks key file permissions, \
            the TLS files, the audit key, the data folder and the listen port, and stops with \
            one line naming what is wrong and how to fix it (README: Start-up checks). Metrics \
            and health are served over plain HTTP at metrics.listen (default 127.0.0.1:9464): \
            /metrics, /healthz, /readyz.
            """
    )

    @Option(help: "YAML config file (example: policy/gateway.yaml).") var config: String?
    @Option(help: "Address to listen on, HOST:PORT (port 0 picks a free one).") var listen: String?
    @Option(help: "Server certificate chain, PEM.") var cert: String?
    @Option(help: "Server private key, PEM.") var key: String?
    @Option(name: .customLong("client-ca"), help: "Consortium CA bundle client certificates must chain to, PEM.") var clientCA: String?
    @Option(help: "Certificate revocation list(s), PEM.") var crl: String?
    @Option(name: .customLong("data-dir"), help: "Data folder (pid file, reload status, databases).") var dataDir: String?
    @Option(name: .customLong("audit-key"), help: "Private key (PEM, Ed25519 or ECDSA P-256) that signs audit checkpoints.") var auditKey: String?
    @Option(name: .customLong("handshake-timeout"), help: "Seconds a client has to complete the TLS handshake.") var handshakeTimeout: Double?
    @Option(name: .customLong("idle-timeout"), help: "Seconds an idle keep-alive connection stays open.") var idleTimeout: Double?
    @Option(name: .customLong("max-header-bytes"), help: "Largest request head; larger gets 431.") var maxHeaderBytes: Int?
    @Option(name: .customLong("max-body-bytes"), help: "Largest request body; larger gets 413.") var maxBodyBytes: Int?
    @Flag(name: .customLong("audit-commit-per-record"), help: .hidden) var auditCommitPerRecord = false
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.") var logLevel: String = "info"
    @Option(name: .customLong("log-format"), help: "text (the default) or json: one JSON object per line on standard error.") var logFormat: String = "text"
    @Option(name: .customLong("metrics-listen"), help: "Metrics and health listener, HOST:PORT (metrics.listen; default 127.0.0.1:9464).") var metricsListen: String?

    func run() async throws {
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("--log-level '\(logLevel)' is not one of trace, debug, info, notice, warning, error, critical")
        }
        guard logFormat == "text" || logFormat == "json" else {
            throw ValidationError("--log-format '\(logFormat)' is not one of text, json")
        }
        let json = logFormat == "json"
        LoggingSystem.bootstrap { label in
            if json {
                var handler = JSONLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "genomegate")
        let gateway: GatewayServer
        let operations: OperationsListener?
        do {
            var configuration = try mergedFile().resolve()
            // scripts/bench-audit compares group commit with one commit per record.
            if auditCommitPerRecord { configuration.audit.groupCommit = false }
            gateway = try GatewayServer(configuration: configuration, logger: logger)
            operations = try await gateway.bindOperationsListener()
        } catch let error as GatewayError {
            FileHandle.standardError.write(Data("genomegate: error: \(error.message)\n".utf8))
            throw ExitCode(78)
        }
        try gateway.dataDirectory.writePID(ProcessInfo.processInfo.processIdentifier)
        defer { gateway.dataDirectory.removePID() }
        let pid = ProcessInfo.processInfo.processIdentifier
        let health = operations.map { "; metrics and health on \($0.url)" } ?? ""
        do {
            try await gateway.run(operations: operations) { url in
                FileHandle.standardOutput.write(Data("genomegate: listening on \(url) (pid \(pid))\(health)\n".utf8))
            }
        } catch let error as IOError {
            // The start-up checks probed the address; another process may have taken it since.
            let failure = StartupFailure.listen(host: gateway.configuration.host, port: gateway.configuration.port, errno: error.errnoCode)
            FileHandle.standardError.write(Data("genomegate: error: \(failure.line)\n".utf8))
            throw ExitCode(78)
        }
    }

    /// The config file (or an empty one) with every given flag applied over it.
    private func mergedFile() throws -> GatewayConfigurationFile {
        var file = try config.map { path throws(GatewayError) in try GatewayConfigurationFile.load(path) } ?? GatewayConfigurationFile()
        func absolute(_ path: String?) -> String? {
            guard let path else { return nil }
            return URL(fileURLWithPath: path).standardizedFileURL.path
        }
        if let listen { file.listen = listen }
        var tls = file.tls ?? .init()
        if let cert { tls.certificate = absolute(cert) }
        if let key { tls.privateKey = absolute(key) }
        if let clientCA { tls.clientCA = absolute(clientCA) }
        if let crl { tls.crl = absolute(crl) }
        if let handshakeTimeout { tls.handshakeTimeoutSeconds = handshakeTimeout }
        file.tls = tls
        if let dataDir { file.dataDirectory = absolute(dataDir) }
        if let auditKey {
            var audit = file.audit ?? .init()
            audit.signingKey = absolute(auditKey)
            file.audit = audit
        }
        var limits = file.limits ?? .init()
        if let idleTimeout { limits.idleTimeoutSeconds = idleTimeout }
        if let maxHeaderBytes { limits.maxHeaderBytes = maxHeaderBytes }
        if let maxBodyBytes { limits.maxBodyBytes = maxBodyBytes }
        file.limits = limits
        if let metricsListen {
            var metrics = file.metrics ?? .init()
            metrics.listen = metricsListen
            file.metrics = metrics
        }
        return file
    }
}
