import GatewayCore
import GatewayTLS
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle

/// Puts a ``TLSServerHandler`` (OpenSSL over memory BIOs) in front of a
/// Hummingbird child channel, normally `HTTP1Channel` (given HTTP/1.0 connection
/// semantics and its closes by ``ConnectionCloseHandler``).
///
/// Each accepted connection gets a handler built from the provider's current
/// context, so a reload affects every handshake after it.
struct OpenSSLServerChildChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value

    let base: Base
    let contexts: TLSContextProvider
    let connections: TLSConnectionTable
    let observer: TLSConnectionObserver
    let recorder: AuditRecorder
    let limiter: ConnectionLimiter
    let deadline: RequestDeadline.Settings
    let writeTimeout: TimeAmount

    /// A connection past the total cap or a pending-handshake cap is closed here, before any TLS work.
    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        if let refusal = limiter.admit(channel) {
            channel.close(promise: nil)
            let message = switch refusal {
            case .total: "the gateway holds \(limiter.maxTotal) connections"
            case .pendingHandshakes: "the gateway holds \(limiter.maxPending) connections in their handshake"
            case .pendingHandshakesPerAddress: "the address holds \(limiter.maxPendingPerAddress) connections in their handshake"
            }
            return channel.eventLoop.makeFailedFuture(GatewayError(.tooManyConnections, message))
        }
        let guardHandler = ConnectionGuardHandler(limiter: limiter, recorder: recorder)
        return channel.eventLoop.makeCompletedFuture {
            let handler = try TLSServerHandler(context: contexts.current, connections: connections, observer: observer)
            try channel.pipeline.syncOperations.addHandlers(WriteStallHandler(timeout: writeTimeout, logger: logger), handler, guardHandler)
        }.flatMap {
            base.setup(channel: channel, logger: logger)
        }.flatMapThrowing { value in
            try ConnectionCloseHandler.insert(into: channel.pipeline.syncOperations)
            try UnroutedResponseGuard.insert(into: channel.pipeline.syncOperations, recorder: recorder, connections: connections)
            guardHandler.deadline = try RequestDeadlineHandler.insert(into: channel.pipeline.syncOperations, settings: deadline)
            try UnservedMethodHandler.insert(into: channel.pipeline.syncOperations)
            // Requests read before the client closed keep the connection's identity until handled.
            connections.retain(channel)
            return value
        }
    }

    /// Serves the connection; a graceful shutdown gives its requests in flight the shutdown grace,
    /// then closes it (and every other connection left).
    func handle(value: Value, logger: Logger) async {
        defer { connections.release(value.channel) }
        let limiter = self.limiter
        await withGracefulShutdownHandler {
            await base.handle(value: value, logger: logger)
        } onGracefulShutdown: {
            limiter.closeAllAfterGrace()
        }
    }
}

extension OpenSSLServerChildChannel: HTTPChannelHandler where Base: HTTPChannelHandler {
    var responder: HTTPChannelHandler.Responder { base.responder }
}
