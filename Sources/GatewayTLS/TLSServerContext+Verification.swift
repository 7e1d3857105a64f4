import COpenSSL
import COpenSSLShim

extension TLSServerContext {
    /// Verifies a chain a peer presented earlier against this context's CA bundle
    /// and CRLs, as OpenSSL's handshake would (purpose `sslclient`, depth limit).
    ///
    /// Used after a reload, so that a certificate revoked by the new CRL is
    /// refused on its next request even on a connection opened before.
    /// - Returns: nil when the chain verifies, else OpenSSL's reason.
    public func verificationFailure(of identity: PeerIdentity) -> String? {
        guard let store = SSL_CTX_get_cert_store(pointer) else { return "context has no certificate store" }
        let certificates = identity.chainDER.compactMap { der -> OpaquePointer? in
            der.withUnsafeBufferPointer { buffer in
                var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
                return d2i_X509(nil, &cursor, buffer.count)
            }
        }
        defer { certificates.forEach { X509_free($0) } }
        guard let leaf = certificates.first, certificates.count == identity.chainDER.count else {
            return "the recorded certificate chain cannot be decoded"
        }
        guard let untrusted = gg_sk_X509_new_null() else { return "out of memory" }
        defer { gg_sk_X509_free(untrusted) }
        for certificate in certificates.dropFirst() { _ = gg_sk_X509_push(untrusted, certificate) }
        guard let storeContext = X509_STORE_CTX_new() else { return "out of memory" }
        defer { X509_STORE_CTX_free(storeContext) }
        OpenSSLErrorQueue.clear()
        guard X509_STORE_CTX_init(storeContext, store, leaf, OpaquePointer(untrusted)) == 1 else {
            return OpenSSLErrorQueue.drain().joined(separator: "; ")
        }
        _ = X509_STORE_CTX_set_purpose(storeContext, X509_PURPOSE_SSL_CLIENT)
        if let parameters = X509_STORE_CTX_get0_param(storeContext) {
            X509_VERIFY_PARAM_set_depth(parameters, Int32(configuration.verifyDepth))
        }
        let result = X509_verify_cert(storeContext)
        OpenSSLErrorQueue.clear()
        if result == 1 { return nil }
        return String(cString: X509_verify_cert_error_string(Int(X509_STORE_CTX_get_error(storeContext))))
    }
}
