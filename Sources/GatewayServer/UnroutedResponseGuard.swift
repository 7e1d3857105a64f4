import AuditLog
import GatewayTLS
import NIOCore
import NIOHTTP1
import NIOHTTPTypesHTTP1

/// Holds back a response the router did not produce (Hummingbird answers a request it cannot
/// parse with 400 itself, outside every middleware) until its audit record is committed, and
/// closes the connection without it if the record cannot be written: no answer leaves without
/// its record. Every routed response carries `X-Request-Id`; these do not.
///
/// Sits between `HTTP1ToHTTPServerCodec` and ``ConnectionCloseHandler``.
final class UnroutedResponseGuard: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    let recorder: AuditRecorder
    let connections: TLSConnectionTable
    /// Parts written while the record is being committed; nil when nothing is held.
    private var held: [(NIOAny, EventLoopPromise<Void>?)]?
    private var flushWanted = false
    /// A close asked for while parts are held (Hummingbird closes right after its 400).
    private var closeWanted: (CloseMode, EventLoopPromise<Void>?)?

    init(recorder: AuditRecorder, connections: TLSConnectionTable) {
        self.recorder = recorder
        self.connections = connections
    }

    /// Inserts a guard right before the pipeline's `HTTP1ToHTTPServerCodec` (after ``ConnectionCloseHandler``).
    static func insert(into pipeline: ChannelPipeline.SynchronousOperations, recorder: AuditRecorder, connections: TLSConnectionTable) throws {
        guard let codec = try? pipeline.handler(type: HTTP1ToHTTPServerCodec.self) else { return }
        try pipeline.addHandler(UnroutedResponseGuard(recorder: recorder, connections: connections), position: .before(codec))
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if held != nil {
            held?.append((data, promise))
            return
        }
        guard case .head(let head) = unwrapOutboundIn(data), head.status.code >= 200, !head.headers.contains(name: "x-request-id") else {
            context.write(data, promise: promise)
            return
        }
        held = [(data, promise)]
        let record = recorder.unroutedResponse(status: Int(head.status.code), channel: context.channel, connections: connections)
        let loop = context.eventLoop
        let bound = NIOLoopBound((self, context), eventLoop: loop)
        recorder.log.append(record) { result in
            loop.execute {
                let (handler, context) = bound.value
                handler.release(context: context, committed: (try? result.get()) != nil)
            }
        }
    }

    func flush(context: ChannelHandlerContext) {
        if held != nil { flushWanted = true } else { context.flush() }
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        if held != nil, closeWanted == nil {
            closeWanted = (mode, promise)
        } else {
            context.close(mode: mode, promise: promise)
        }
    }

    private func release(context: ChannelHandlerContext, committed: Bool) {
        guard let parts = held else { return }
        held = nil
        let close = closeWanted
        closeWanted = nil
        if committed {
            for (data, promise) in parts { context.write(data, promise: promise) }
            if flushWanted || close != nil { context.flush() }
            if let (mode, promise) = close { context.close(mode: mode, promise: promise) }
        } else {
            for (_, promise) in parts { promise?.fail(ChannelError.ioOnClosedChannel) }
            context.close(promise: close?.1)
        }
        flushWanted = false
    }
}
