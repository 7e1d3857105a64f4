import COpenSSL

extension TLSError.Code {
    /// The stable code of a refused handshake, from OpenSSL's verify result and the reason codes
    /// its error queue held.
    ///
    /// - Parameters:
    ///   - verifyResult: `SSL_get_verify_result` (an `X509_V_*` value; `X509_V_OK` when no chain was verified).
    ///   - sslReasons: `ERR_GET_REASON` of each error OpenSSL queued for the handshake.
    /// - Returns: the certificate's own reason when verification failed, ``noCertificate`` when the
    ///   client showed none, else ``handshakeFailed`` (protocol, cipher, garbage).
    public static func handshakeRefusal(verifyResult: Int, sslReasons: [Int32]) -> TLSError.Code {
        switch Int32(truncatingIfNeeded: verifyResult) {
        case X509_V_OK:
            return sslReasons.contains(SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE) ? .noCertificate : .handshakeFailed
        case X509_V_ERR_CERT_HAS_EXPIRED:
            return .certificateExpired
        case X509_V_ERR_CERT_NOT_YET_VALID:
            return .certificateNotYetValid
        case X509_V_ERR_CERT_REVOKED:
            return .certificateRevoked
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY,
             X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN,
             X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE, X509_V_ERR_CERT_UNTRUSTED:
            return .certificateUnknownCA
        default:
            return .certificateRejected
        }
    }
}
