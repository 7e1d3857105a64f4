import Logging
import NIOCore

/// Closes a connection whose outbound data makes no progress: when the channel stays unwritable
/// (the socket accepts nothing and NIO's outbound buffer is past its high watermark) for
/// `limits.write_timeout_seconds`, a client that stopped reading holds its connection no longer.
///
/// The responders above wait for writability (backpressure), so a stalled client costs at most
/// NIO's watermark and the socket buffers until then. A slow reader that drains anything keeps
/// the channel toggling writable and is not cut off; in effect it must read the low watermark's
/// worth (32 KiB) within the timeout.
///
/// Sits first in the pipeline, on ciphertext, and closes the socket itself (no close_notify: it
/// could not be written anyway). One timer per stalled connection, none otherwise.
final class WriteStallHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    let timeout: TimeAmount
    let logger: Logger
    private var timer: Scheduled<Void>?

    init(timeout: TimeAmount, logger: Logger) {
        self.timeout = timeout
        self.logger = logger
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            timer?.cancel()
            timer = nil
        } else if timer == nil {
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            timer = context.eventLoop.scheduleTask(in: timeout) {
                let (handler, context) = bound.value
                handler.stalled(context: context)
            }
        }
        context.fireChannelWritabilityChanged()
    }

    private func stalled(context: ChannelHandlerContext) {
        timer = nil
        guard !context.channel.isWritable else { return }
        logger.notice("connection closed: the client read nothing of its answer", metadata: [
            "write_timeout_seconds": "\(RequestDeadline.seconds(timeout))",
            "remote": "\(context.channel.remoteAddress.map { "\($0)" } ?? "-")",
        ])
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }
}
