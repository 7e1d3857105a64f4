import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle
import Synchronization

/// The plain-HTTP listener for `/metrics`, `/healthz` and `/readyz` (`metrics.listen`,
/// default `127.0.0.1:9464`), apart from the mutual-TLS listener: a scraper or a load
/// balancer's health check needs no client certificate, and no member's data is here.
///
/// Bound by ``bind(host:port:endpoints:logger:)`` before the gateway starts (so a busy port
/// fails start-up, and the bound address is known), then run as a `Service` in the gateway's
/// service group; it stops, closing every connection, on graceful shutdown.
/// At most ``maximumConnections`` at once; a connection idle for ``idleTimeout`` is closed.
public final class OperationsListener: Service, Sendable {
    typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>

    /// The address the listener is bound to (port 0 asks for a free one).
    public let localAddress: SocketAddress
    private let server: NIOAsyncChannel<Connection, Never>
    private let endpoints: OperationsEndpoints
    private let logger: Logger
    private let open = Atomic<Int>(0)

    public static let maximumConnections = 32
    public static let idleTimeout: TimeAmount = .seconds(30)

    private init(server: NIOAsyncChannel<Connection, Never>, localAddress: SocketAddress, endpoints: OperationsEndpoints, logger: Logger) {
        self.server = server
        self.localAddress = localAddress
        self.endpoints = endpoints
        self.logger = logger
    }

    /// Binds `host:port`; throws if the address cannot be bound (busy, privileged, not local).
    public static func bind(host: String, port: Int, endpoints: OperationsEndpoints, logger: Logger) async throws -> OperationsListener {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: host, port: port) { child in
                child.eventLoop.makeCompletedFuture {
                    let pipeline = child.pipeline.syncOperations
                    try pipeline.addHandler(IdleStateHandler(readTimeout: idleTimeout))
                    try pipeline.addHandler(CloseOnIdleHandler())
                    try pipeline.configureHTTPServerPipeline(withErrorHandling: true)
                    return try Connection(wrappingChannelSynchronously: child)
                }
            }
        guard let address = server.channel.localAddress else {
            try? await server.channel.close()
            throw ChannelError.unknownLocalAddress
        }
        return OperationsListener(server: server, localAddress: address, endpoints: endpoints, logger: logger)
    }

    /// `http://127.0.0.1:9464` or `http://[::1]:9464`.
    public var url: String {
        let host = localAddress.ipAddress.map { $0.contains(":") ? "[\($0)]" : $0 } ?? "localhost"
        return "http://\(host):\(localAddress.port ?? 0)"
    }

    /// Serves until graceful shutdown (or cancellation), then closes every connection.
    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                try await self.serve()
            }
        } catch is CancellationError {
            // Shutting down: the connections were closed with their tasks.
        }
    }

    private func serve() async throws {
        try await server.executeThenClose { inbound in
            try await withThrowingDiscardingTaskGroup { group in
                for try await connection in inbound {
                    guard open.add(1, ordering: .relaxed).newValue <= Self.maximumConnections else {
                        open.subtract(1, ordering: .relaxed)
                        connection.channel.close(promise: nil)
                        continue
                    }
                    group.addTask {
                        await self.handle(connection)
                        self.open.subtract(1, ordering: .relaxed)
                    }
                }
            }
        }
    }

    private func handle(_ connection: Connection) async {
        do {
            try await connection.executeThenClose { inbound, outbound in
                var head: HTTPRequestHead?
                for try await part in inbound {
                    switch part {
                    case .head(let received): head = received
                    case .body: continue  // no endpoint reads a body; it is not kept
                    case .end:
                        guard let request = head else { continue }
                        head = nil
                        let keepAlive = request.isKeepAlive && request.version == .http1_1
                        let response = await endpoints.respond(method: request.method.rawValue, target: request.uri)
                        try await Self.write(response, to: outbound, for: request, keepAlive: keepAlive)
                        if !keepAlive { return }
                    }
                }
            }
        } catch {
            logger.debug("operations listener: connection ended", metadata: ["error": "\(error)"])
        }
    }

    private static func write(_ response: OperationsEndpoints.Response, to outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>,
                              for request: HTTPRequestHead, keepAlive: Bool) async throws {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: response.contentType)
        headers.add(name: "Content-Length", value: String(response.body.count))
        headers.add(name: "Cache-Control", value: "no-store")
        if let allow = response.allow { headers.add(name: "Allow", value: allow) }
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        let status = HTTPResponseStatus(statusCode: response.status, reasonPhrase: response.reason)
        try await outbound.write(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers)))
        if request.method != .HEAD { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: response.body)))) }
        try await outbound.write(.end(nil))
    }
}

/// Closes a connection when ``IdleStateHandler`` reports it idle.
private final class CloseOnIdleHandler: ChannelInboundHandler {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}
