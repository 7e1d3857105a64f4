import DisclosureControl
import Foundation
import GatewayServer
import GatewayTestSupport
import GatewayTLS
import Hummingbird
import Logging
import PolicyStore
import NIOConcurrencyHelpers
import ServiceLifecycle

/// A gateway running in this process on an ephemeral loopback port, with its own PKI.
struct TestGateway: Sendable {
    let port: Int
    let pki: String
    let server: GatewayServer
    let handshakes: HandshakeLog
    /// The metrics and health listener's port, when the gateway was started `withOperations`.
    var operationsPort: Int?

    /// Opens a keep-alive connection as the dev certificate `identity`.
    func client(_ identity: String?, tlsVersion: Int32? = nil) async throws -> TestTLSClient {
        let port = self.port, pki = self.pki
        return try await offThread { try TestTLSClient(port: port, pki: pki, identity: identity, tlsVersion: tlsVersion) }
    }

    /// One request on a fresh connection.
    func get(_ path: String, as identity: String, headers: [(String, String)] = []) async throws -> TestTLSClient.Response {
        let client = try await client(identity)
        return try await offThread { try client.request("GET", path, headers: headers) }
    }

    /// `curl` with the CA and, if given, a client identity; returns its result.
    func curl(_ arguments: [String], as identity: String?) async throws -> Subprocess.Result {
        var command = ["curl", "-sS", "--max-time", "20", "--cacert", pki + "/ca.pem"]
        if let identity { command += ["--cert", "\(pki)/\(identity).pem", "--key", "\(pki)/\(identity).key"] }
        return try await Subprocess.run(command + arguments)
    }

    /// Opens a connection and sends one request; throws if the handshake or the request fails.
    /// (In TLS 1.3 a refused client certificate only shows after the client's handshake returns.)
    func requestOnNewConnection(_ path: String, as identity: String) async throws {
        let port = self.port, pki = self.pki
        _ = try await offThread { try TestTLSClient(port: port, pki: pki, identity: identity).request("GET", path) }
    }

    var url: String { "https://localhost:\(port)" }

    /// Runs `body` against a fresh gateway; stops it afterwards.
    static func with<T: Sendable>(
        pki pkiFolder: String? = nil,
        limits: GatewayConfiguration.Limits = .init(),
        handshakeTimeout: Duration = .seconds(10),
        dataDirectory: String? = nil,
        policy policyFolder: String? = DevPKI.repositoryRoot + "/policy",
        disclosure: DisclosurePolicy = .standard,
        privacy: GatewayConfiguration.Privacy = .off,
        configure: @Sendable (inout GatewayConfiguration) -> Void = { _ in },
        routes: @Sendable (Router<GatewayRequestContext>) -> Void = { _ in },
        withOperations: Bool = false,
        _ body: @Sendable (TestGateway) async throws -> T
    ) async throws -> T {
        let pki: String = if let pkiFolder { pkiFolder } else { try await DevPKI.shared() }
        var tls = TLSServerConfiguration(
            certificatePath: pki + "/server.pem", privateKeyPath: pki + "/server.key",
            clientCAPath: pki + "/ca.pem", crlPath: pki + "/crl.pem"
        )
        tls.handshakeTimeout = handshakeTimeout
        let data = dataDirectory ?? DevPKI.temporaryFolder("data")
        if let policyFolder { try PolicyFixture.importFolder(policyFolder, into: data) }
        var configuration = GatewayConfiguration(
            host: "127.0.0.1", port: 0, tls: tls, dataDirectory: data,
            audit: .init(signingKeyPath: pki + "/audit-signing.key"), limits: limits
        )
        configuration.disclosure = disclosure
        configuration.privacy = privacy
        configuration.metrics.port = 0
        configure(&configuration)
        var logger = Logger(label: "test-gateway")
        logger.logLevel = .warning
        let server = try GatewayServer(configuration: configuration, logger: logger)
        let router = server.makeRouter()
        routes(router)
        let handshakes = HandshakeLog()
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        let operations = withOperations ? try await server.bindOperationsListener() : nil
        let application = server.makeApplication(router: router, handshakeObserver: handshakes.observer, operations: operations) { address in
            portSink.yield(address.port ?? 0)
        }
        let services = ServiceGroup(configuration: .init(services: [application], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw TestFailure("gateway did not start") }
            let result: Result<T, any Error>
            do {
                result = .success(try await body(TestGateway(port: port, pki: pki, server: server, handshakes: handshakes,
                                                             operationsPort: operations?.localAddress.port)))
            } catch {
                result = .failure(error)
            }
            await services.triggerGracefulShutdown()
            try await group.waitForAll()
            return try result.get()
        }
    }
}

extension GatewayConfiguration.Privacy {
    /// No ledger and exact counts: for tests of everything else, which count exactly and ask
    /// the same variant over many cohorts. The privacy suites turn the defences on.
    static var off: Self {
        var privacy = Self()
        privacy.enabled = false
        privacy.noiseMaximum = 0
        privacy.rareFrequency = 0
        privacy.frequencyPrecision = 0
        return privacy
    }
}

/// Policy stores for tests: the repository's example policy, imported as an operator would.
enum PolicyFixture {
    /// Imports the policy files of `folder` into the policy store of the data folder `data`.
    static func importFolder(_ folder: String, into data: String) throws {
        let imported = try PolicyImport(folder: folder)
        let database = try PolicyDatabase(folder: data)
        guard database.snapshot.version == 0 else { return }
        try database.apply(.importing(imported.state, from: folder), actor: "operator:test", channel: "import")
    }
}

/// Every handshake the gateway saw, for assertions on why one was refused.
final class HandshakeLog: Sendable {
    struct Failure: Sendable {
        var code: TLSError.Code
        var message: String
        var peerSubject: String?
    }
    private let failures = NIOLockedValueBox([Failure]())
    private let completed = NIOLockedValueBox([TLSConnectionInfo]())

    var observer: TLSConnectionObserver {
        TLSConnectionObserver(
            handshakeCompleted: { info, _ in self.completed.withLockedValue { $0.append(info) } },
            handshakeFailed: { error, peer, _ in
                self.failures.withLockedValue { $0.append(Failure(code: error.code, message: error.message, peerSubject: peer?.subject)) }
            }
        )
    }

    var allFailures: [Failure] { failures.withLockedValue { $0 } }
    var allCompleted: [TLSConnectionInfo] { completed.withLockedValue { $0 } }

    /// Waits up to `seconds` for a refused handshake and returns it.
    func waitForFailure(seconds: Double = 5) async throws -> Failure {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let failure = allFailures.last { return failure }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestFailure("no handshake was refused within \(seconds) s")
    }
}
