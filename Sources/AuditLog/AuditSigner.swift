import COpenSSL
import Foundation
import GatewayCore

/// Signs checkpoints with the audit key (Ed25519 or ECDSA P-256, PEM) through libcrypto, and
/// verifies them with the public key.
///
/// The private key is read once at start; if it cannot be read the gateway does not start
/// (no answers without signed evidence).
public final class AuditSigner: @unchecked Sendable {
    // EVP_PKEY is reference-counted and only read after loading; OpenSSL allows concurrent use.
    private let key: OpaquePointer
    /// Hex SHA-256 of the public key (DER SubjectPublicKeyInfo), first 16 bytes: names the key in checkpoints.
    public let keyID: String
    /// The public key, PEM, for auditors.
    public let publicKeyPEM: String

    /// Loads a private key (PEM) from `path`.
    public init(privateKeyPath path: String) throws(GatewayError) {
        guard let bio = BIO_new_file(path, "r") else {
            throw GatewayError(.invalidConfiguration, "audit signing key \(path) cannot be read")
        }
        defer { BIO_free(bio) }
        guard let key = PEM_read_bio_PrivateKey(bio, nil, nil, nil) else {
            throw GatewayError(.invalidConfiguration, "audit signing key \(path) is not a PEM private key: \(Self.openSSLError())")
        }
        let type = EVP_PKEY_get_base_id(key)
        guard type == EVP_PKEY_ED25519 || type == EVP_PKEY_EC else {
            EVP_PKEY_free(key)
            throw GatewayError(.invalidConfiguration, "audit signing key \(path) must be Ed25519 or ECDSA P-256")
        }
        self.key = key
        let (der, pem) = try Self.publicKey(of: key)
        self.keyID = HexEncoding.string(AuditChain.sha256(der).prefix(16))
        self.publicKeyPEM = pem
    }

    deinit { EVP_PKEY_free(key) }

    /// The signature of `message`.
    public func sign(_ message: String) throws(GatewayError) -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else { throw GatewayError(.internalError, "cannot allocate a signing context") }
        defer { EVP_MD_CTX_free(context) }
        let digest = EVP_PKEY_get_base_id(key) == EVP_PKEY_ED25519 ? nil : EVP_sha256()
        guard EVP_DigestSignInit(context, nil, digest, nil, key) == 1 else {
            throw GatewayError(.internalError, "cannot start signing: \(Self.openSSLError())")
        }
        let bytes = Array(message.utf8)
        var length = 0
        guard EVP_DigestSign(context, nil, &length, bytes, bytes.count) == 1 else {
            throw GatewayError(.internalError, "cannot size the signature: \(Self.openSSLError())")
        }
        var signature = [UInt8](repeating: 0, count: length)
        guard EVP_DigestSign(context, &signature, &length, bytes, bytes.count) == 1 else {
            throw GatewayError(.internalError, "cannot sign: \(Self.openSSLError())")
        }
        return Array(signature.prefix(length))
    }

    private static func publicKey(of key: OpaquePointer) throws(GatewayError) -> ([UInt8], String) {
        var pointer: UnsafeMutablePointer<UInt8>?
        let length = i2d_PUBKEY(key, &pointer)
        guard length > 0, let pointer else { throw GatewayError(.invalidConfiguration, "cannot encode the audit public key") }
        let der = Array(UnsafeBufferPointer(start: pointer, count: Int(length)))
        CRYPTO_free(pointer, #fileID, #line)
        guard let bio = BIO_new(BIO_s_mem()) else { throw GatewayError(.internalError, "cannot allocate a BIO") }
        defer { BIO_free(bio) }
        guard PEM_write_bio_PUBKEY(bio, key) == 1 else { throw GatewayError(.invalidConfiguration, "cannot write the audit public key") }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let read = BIO_read(bio, &buffer, Int32(buffer.count))
        return (der, String(decoding: buffer.prefix(max(0, Int(read))), as: UTF8.self))
    }

    static func openSSLError() -> String {
        let code = ERR_get_error()
        guard code != 0 else { return "unknown error" }
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Checks checkpoint signatures with a public key (PEM), for `genomegate audit verify`.
public final class AuditSignatureVerifier: @unchecked Sendable {
    private let key: OpaquePointer
    public let keyID: String

    public init(publicKeyPEM pem: String) throws(GatewayError) {
        let bytes = Array(pem.utf8)
        guard let bio = BIO_new_mem_buf(bytes, Int32(bytes.count)) else { throw GatewayError(.internalError, "cannot allocate a BIO") }
        defer { BIO_free(bio) }
        guard let key = PEM_read_bio_PUBKEY(bio, nil, nil, nil) else {
            throw GatewayError(.invalidConfiguration, "the public key is not a PEM public key: \(AuditSigner.openSSLError())")
        }
        self.key = key
        var pointer: UnsafeMutablePointer<UInt8>?
        let length = i2d_PUBKEY(key, &pointer)
        if length > 0, let pointer {
            keyID = HexEncoding.string(AuditChain.sha256(Array(UnsafeBufferPointer(start: pointer, count: Int(length)))).prefix(16))
            CRYPTO_free(pointer, #fileID, #line)
        } else {
            keyID = ""
        }
    }

    deinit { EVP_PKEY_free(key) }

    /// Whether `signature` is the key's signature of `message`.
    public func verify(_ message: String, signature: [UInt8]) -> Bool {
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        let digest = EVP_PKEY_get_base_id(key) == EVP_PKEY_ED25519 ? nil : EVP_sha256()
        guard EVP_DigestVerifyInit(context, nil, digest, nil, key) == 1 else { return false }
        let bytes = Array(message.utf8)
        return EVP_DigestVerify(context, signature, signature.count, bytes, bytes.count) == 1
    }
}
