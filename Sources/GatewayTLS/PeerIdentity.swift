import Foundation

/// The verified client certificate of a connection, as OpenSSL saw it.
///
/// Made only by the TLS layer after a successful handshake; nothing a client
/// sends in HTTP can create or change one.
public struct PeerIdentity: Sendable, Hashable, Codable {
    /// SHA-256 of the leaf certificate's DER, lowercase hex without separators.
    public var fingerprintSHA256: String
    /// Subject distinguished name, RFC 2253 (`CN=...,O=...,C=JP`).
    public var subject: String
    /// Issuer distinguished name, RFC 2253.
    public var issuer: String
    /// Serial number, uppercase hex.
    public var serial: String
    public var notBefore: Date
    public var notAfter: Date
    /// The subject's country (C=), ISO 3166-1 alpha-2, if the certificate has one.
    public var country: String?
    /// DER of the chain the peer presented, leaf first; used to re-verify after a reload.
    public var chainDER: [[UInt8]]

    public init(
        fingerprintSHA256: String, subject: String, issuer: String, serial: String,
        notBefore: Date, notAfter: Date, country: String?, chainDER: [[UInt8]]
    ) {
        self.fingerprintSHA256 = fingerprintSHA256
        self.subject = subject
        self.issuer = issuer
        self.serial = serial
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.country = country
        self.chainDER = chainDER
    }
}

/// What a completed handshake established: who, how, and under which context.
public struct TLSConnectionInfo: Sendable, Hashable {
    public var peer: PeerIdentity
    /// "TLSv1.3" or "TLSv1.2".
    public var protocolVersion: String
    public var cipherSuite: String
    /// True when the client resumed an earlier session (no full handshake).
    public var sessionResumed: Bool
    /// The ``TLSServerContext/generation`` that verified the peer.
    public var contextGeneration: Int

    public init(peer: PeerIdentity, protocolVersion: String, cipherSuite: String, sessionResumed: Bool, contextGeneration: Int) {
        self.peer = peer
        self.protocolVersion = protocolVersion
        self.cipherSuite = cipherSuite
        self.sessionResumed = sessionResumed
        self.contextGeneration = contextGeneration
    }
}
