import GatewayOperations
import GatewayTLS

extension TLSConnectionObserver {
    /// This observer, and also a count of every handshake by outcome
    /// (`genomegate_tls_handshakes_total{outcome="completed"}` or the refusal's code).
    func counting(_ metrics: GatewayMetrics) -> TLSConnectionObserver {
        let base = self
        return TLSConnectionObserver(
            handshakeCompleted: { info, remote in
                metrics.recordHandshakeCompleted()
                base.handshakeCompleted(info, remote)
            },
            handshakeFailed: { error, peer, remote in
                metrics.recordHandshakeRefused(code: error.code.rawValue)
                base.handshakeFailed(error, peer, remote)
            }
        )
    }
}
