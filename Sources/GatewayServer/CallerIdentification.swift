import GatewayCore
import GatewayPolicy
import GatewayTLS
import NIOCore

/// Maps a connection to the member behind it, from the TLS layer's verified
/// identity only, re-checking it against the configuration and policy in force.
///
/// Fails closed: a connection without a verified identity, a certificate the
/// current CA bundle or CRL no longer accepts, or a certificate of nobody
/// registered is an error, never an anonymous request.
struct CallerIdentification: Sendable {
    let connections: TLSConnectionTable
    let contexts: TLSContextProvider

    func identify(_ channel: any Channel, in directory: MemberDirectory) throws(GatewayError) -> (TLSConnectionInfo, Member) {
        guard let info = connections.info(for: channel) else {
            throw GatewayError(.noPeerIdentity, "the connection has no verified client certificate")
        }
        if let reason = contexts.verificationFailure(of: info) {
            let code: GatewayError.Code = reason.contains("revoked") ? .certificateRevoked
                : reason.contains("expired") || reason.contains("not yet valid") ? .certificateExpired
                : .certificateRejected
            throw GatewayError(code, "the client certificate is no longer accepted: \(reason)")
        }
        switch directory.member(fingerprint: info.peer.fingerprintSHA256, subject: info.peer.subject, issuer: info.peer.issuer) {
        case .member(let member): return (info, member)
        case .denied(let error): throw error
        }
    }
}
