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

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let handler = try TLSServerHandler(context: contexts.current, connections: connections, observer: observer)
            try channel.pipeline.syncOperations.addHandler(handler)
        }.flatMap {
            base.setup(channel: channel, logger: logger)
        }.flatMapThrowing { value in
            try ConnectionCloseHandler.insert(into: channel.pipeline.syncOperations)
            try UnroutedResponseGuard.insert(into: channel.pipeline.syncOperations, recorder: recorder, connections: connections)
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
