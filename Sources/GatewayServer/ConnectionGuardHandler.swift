import AuditLog
import GatewayCore
import GatewayTLS
import NIOCore

/// Sits right above ``TLSServerHandler``, on plaintext:
/// - once the handshake completes, tells the limiter the connection no longer counts as pending;
/// - right after the handshake, closes a connection whose certificate already holds
///   `limits.max_connections_per_certificate` (audited as `too_many_connections`, method `TLS`);
/// - tells ``RequestDeadlineHandler`` how much plaintext arrives, and passes nothing on once it
///   has cut a request off.
final class ConnectionGuardHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    let limiter: ConnectionLimiter
    let recorder: AuditRecorder
    /// Set once the HTTP handlers are in place (before the channel is active).
    var deadline: RequestDeadlineHandler?

    init(limiter: ConnectionLimiter, recorder: AuditRecorder) {
        self.limiter = limiter
        self.recorder = recorder
    }

    func handlerRemoved(context: ChannelHandlerContext) { deadline = nil }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if let deadline {
            guard !deadline.isExpired else { return }
            deadline.bytesArrived(unwrapInboundIn(data).readableBytes)
        }
        context.fireChannelRead(data)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is TLSHandshakeCompletedEvent { limiter.handshakeEnded(context.channel) }
        if let completed = event as? TLSHandshakeCompletedEvent,
           !limiter.admit(context.channel, certificate: completed.info.peer.fingerprintSHA256) {
            let remote = context.channel.remoteAddress.map(PeerAddressText.describe) ?? "unknown"
            recorder.log.appendDetached(recorder.connectionRefused(
                reason: GatewayError.Code.tooManyConnections.rawValue, peer: completed.info.peer, remoteAddress: remote
            ))
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}
