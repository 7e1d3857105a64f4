import COpenSSL
import COpenSSLShim
import Logging
import NIOCore

/// A NIO channel handler that terminates TLS with OpenSSL over two memory BIOs.
///
/// Ciphertext from the socket goes into the read BIO; OpenSSL does the
/// handshake, the chain and CRL checks, and record decryption; whatever it
/// writes into the write BIO goes to the socket. Plaintext flows on as
/// `ByteBuffer`s to the HTTP codec above.
///
/// - The handshake must complete within the context's handshake timeout.
/// - Writes are held until a flush and packed into as few records as possible; a write's
///   promise completes when its ciphertext has been written to the socket.
/// - Close sends close_notify; a peer that closes without one mid-connection is
///   reported as ``TLSError/Code/uncleanShutdown`` (truncation is an error).
/// - A peer's close_notify closes its side only: `ChannelEvent.inputClosed` goes up the
///   pipeline, so what it sent before is still answered; nothing after it is read.
/// - OpenSSL's error queue is cleared before and drained after every call.
/// - The connection's ``TLSConnectionInfo`` is published to `connections` once the
///   handshake succeeds and removed when the channel closes; a ``TLSHandshakeCompletedEvent``
///   then goes up the pipeline.
public final class TLSServerHandler: ChannelDuplexHandler, RemovableChannelHandler {
    public typealias InboundIn = ByteBuffer
    public typealias InboundOut = ByteBuffer
    public typealias OutboundIn = ByteBuffer
    public typealias OutboundOut = ByteBuffer

    private enum State { case handshaking, active, closing, closed }

    private let tlsContext: TLSServerContext
    private let connections: TLSConnectionTable
    private let observer: TLSConnectionObserver
    private let ssl: OpaquePointer
    private let readBIO: OpaquePointer
    private let writeBIO: OpaquePointer
    private var state = State.handshaking
    private var handshakeTimer: Scheduled<Void>?
    private var bufferedWrites: [(ByteBuffer, EventLoopPromise<Void>?)] = []
    private var deliveredPlaintext = false
    private var receivedCloseNotify = false
    /// Completes when our close_notify has been written (set by the first close).
    private var closeNotifyWritten: EventLoopFuture<Void>?
    private var remoteAddress: String = "unknown"

    /// - Parameters:
    ///   - context: the server context current when the connection was accepted.
    ///   - connections: where the verified identity of this connection is published.
    ///   - observer: told about every handshake, completed or refused (for logs and audit).
    public init(context: TLSServerContext, connections: TLSConnectionTable, observer: TLSConnectionObserver) throws {
        OpenSSLErrorQueue.clear()
        guard let ssl = SSL_new(context.pointer),
              let readBIO = BIO_new(BIO_s_mem()),
              let writeBIO = BIO_new(BIO_s_mem())
        else { throw TLSError.fromQueue(.contextSetup, "cannot create a TLS connection") }
        SSL_set_bio(ssl, readBIO, writeBIO)  // ssl now owns both BIOs
        SSL_set_accept_state(ssl)
        self.tlsContext = context
        self.connections = connections
        self.observer = observer
        self.ssl = ssl
        self.readBIO = readBIO
        self.writeBIO = writeBIO
    }

    deinit {
        if let rejected = gg_SSL_take_rejected_certificate(ssl) { X509_free(rejected) }
        SSL_free(ssl)
    }

    // MARK: lifecycle

    public func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context: context) }
    }

    public func channelActive(context: ChannelHandlerContext) {
        start(context: context)
        context.fireChannelActive()
    }

    private func start(context: ChannelHandlerContext) {
        guard handshakeTimer == nil, state == .handshaking else { return }
        remoteAddress = context.channel.remoteAddress.map(PeerAddressText.describe) ?? "unknown"
        let timeout = tlsContext.configuration.handshakeTimeout
        let nanoseconds = timeout.components.seconds * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        handshakeTimer = context.eventLoop.scheduleTask(in: .nanoseconds(nanoseconds)) {
            let (handler, context) = loopBound.value
            handler.handshakeTimedOut(context: context)
        }
    }

    private func handshakeTimedOut(context: ChannelHandlerContext) {
        guard state == .handshaking else { return }
        fail(context: context, TLSError(.handshakeTimeout, "no completed handshake within \(tlsContext.configuration.handshakeTimeout)"), peer: nil)
    }

    public func channelInactive(context: ChannelHandlerContext) {
        let wasActive = state == .active
        state = .closed
        handshakeTimer?.cancel()
        connections.remove(context.channel)
        let pending = bufferedWrites
        bufferedWrites = []
        pending.forEach { $0.1?.fail(ChannelError.ioOnClosedChannel) }
        if wasActive && !receivedCloseNotify {
            context.fireErrorCaught(TLSError(.uncleanShutdown, "the peer closed the connection without close_notify"))
        }
        context.fireChannelInactive()
    }

    // MARK: inbound

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !receivedCloseNotify else { return }  // nothing counts after close_notify
        let ciphertext = unwrapInboundIn(data)
        ciphertext.withUnsafeReadableBytes { bytes in
            _ = BIO_write(readBIO, bytes.baseAddress, Int32(bytes.count))
        }
        switch state {
        case .handshaking: handshake(context: context)
        case .active, .closing: readPlaintext(context: context)
        case .closed: break
        }
    }

    public func channelReadComplete(context: ChannelHandlerContext) {
        if deliveredPlaintext {
            deliveredPlaintext = false
            context.fireChannelReadComplete()
        } else if state == .handshaking || state == .active {
            // Only part of a record, or handshake traffic: ask for more bytes.
            context.read()
        }
    }

    private func handshake(context: ChannelHandlerContext) {
        OpenSSLErrorQueue.clear()
        let result = SSL_do_handshake(ssl)
        if result == 1 {
            handshakeCompleted(context: context)
            return
        }
        let error = SSL_get_error(ssl, result)
        if error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE {
            writeCiphertext(context: context, promise: nil)
            context.flush()
            return
        }
        let verify = SSL_get_verify_result(ssl)
        var reasonCodes: [Int32] = []
        var reasons = OpenSSLErrorQueue.drain(reasonCodes: &reasonCodes)
        if verify != X509_V_OK {
            reasons.insert("certificate verify: " + String(cString: X509_verify_cert_error_string(verify)), at: 0)
        }
        var peer: PeerIdentity?
        if let rejected = gg_SSL_take_rejected_certificate(ssl) {
            peer = PeerIdentity.read(leaf: rejected, chainDER: [X509Fields.der(rejected)])
            X509_free(rejected)
        } else if let shown = SSL_get0_peer_certificate(ssl) {
            peer = PeerIdentity.read(leaf: shown, chainDER: [X509Fields.der(shown)])
        }
        let code = TLSError.Code.handshakeRefusal(verifyResult: verify, sslReasons: reasonCodes)
        fail(context: context, TLSError(code, reasons.isEmpty ? "handshake failed" : reasons.joined(separator: "; ")), peer: peer)
    }

    private func handshakeCompleted(context: ChannelHandlerContext) {
        handshakeTimer?.cancel()
        handshakeTimer = nil
        guard SSL_get_verify_result(ssl) == X509_V_OK, let leaf = SSL_get0_peer_certificate(ssl) else {
            // Unreachable with SSL_VERIFY_FAIL_IF_NO_PEER_CERT; refuse rather than trust it.
            fail(context: context, TLSError(.peerRejected, "handshake completed without a verified client certificate"), peer: nil)
            return
        }
        var chain = [X509Fields.der(leaf)]
        if let presented = SSL_get_peer_cert_chain(ssl) {
            // On the server side this chain does not include the leaf.
            for index in 0..<gg_sk_X509_num(UnsafeRawPointer(presented)) {
                if let certificate = gg_sk_X509_value(UnsafeRawPointer(presented), index) {
                    let der = X509Fields.der(certificate)
                    if der != chain[0] { chain.append(der) }
                }
            }
        }
        let info = TLSConnectionInfo(
            peer: tlsContext.peerIdentities.identity(leaf: leaf, chainDER: chain),
            protocolVersion: String(cString: SSL_get_version(ssl)),
            cipherSuite: String(cString: SSL_CIPHER_get_name(SSL_get_current_cipher(ssl))),
            sessionResumed: SSL_session_reused(ssl) == 1,
            contextGeneration: tlsContext.generation
        )
        state = .active
        connections.set(info, for: context.channel)
        observer.handshakeCompleted(info, remoteAddress)
        context.fireUserInboundEventTriggered(TLSHandshakeCompletedEvent(info: info))
        guard state == .active else { return }  // refused by a handler above
        writeCiphertext(context: context, promise: nil)  // session tickets
        encryptBufferedWrites(context: context)
        context.flush()
        readPlaintext(context: context)  // application data may have come with the Finished message
    }

    private func readPlaintext(context: ChannelHandlerContext) {
        while state == .active || state == .closing {
            // Plaintext never exceeds the ciphertext waiting, nor one record (16 KiB).
            let available = max(Int(SSL_pending(ssl)), Int(BIO_ctrl_pending(readBIO)))
            guard available > 0 else {
                writeCiphertext(context: context, promise: nil)
                context.flush()
                return
            }
            let capacity = min(available, 16 * 1024)
            var buffer = context.channel.allocator.buffer(capacity: capacity)
            var count = 0
            OpenSSLErrorQueue.clear()
            let result = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: capacity) { bytes in
                SSL_read_ex(ssl, bytes.baseAddress, bytes.count, &count) == 1 ? count : 0
            }
            if result > 0 {
                if state == .active {
                    deliveredPlaintext = true
                    context.fireChannelRead(wrapInboundOut(buffer))
                }
                continue
            }
            let error = SSL_get_error(ssl, 0)
            switch error {
            case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
                writeCiphertext(context: context, promise: nil)
                context.flush()
                return
            case SSL_ERROR_ZERO_RETURN:
                // The peer closed its side: what it sent before is still answered (the HTTP
                // handlers above close the connection once they have), nothing more is read.
                OpenSSLErrorQueue.clear()
                writeCiphertext(context: context, promise: nil)
                context.flush()
                guard !receivedCloseNotify else { return }
                receivedCloseNotify = true
                context.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
                return
            default:
                let reasons = OpenSSLErrorQueue.drain()
                let failure = TLSError(.recordFailed, reasons.isEmpty ? "TLS record error \(error)" : reasons.joined(separator: "; "))
                writeCiphertext(context: context, promise: nil)  // any alert OpenSSL queued
                context.flush()
                context.fireErrorCaught(failure)
                state = .closed
                context.close(promise: nil)
                return
            }
        }
    }

    // MARK: outbound

    /// Holds the plaintext until the next flush (or the end of the handshake), so that what one
    /// flush sends is packed into as few TLS records as possible.
    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch state {
        case .handshaking, .active: bufferedWrites.append((unwrapOutboundIn(data), promise))
        case .closing, .closed: promise?.fail(ChannelError.ioOnClosedChannel)
        }
    }

    public func flush(context: ChannelHandlerContext) {
        switch state {
        case .handshaking: break  // sent when the handshake completes
        case .active:
            encryptBufferedWrites(context: context)
            context.flush()
        case .closing, .closed: context.flush()
        }
    }

    /// How long a close waits for close_notify (and pending data) to be written before closing anyway.
    static let closeNotifyGrace = TimeAmount.seconds(3)

    /// The most plaintext one TLS record carries.
    private static let recordSize = 16 * 1024

    /// Encrypts the buffered writes, packing consecutive small ones into shared records; each
    /// write's promise completes when the ciphertext carrying it has been written.
    private func encryptBufferedWrites(context: ChannelHandlerContext) {
        guard !bufferedWrites.isEmpty else { return }
        let pending = bufferedWrites
        bufferedWrites = []
        var batch: ByteBuffer?
        var promises: [EventLoopPromise<Void>] = []
        var failed = false
        func sealBatch() {
            guard let sealed = batch else { return }
            failed = failed || !encrypt(context: context, sealed, promise: Self.combined(promises, on: context.eventLoop))
            batch = nil
            promises = []
        }
        for (index, (buffer, promise)) in pending.enumerated() {
            if failed {
                // A hole in the stream is worse than no stream: fail the rest and close.
                for (_, later) in pending[index...] { later?.fail(ChannelError.ioOnClosedChannel) }
                state = .closed
                context.close(promise: nil)
                return
            }
            if buffer.readableBytes > Self.recordSize {
                sealBatch()
                failed = failed || !encrypt(context: context, buffer, promise: promise)
                continue
            }
            if (batch?.readableBytes ?? 0) + buffer.readableBytes > Self.recordSize { sealBatch() }
            if batch == nil { batch = buffer } else { batch!.writeImmutableBuffer(buffer) }
            if let promise { promises.append(promise) }
        }
        sealBatch()
        if failed {
            state = .closed
            context.close(promise: nil)
        }
    }

    /// One promise standing for several (nil for none).
    private static func combined(_ promises: [EventLoopPromise<Void>], on eventLoop: any EventLoop) -> EventLoopPromise<Void>? {
        guard promises.count > 1 else { return promises.first }
        let shared = eventLoop.makePromise(of: Void.self)
        shared.futureResult.whenComplete { result in promises.forEach { $0.completeWith(result) } }
        return shared
    }

    /// Encrypts and writes `plaintext`; false (the promise failed, the error fired) if OpenSSL refused.
    @discardableResult
    private func encrypt(context: ChannelHandlerContext, _ plaintext: ByteBuffer, promise: EventLoopPromise<Void>?) -> Bool {
        var remaining = plaintext
        while remaining.readableBytes > 0 {
            var written = 0
            OpenSSLErrorQueue.clear()
            let ok = remaining.withUnsafeReadableBytes { bytes in
                SSL_write_ex(ssl, bytes.baseAddress, bytes.count, &written) == 1
            }
            guard ok else {
                let failure = TLSError.fromQueue(.recordFailed, "cannot encrypt a record")
                promise?.fail(failure)
                context.fireErrorCaught(failure)
                return false
            }
            remaining.moveReaderIndex(forwardBy: written)
        }
        writeCiphertext(context: context, promise: promise)
        return true
    }

    /// Moves everything OpenSSL wrote into the write BIO to the socket; `promise`
    /// completes when those bytes are written.
    private func writeCiphertext(context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
        let pending = Int(BIO_ctrl_pending(writeBIO))
        guard pending > 0 else {
            promise?.succeed(())
            return
        }
        var buffer = context.channel.allocator.buffer(capacity: pending)
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: pending) { bytes in
            Int(max(0, BIO_read(writeBIO, bytes.baseAddress, Int32(pending))))
        }
        context.write(wrapOutboundOut(buffer), promise: promise)
    }

    public func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        switch (state, mode) {
        case (.active, .all), (.active, .output):
            encryptBufferedWrites(context: context)  // written before close_notify
            state = .closing
            OpenSSLErrorQueue.clear()
            _ = SSL_shutdown(ssl)  // queues close_notify; we do not wait for the peer's
            OpenSSLErrorQueue.clear()
            // Close once close_notify is on the wire: a close requested from a write's completion
            // runs while NIO is still flushing, and closing at once would drop the queued alert.
            // A peer that stops reading must not hold the connection open: close anyway after a grace period.
            let written = context.eventLoop.makePromise(of: Void.self)
            closeNotifyWritten = written.futureResult
            writeCiphertext(context: context, promise: written)
            context.flush()
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            let deadline = context.eventLoop.scheduleTask(in: Self.closeNotifyGrace) { loopBound.value.close(mode: .all, promise: nil) }
            written.futureResult.whenComplete { _ in
                deadline.cancel()
                loopBound.value.close(mode: mode, promise: promise)
            }
        case (.closing, _) where closeNotifyWritten != nil:
            // Another close while close_notify is on its way: it too waits for it.
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            closeNotifyWritten?.whenComplete { _ in loopBound.value.close(mode: mode, promise: promise) }
        case (.closed, _):
            context.close(mode: mode, promise: promise)
        default:
            if mode == .all { state = .closed }
            context.close(mode: mode, promise: promise)
        }
    }

    private func fail(context: ChannelHandlerContext, _ error: TLSError, peer: PeerIdentity?) {
        handshakeTimer?.cancel()
        handshakeTimer = nil
        writeCiphertext(context: context, promise: nil)  // the alert, if any
        context.flush()
        state = .closed
        observer.handshakeFailed(error, peer, remoteAddress)
        context.fireErrorCaught(error)
        context.close(promise: nil)
    }
}
