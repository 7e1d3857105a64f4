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
        var reasons: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            reasons.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return reasons
    }
}
