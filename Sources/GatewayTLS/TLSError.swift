import COpenSSL
import COpenSSLShim

/// An error of the TLS layer: loading certificates, keys, CA bundles and CRLs,
/// or a failed handshake or record.
///
/// `code` is stable; `message` names the file or the check that failed and
/// carries OpenSSL's own reason where it has one.
public struct TLSError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        case certificateFile = "tls_certificate_file"
        case privateKeyFile = "tls_private_key_file"
        case clientCAFile = "tls_client_ca_file"
        case crlFile = "tls_crl_file"
        case contextSetup = "tls_context_setup"
        case handshakeFailed = "tls_handshake_failed"
        case handshakeTimeout = "tls_handshake_timeout"
        case recordFailed = "tls_record_failed"
        case uncleanShutdown = "tls_unclean_shutdown"
        case peerRejected = "tls_peer_rejected"
        /// The client showed no certificate.
        case noCertificate = "tls_no_certificate"
        /// The client's certificate (or one of its chain) is past its notAfter.
        case certificateExpired = "tls_certificate_expired"
        /// The client's certificate (or one of its chain) is before its notBefore.
        case certificateNotYetValid = "tls_certificate_not_yet_valid"
        /// The client's certificate (or one of its chain) is on a configured CRL.
        case certificateRevoked = "tls_certificate_revoked"
        /// The client's certificate does not chain to the client CA bundle (unknown issuer, self-signed).
        case certificateUnknownCA = "tls_certificate_unknown_ca"
        /// The client's certificate failed verification for another reason (purpose, depth, signature, CRL trouble).
        case certificateRejected = "tls_certificate_rejected"

        /// Whether the refusal was about the client's certificate (or its absence), so worth an audit record.
        public var isAboutCertificate: Bool {
            switch self {
            case .peerRejected, .noCertificate, .certificateExpired, .certificateNotYetValid, .certificateRevoked,
                 .certificateUnknownCA, .certificateRejected: true
            default: false
            }
        }
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }

    /// An error whose message ends with what OpenSSL's error queue held (the queue is drained).
    static func fromQueue(_ code: Code, _ message: String) -> TLSError {
        let reasons = OpenSSLErrorQueue.drain()
        if reasons.isEmpty { return TLSError(code, message) }
        return TLSError(code, message + ": " + reasons.joined(separator: "; "))
    }
}

/// OpenSSL's thread-local error queue: cleared before every call whose result
/// we inspect, drained after every failure so nothing stale is reported later.
enum OpenSSLErrorQueue {
    static func clear() { ERR_clear_error() }

    static func drain() -> [String] {
        var codes: [Int32] = []
        return drain(reasonCodes: &codes)
    }

    /// The queued errors' texts; `reasonCodes` receives each one's `ERR_GET_REASON`.
    static func drain(reasonCodes: inout [Int32]) -> [String] {
        var reasons: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            reasonCodes.append(ERR_GET_REASON(code))
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            reasons.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return reasons
    }
}
