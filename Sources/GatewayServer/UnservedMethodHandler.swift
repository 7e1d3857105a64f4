import Foundation
import GatewayCore
import NIOCore
import NIOHTTP1
import NIOHTTPTypesHTTP1

/// Answers a request whose method the gateway never serves (`CONNECT`) with `405
/// method_not_allowed` and `Connection: close`, before the router, and reads nothing more.
///
/// NIO's decoder treats `CONNECT` as the start of a tunnel and parses nothing after it, so
/// left to the router the connection would sit unparsed until its idle timeout. The answer goes
/// out through ``UnroutedResponseGuard`` (only once its audit record is committed) and
/// ``ConnectionCloseHandler`` (which closes the connection after it).
///
/// Sits right before `HTTP1ToHTTPServerCodec`. Per request: one comparison.
final class UnservedMethodHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// Methods refused before routing.
    static let unserved: [HTTPMethod] = [.CONNECT]

    private var refused = false

    /// Inserts a handler right before the pipeline's `HTTP1ToHTTPServerCodec`.
    static func insert(into pipeline: ChannelPipeline.SynchronousOperations) throws {
        guard let codec = try? pipeline.handler(type: HTTP1ToHTTPServerCodec.self) else { return }
        try pipeline.addHandler(UnservedMethodHandler(), position: .before(codec))
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refused else { return }
        guard case .head(let head) = unwrapInboundIn(data), Self.unserved.contains(head.method) else {
            context.fireChannelRead(data)
            return
        }
        refused = true
        let message = "the gateway does not serve \(head.method.rawValue) requests"
        for part in ErrorResponse.unroutedParts(.methodNotAllowed, message, status: .methodNotAllowed) {
            context.write(wrapOutboundOut(part), promise: nil)
        }
        context.flush()
    }
}
