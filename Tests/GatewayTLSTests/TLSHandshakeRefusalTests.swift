import GatewayTLS
import Testing

/// OpenSSL's verify result becomes a stable refusal code (values from openssl/x509_vfy.h and sslerr.h).
@Suite("TLS handshake refusal codes")
struct TLSHandshakeRefusalTests {
    @Test("verify results", arguments: [
        (10, TLSError.Code.certificateExpired),           // X509_V_ERR_CERT_HAS_EXPIRED
        (9, .certificateNotYetValid),                      // X509_V_ERR_CERT_NOT_YET_VALID
        (23, .certificateRevoked),                         // X509_V_ERR_CERT_REVOKED
        (2, .certificateUnknownCA),                        // X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT
        (20, .certificateUnknownCA),                       // X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY
        (18, .certificateUnknownCA),                       // X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT
        (19, .certificateUnknownCA),                       // X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN
        (26, .certificateRejected),                        // X509_V_ERR_INVALID_PURPOSE
        (22, .certificateRejected),                        // X509_V_ERR_CERT_CHAIN_TOO_LONG
    ])
    func verifyResults(verify: Int, code: TLSError.Code) {
        #expect(TLSError.Code.handshakeRefusal(verifyResult: verify, sslReasons: []) == code)
        #expect(code.isAboutCertificate)
    }

    @Test("no certificate, and failures that are not about a certificate")
    func noVerification() {
        #expect(TLSError.Code.handshakeRefusal(verifyResult: 0, sslReasons: [199]) == .noCertificate)  // SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE
        #expect(TLSError.Code.handshakeRefusal(verifyResult: 0, sslReasons: [258]) == .handshakeFailed)  // SSL_R_UNSUPPORTED_PROTOCOL
        #expect(TLSError.Code.handshakeRefusal(verifyResult: 0, sslReasons: []) == .handshakeFailed)
        #expect(!TLSError.Code.handshakeFailed.isAboutCertificate)
        #expect(!TLSError.Code.handshakeTimeout.isAboutCertificate)
    }
}
