import AuditLog
import GatewayTLS

extension TLSConnectionObserver {
    /// This observer, and also an audit record of every handshake refused for its certificate
    /// (with whatever identity the certificate showed), or for showing none; the record's reason is
    /// the refusal's code (`tls_certificate_expired`, `tls_certificate_revoked`,
    /// `tls_certificate_unknown_ca`, `tls_no_certificate`, ...). Handshakes that
    /// time out or fail before any certificate question (a scanner's garbage) are logged only.
    func auditing(_ recorder: AuditRecorder) -> TLSConnectionObserver {
        let base = self
        return TLSConnectionObserver(
            handshakeCompleted: base.handshakeCompleted,
            handshakeFailed: { error, peer, remote in
                base.handshakeFailed(error, peer, remote)
                let aboutCertificate = peer != nil || error.code.isAboutCertificate || error.message.lowercased().contains("certificate")
                guard aboutCertificate, error.code != .handshakeTimeout else { return }
                recorder.log.appendDetached(recorder.handshakeRefused(error, peer: peer, remoteAddress: remote))
            }
        )
    }
}
