import AuditLog
import GatewayTLS

extension TLSConnectionObserver {
    /// This observer, and also an audit record of every handshake refused for its certificate
    /// (with whatever identity the certificate showed).
    func auditing(_ recorder: AuditRecorder) -> TLSConnectionObserver {
        let base = self
        return TLSConnectionObserver(
            handshakeCompleted: base.handshakeCompleted,
            handshakeFailed: { error, peer, remote in
                base.handshakeFailed(error, peer, remote)
                recorder.log.appendDetached(recorder.handshakeRefused(error, peer: peer, remoteAddress: remote))
            }
        )
    }
}
