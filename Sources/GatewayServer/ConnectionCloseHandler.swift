import NIOCore
import NIOHTTP1
import NIOHTTPTypesHTTP1

/// Decides whether a connection outlives the response being written, and closes it when not.
///
/// - A response that says `Connection: close` (the gateway's refusals of a certificate or an
///   oversized request, or an answer to a request that asked to close) ends the connection
///   once written: the TLS handler sends it, then close_notify, then closes.
/// - HTTP/1.0 gets HTTP/1.0 semantics, which the version-free HTTP types Hummingbird works with
///   cannot express: the connection is kept only when the request said `Connection: keep-alive`
///   and the response has a `Content-Length`, and then the response says `Connection:
///   keep-alive` too (clients such as ApacheBench wait for that). Otherwise the request is
///   marked `Connection: close` on its way up (so no further request is read), the response
///   says `Connection: close`, and an unframed body goes out as HTTP/1.0 (never chunked).
///
/// Sits between NIO's HTTP/1 codec and `HTTP1ToHTTPServerCodec`, where the request's version
/// is still known; NIO's pipelining handler below it lets one request at a time through.
final class ConnectionCloseHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// Whether the request being answered is HTTP/1.0 and asked to keep the connection.
    private var http10KeepAlive: Bool?
    private var closeAfterResponse = false

    /// Inserts a handler before the pipeline's `HTTP1ToHTTPServerCodec`; does nothing without one.
    static func insert(into pipeline: ChannelPipeline.SynchronousOperations) throws {
        guard let codec = try? pipeline.handler(type: HTTP1ToHTTPServerCodec.self) else { return }
        try pipeline.addHandler(ConnectionCloseHandler(), position: .before(codec))
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(var head) = unwrapInboundIn(data) else {
            context.fireChannelRead(data)
            return
        }
        guard head.version == .http1_0 else {
            http10KeepAlive = nil
            context.fireChannelRead(data)
            return
        }
        http10KeepAlive = head.isKeepAlive
        if !head.isKeepAlive { head.headers.replaceOrAdd(name: "connection", value: "close") }
        context.fireChannelRead(wrapInboundOut(.head(head)))
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var head):
            guard head.status.code >= 200 else {
                context.write(data, promise: promise)
                return
            }
            guard let keepAlive = http10KeepAlive else {
                closeAfterResponse = !head.isKeepAlive  // HTTP/1.1: only an explicit Connection: close
                context.write(data, promise: promise)
                return
            }
            let framed = head.headers.contains(name: "content-length")
            let keeps = keepAlive && framed && head.isKeepAlive
            head.headers.replaceOrAdd(name: "connection", value: keeps ? "keep-alive" : "close")
            // HTTP/1.0 has no chunked encoding: an unframed body is answered as HTTP/1.0 and ends with the connection.
            if !framed { head.version = .http1_0 }
            closeAfterResponse = !keeps
            context.write(wrapOutboundOut(.head(head)), promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            guard closeAfterResponse else {
                context.write(data, promise: promise)
                return
            }
            closeAfterResponse = false
            http10KeepAlive = nil
            // The TLS handler sends what was written, then close_notify, then closes.
            context.write(data, promise: promise)
            context.close(promise: nil)
        }
    }
}
