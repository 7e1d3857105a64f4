/// Fired up the pipeline by ``TLSServerHandler`` once a handshake has completed with a verified
/// client certificate, before any plaintext is passed on: a handler may still refuse the connection.
public struct TLSHandshakeCompletedEvent: Sendable {
    public let info: TLSConnectionInfo
}
