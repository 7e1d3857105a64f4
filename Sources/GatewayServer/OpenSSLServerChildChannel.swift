import GatewayCore
import GatewayTLS
import HummingbirdCore
import Logging
import NIOCore

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

    /// A connection past the total cap is closed here, before any TLS work.
    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        guard limiter.admit(channel) else {
            channel.close(promise: nil)
            return channel.eventLoop.makeFailedFuture(GatewayError(.tooManyConnections, "the gateway holds \(limiter.maxTotal) connections"))
        }
        let guardHandler = ConnectionGuardHandler(limiter: limiter, recorder: recorder)
        return channel.eventLoop.makeCompletedFuture {
            let handler = try TLSServerHandler(context: contexts.current, connections: connections, observer: observer)
            try channel.pipeline.syncOperations.addHandlers(handler, guardHandler)
        }.flatMap {
            base.setup(channel: channel, logger: logger)
        }.flatMapThrowing { value in
            try ConnectionCloseHandler.insert(into: channel.pipeline.syncOperations)
            try UnroutedResponseGuard.insert(into: channel.pipeline.syncOperations, recorder: recorder, connections: connections)
            guardHandler.deadline = try RequestDeadlineHandler.insert(into: channel.pipeline.syncOperations, settings: deadline)
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

extension OpenSSLServerChildChannel: HTTPChannelHandler where Base: HTTPChannelHandler {
    var responder: HTTPChannelHandler.Responder { base.responder }
}
