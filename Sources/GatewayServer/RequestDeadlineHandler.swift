import Foundation
import GatewayCore
import NIOCore
import NIOHTTP1
import NIOHTTPTypesHTTP1

/// Cuts off a request that arrives too slowly or for too long (``RequestDeadline``), and turns a
/// body the HTTP decoder cannot parse into a 400 the router answers.
///
/// When a request's time is up:
/// - if its head never reached the router, it is answered `408 request_timeout` here (through
///   ``UnroutedResponseGuard``, so only once its audit record is committed) and the connection closes;
/// - if the router is reading its body, the body read fails with `request_timeout`, so the router
///   answers 408 (audited as every routed answer) with `Connection: close`;
/// - if the router already answered, the connection closes.
/// Either way nothing more is read from the connection, and it is closed at the latest
/// ``closeGrace`` later.
///
/// A malformed body (a chunk size that is not hexadecimal, ...) fails the router's body read with
/// `bad_request` instead of NIO's parser error (which the router would answer 500).
///
/// Sits between ``UnroutedResponseGuard`` and `HTTP1ToHTTPServerCodec`; ``ConnectionGuardHandler``
/// reports the plaintext bytes that arrive. Per request: a few field updates and one clock read;
/// one timer per connection at most.
final class RequestDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// How long a cut-off connection may take to send its answer before it is closed anyway.
    static let closeGrace = TimeAmount.seconds(15)

    private var deadline: RequestDeadline
    private var context: ChannelHandlerContext?
    private var pendingCheck: Scheduled<Void>?
    private var forcedClose: Scheduled<Void>?
    private var closeAfterResponse = false

    /// True once a request was cut off: nothing more is read.
    var isExpired: Bool { deadline.expired }

    init(settings: RequestDeadline.Settings) {
        deadline = RequestDeadline(settings: settings)
    }

    /// Inserts a handler right before the pipeline's `HTTP1ToHTTPServerCodec` (after ``UnroutedResponseGuard``).
    static func insert(into pipeline: ChannelPipeline.SynchronousOperations, settings: RequestDeadline.Settings) throws -> RequestDeadlineHandler? {
        guard let codec = try? pipeline.handler(type: HTTP1ToHTTPServerCodec.self) else { return nil }
        let handler = RequestDeadlineHandler(settings: settings)
        try pipeline.addHandler(handler, position: .before(codec))
        return handler
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func handlerRemoved(context: ChannelHandlerContext) { stop() }

    func channelInactive(context: ChannelHandlerContext) {
        stop()
        context.fireChannelInactive()
    }

    private func stop() {
        pendingCheck?.cancel()
        pendingCheck = nil
        forcedClose?.cancel()
        forcedClose = nil
        context = nil
    }

    /// Plaintext arrived (reported by ``ConnectionGuardHandler``).
    func bytesArrived(_ count: Int) {
        guard let context, let due = deadline.bytesArrived(count, at: .now()) else { return }
        schedule(at: due, context: context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !deadline.expired else { return }
        switch unwrapInboundIn(data) {
        case .head: deadline.requestHeadDelivered()
        case .body: break
        case .end: deadline.requestEndDelivered()
        }
        context.fireChannelRead(data)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let parserError = error as? HTTPParserError, deadline.headDelivered, !deadline.responding {
            // The router is reading this request's body: let it answer 400 rather than 500.
            closeAfterResponse = true
            context.fireErrorCaught(GatewayError(.badRequest, Self.describe(parserError)))
            return
        }
        context.fireErrorCaught(error)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var head) where head.status.code >= 200:
            deadline.responseHeadWritten()
            guard closeAfterResponse else { break }
            head.headers.replaceOrAdd(name: "connection", value: "close")
            context.write(wrapOutboundOut(.head(head)), promise: promise)
            return
        case .end:
            deadline.responseEndWritten(at: .now())
        default:
            break
        }
        context.write(data, promise: promise)
    }

    private func schedule(at due: NIODeadline, context: ChannelHandlerContext) {
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        pendingCheck = context.eventLoop.scheduleTask(deadline: due) { bound.value.runCheck() }
    }

    private func runCheck() {
        pendingCheck = nil
        guard let context else { return }
        switch deadline.check(at: .now()) {
        case .idle:
            break
        case .recheck(let due):
            schedule(at: due, context: context)
        case .expired(let reason, let routed, let answered):
            if answered {
                context.close(promise: nil)
                return
            }
            closeAfterResponse = true
            if routed {
                context.fireErrorCaught(GatewayError(.requestTimeout, reason))
            } else {
                answerTimeout(reason, context: context)
            }
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            forcedClose = context.eventLoop.scheduleTask(in: Self.closeGrace) { bound.value.close(promise: nil) }
        }
    }

    /// `408 request_timeout` for a request whose head never reached the router.
    private func answerTimeout(_ reason: String, context: ChannelHandlerContext) {
        for part in ErrorResponse.unroutedParts(.requestTimeout, reason, status: .requestTimeout) {
            context.write(wrapOutboundOut(part), promise: nil)
        }
        context.flush()
    }

    /// What was wrong with a request NIO's decoder could not parse.
    static func describe(_ error: HTTPParserError) -> String {
        switch error {
        case .invalidChunkSize: "malformed request body: a chunk size is not a hexadecimal number"
        case .invalidContentLength: "malformed request: the Content-Length is not a number"
        default: "malformed request: \(error)"
        }
    }
}
