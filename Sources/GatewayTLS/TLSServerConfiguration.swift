/// Where the server's TLS material lives and how strictly peers are checked.
///
/// Paths are read when a ``TLSServerContext`` is built, at start and at each
/// reload; a file that fails to parse keeps the previous context in service.
public struct TLSServerConfiguration: Sendable, Hashable {
    /// PEM: the server certificate, followed by any intermediates.
    public var certificatePath: String
    /// PEM: the server's private key (ECDSA or RSA).
    public var privateKeyPath: String
    /// PEM: the consortium CA bundle that client certificates must chain to.
    public var clientCAPath: String
    /// PEM: certificate revocation lists; when set, the whole chain is checked.
    public var crlPath: String?
    /// Longest accepted client chain, leaf excluded.
    public var verifyDepth: Int
    /// A connection that has not completed its handshake by then is closed.
    public var handshakeTimeout: Duration
    /// A CRL whose nextUpdate is closer than this is warned about at start and at each reload
    /// (`tls.crl_warning_margin_hours`, default 72 hours).
    public var crlWarningMargin: Duration = .seconds(72 * 3600)

    public init(
        certificatePath: String,
        privateKeyPath: String,
        clientCAPath: String,
        crlPath: String? = nil,
        verifyDepth: Int = 4,
        handshakeTimeout: Duration = .seconds(10)
    ) {
        self.certificatePath = certificatePath
        self.privateKeyPath = privateKeyPath
        self.clientCAPath = clientCAPath
        self.crlPath = crlPath
        self.verifyDepth = verifyDepth
        self.handshakeTimeout = handshakeTimeout
    }
}
