import Logging

/// Hooks told about every handshake the server sees, completed or refused.
///
/// Called on the connection's event loop: must not block.
public struct TLSConnectionObserver: Sendable {
    public var handshakeCompleted: @Sendable (_ info: TLSConnectionInfo, _ remoteAddress: String) -> Void
    /// `peer` is whatever certificate the client showed, if any, even when it failed verification.
    public var handshakeFailed: @Sendable (_ error: TLSError, _ peer: PeerIdentity?, _ remoteAddress: String) -> Void

    public init(
        handshakeCompleted: @escaping @Sendable (TLSConnectionInfo, String) -> Void,
        handshakeFailed: @escaping @Sendable (TLSError, PeerIdentity?, String) -> Void
    ) {
        self.handshakeCompleted = handshakeCompleted
        self.handshakeFailed = handshakeFailed
    }

    /// Logs refused handshakes at notice level and completed ones at debug level.
    public static func logging(_ logger: Logger) -> TLSConnectionObserver {
        TLSConnectionObserver(
            handshakeCompleted: { info, remote in
                logger.debug("tls handshake completed", metadata: [
                    "peer.subject": "\(info.peer.subject)", "tls.version": "\(info.protocolVersion)",
                    "tls.resumed": "\(info.sessionResumed)", "remote": "\(remote)",
                ])
            },
            handshakeFailed: { error, peer, remote in
                logger.notice("tls handshake refused", metadata: [
                    "code": "\(error.code.rawValue)", "reason": "\(error.message)",
                    "peer.subject": "\(peer?.subject ?? "-")", "remote": "\(remote)",
                ])
            }
        )
    }
}
