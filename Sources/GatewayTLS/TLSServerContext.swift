import COpenSSL
import COpenSSLShim
import Foundation

/// One immutable OpenSSL server context (`SSL_CTX`): certificate, key, client
/// CA bundle, CRLs and the protocol rules, loaded and checked in full.
///
/// Building one either succeeds completely or throws a ``TLSError`` naming the
/// file and OpenSSL's reason; a reload builds a new one and swaps it in, so
/// connections keep the context they were accepted with.
///
/// Protocol rules: TLS 1.2 minimum, TLS 1.3 preferred; TLS 1.2 only with ECDHE
/// and AEAD suites; no compression, no renegotiation; client certificate
/// required and verified for the `sslclient` purpose, chain depth limited, the
/// whole chain checked against the CRLs when a CRL file is configured; TLS 1.3
/// session tickets on, one per full handshake (keys are per context, so a reload invalidates them).
public final class TLSServerContext: @unchecked Sendable {
    // SSL_CTX is safe to share between threads once configured; it is never mutated after init.
    let pointer: OpaquePointer
    /// The configuration this context was built from.
    public let configuration: TLSServerConfiguration
    /// Counts contexts built by one provider; a connection records the generation it was verified under.
    public let generation: Int
    /// The earliest nextUpdate of the configured CRLs, or nil (no CRL file, or none with a nextUpdate).
    /// After it OpenSSL refuses every client certificate (`CRL has expired`) until a fresh CRL is loaded.
    public private(set) var crlNextUpdate: Date?
    /// Identities of the client certificates this context has verified, by DER.
    let peerIdentities = PeerIdentityCache()

    static let tls12Ciphers = "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256"
    static let tls13Suites = "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256"

    /// Loads and checks every file named by `configuration`.
    /// - Throws: ``TLSError`` naming the file and the reason.
    public init(configuration: TLSServerConfiguration, generation: Int = 1) throws {
        OpenSSLErrorQueue.clear()
        guard let ctx = SSL_CTX_new(TLS_server_method()) else {
            throw TLSError.fromQueue(.contextSetup, "cannot create an OpenSSL context")
        }
        self.pointer = ctx
        self.configuration = configuration
        self.generation = generation
        try configureProtocol()
        try loadIdentity()
        try loadClientCAs()
        if let crlPath = configuration.crlPath {
            try loadCRLs(from: crlPath)
        }
    }

    deinit {
        SSL_CTX_free(pointer)
    }

    private func configureProtocol() throws {
        guard gg_SSL_CTX_set_min_proto_version(pointer, gg_version_tls1_2()) == 1,
              gg_SSL_CTX_set_max_proto_version(pointer, gg_version_tls1_3()) == 1
        else { throw TLSError.fromQueue(.contextSetup, "cannot restrict protocol versions") }
        SSL_CTX_set_options(pointer, gg_server_options())
        _ = gg_SSL_CTX_set_mode(pointer, gg_server_modes())
        guard SSL_CTX_set_cipher_list(pointer, Self.tls12Ciphers) == 1,
              SSL_CTX_set_ciphersuites(pointer, Self.tls13Suites) == 1,
              gg_SSL_CTX_set1_groups_list(pointer, "X25519:P-256:P-384") == 1
        else { throw TLSError.fromQueue(.contextSetup, "cannot set cipher suites") }
        let sessionContext = Array("genomegate".utf8)
        guard SSL_CTX_set_session_id_context(pointer, sessionContext, UInt32(sessionContext.count)) == 1 else {
            throw TLSError.fromQueue(.contextSetup, "cannot set the session id context")
        }
        _ = gg_SSL_CTX_set_session_cache_mode(pointer, gg_session_cache_server())
        // One TLS 1.3 ticket per full handshake (OpenSSL sends two by default): tickets are
        // stateless, so a client may resume with the same one again; each costs an encryption.
        guard SSL_CTX_set_num_tickets(pointer, 1) == 1 else {
            throw TLSError.fromQueue(.contextSetup, "cannot set the number of session tickets")
        }
        SSL_CTX_set_verify(pointer, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT) { ok, store in
            gg_verify_remember_rejected(ok, UnsafeMutableRawPointer(store))
        }
        SSL_CTX_set_verify_depth(pointer, Int32(configuration.verifyDepth))
        guard SSL_CTX_set_purpose(pointer, X509_PURPOSE_SSL_CLIENT) == 1 else {
            throw TLSError.fromQueue(.contextSetup, "cannot require the sslclient purpose")
        }
    }

    private func loadIdentity() throws {
        let certificate = configuration.certificatePath
        let key = configuration.privateKeyPath
        try Self.requireReadable(certificate, .certificateFile, "server certificate")
        try Self.requireReadable(key, .privateKeyFile, "server private key")
        OpenSSLErrorQueue.clear()
        guard SSL_CTX_use_certificate_chain_file(pointer, certificate) == 1 else {
            throw TLSError.fromQueue(.certificateFile, "server certificate \(certificate) is not a PEM certificate chain")
        }
        let privateKey = try Self.readPrivateKey(key)
        defer { EVP_PKEY_free(privateKey) }
        // Compared before SSL_CTX_use_PrivateKey, whose own refusal of a mismatch reads as a parse error.
        guard let leaf = SSL_CTX_get0_certificate(pointer), X509_check_private_key(leaf, privateKey) == 1 else {
            OpenSSLErrorQueue.clear()
            throw TLSError(.privateKeyFile, "server private key \(key) does not match the certificate \(certificate) — "
                + "give the key the certificate was issued for (`openssl x509 -noout -pubkey -in CERT` and "
                + "`openssl pkey -pubout -in KEY` must print the same key)")
        }
        guard SSL_CTX_use_PrivateKey(pointer, privateKey) == 1, SSL_CTX_check_private_key(pointer) == 1 else {
            throw TLSError.fromQueue(.privateKeyFile, "server private key \(key) cannot be used with certificate \(certificate)")
        }
    }

    private func loadClientCAs() throws {
        let path = configuration.clientCAPath
        try Self.requireReadable(path, .clientCAFile, "client CA bundle")
        OpenSSLErrorQueue.clear()
        guard SSL_CTX_load_verify_locations(pointer, path, nil) == 1 else {
            throw TLSError.fromQueue(.clientCAFile, "client CA bundle \(path) is not a PEM certificate bundle")
        }
        guard let names = SSL_load_client_CA_file(path) else {
            throw TLSError.fromQueue(.clientCAFile, "client CA bundle \(path) holds no CA certificate")
        }
        SSL_CTX_set_client_CA_list(pointer, names)
        OpenSSLErrorQueue.clear()
    }

    private func loadCRLs(from path: String) throws {
        try Self.requireReadable(path, .crlFile, "CRL file")
        guard let store = SSL_CTX_get_cert_store(pointer) else {
            throw TLSError.fromQueue(.contextSetup, "context has no certificate store")
        }
        let authorities = try Self.readCertificates(configuration.clientCAPath)
        defer { authorities.forEach { X509_free($0) } }
        let crls = try Self.readCRLs(path)
        defer { crls.forEach { X509_CRL_free($0) } }
        let now = time(nil)
        for (index, crl) in crls.enumerated() {
            let which = "CRL #\(index + 1) in \(path)"
            guard let issuer = authorities.first(where: { X509_NAME_cmp(X509_get_subject_name($0), X509_CRL_get_issuer(crl)) == 0 }) else {
                throw TLSError(.crlFile, "\(which) was issued by a CA that is not in the client CA bundle")
            }
            OpenSSLErrorQueue.clear()
            guard X509_CRL_verify(crl, X509_get0_pubkey(issuer)) == 1 else {
                throw TLSError.fromQueue(.crlFile, "\(which) has a signature that does not verify against its issuer")
            }
            var now = now
            if let next = X509_CRL_get0_nextUpdate(crl) {
                let nextUpdate = Self.date(of: next)
                if X509_cmp_time(next, &now) < 0 {
                    let when = nextUpdate.map { Self.timestamp($0) } ?? "a past time"
                    throw TLSError(.crlFile, "\(which) expired at \(when) (its nextUpdate): with it every client certificate "
                        + "would be refused — publish or fetch a fresh CRL from the CA (e.g. `openssl ca -gencrl`), "
                        + "write it to \(path), then start again (a running gateway takes it on SIGHUP)")
                }
                if let nextUpdate, crlNextUpdate.map({ nextUpdate < $0 }) ?? true { crlNextUpdate = nextUpdate }
            }
            guard X509_STORE_add_crl(store, crl) == 1 else {
                throw TLSError.fromQueue(.crlFile, "\(which) cannot be added to the certificate store")
            }
        }
        X509_STORE_set_flags(store, UInt(X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL))
    }

    /// The private key in the PEM file at `path` (the caller frees it).
    static func readPrivateKey(_ path: String) throws -> OpaquePointer {
        OpenSSLErrorQueue.clear()
        guard let bio = BIO_new_file(path, "r") else {
            throw TLSError.fromQueue(.privateKeyFile, "server private key \(path) cannot be opened")
        }
        defer { BIO_free(bio) }
        guard let key = PEM_read_bio_PrivateKey(bio, nil, nil, nil) else {
            throw TLSError.fromQueue(.privateKeyFile, "server private key \(path) is not a PEM private key (an unencrypted "
                + "`-----BEGIN PRIVATE KEY-----` file is expected)")
        }
        return key
    }

    /// An ASN.1 time as a date (nil if OpenSSL cannot convert it).
    static func date(of time: UnsafePointer<ASN1_TIME>) -> Date? {
        var parts = tm()
        guard ASN1_TIME_to_tm(time, &parts) == 1 else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(timegm(&parts)))
    }

    /// `2026-01-31T12:00:00Z`.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    static func requireReadable(_ path: String, _ code: TLSError.Code, _ what: String) throws {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw TLSError(code, "\(what) \(path) does not exist or cannot be read")
        }
    }

    static func readCertificates(_ path: String) throws -> [OpaquePointer] {
        try readPEM(path, .clientCAFile, "client CA bundle", free: { X509_free($0) }) { bio in PEM_read_bio_X509(bio, nil, nil, nil) }
    }

    static func readCRLs(_ path: String) throws -> [OpaquePointer] {
        try readPEM(path, .crlFile, "CRL file", free: { X509_CRL_free($0) }) { bio in PEM_read_bio_X509_CRL(bio, nil, nil, nil) }
    }

    /// Reads every PEM object of one kind; a file with none, or with trailing garbage, is an error.
    private static func readPEM(
        _ path: String, _ code: TLSError.Code, _ what: String,
        free: (OpaquePointer) -> Void,
        _ read: (OpaquePointer) -> OpaquePointer?
    ) throws -> [OpaquePointer] {
        OpenSSLErrorQueue.clear()
        guard let bio = BIO_new_file(path, "r") else {
            throw TLSError.fromQueue(code, "\(what) \(path) cannot be opened")
        }
        defer { BIO_free(bio) }
        var objects: [OpaquePointer] = []
        while let object = read(bio) { objects.append(object) }
        let reason = ERR_peek_last_error()
        // Reaching the end of the file leaves exactly PEM_R_NO_START_LINE; anything else is damage.
        let cleanEnd = ERR_GET_LIB(reason) == ERR_LIB_PEM && ERR_GET_REASON(reason) == PEM_R_NO_START_LINE
        if objects.isEmpty || (reason != 0 && !cleanEnd) {
            let reasons = OpenSSLErrorQueue.drain()
            objects.forEach(free)
            let detail = reasons.isEmpty ? "" : ": " + reasons.joined(separator: "; ")
            throw TLSError(code, objects.isEmpty
                ? "\(what) \(path) holds no valid PEM object\(detail)"
                : "\(what) \(path) is damaged after object #\(objects.count)\(detail)")
        }
        OpenSSLErrorQueue.clear()
        return objects
    }
}

extension TLSServerContext {
    /// The linked OpenSSL library's version text, e.g. "OpenSSL 3.0.19 27 Jan 2026".
    public static var openSSLVersion: String { String(cString: OpenSSL_version(OPENSSL_VERSION)) }
}
