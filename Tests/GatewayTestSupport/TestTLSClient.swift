import COpenSSL
import COpenSSLShim
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A blocking HTTP/1.1 client over OpenSSL, for tests: one TLS connection,
/// any number of keep-alive requests on it.
public final class TestTLSClient: @unchecked Sendable {
    public struct Response: Sendable {
        public var status: Int
        public var headers: [String: String]
        public var body: [UInt8]
        public var text: String { String(decoding: body, as: UTF8.self) }
        public func json() throws -> [String: Any] {
            guard let object = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
                throw TestFailure("body is not a JSON object: \(text)")
            }
            return object
        }
    }

    private let socket: TestSocket
    private let context: OpaquePointer
    private let ssl: OpaquePointer
    private var buffer: [UInt8] = []

    /// Connects and completes the handshake; throws with OpenSSL's reason if refused.
    public init(port: Int, pki: String, identity: String?, tlsVersion: Int32? = nil) throws {
        socket = try TestSocket(port: port)
        guard let context = SSL_CTX_new(TLS_client_method()) else { throw TestFailure("SSL_CTX_new") }
        self.context = context
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
        guard SSL_CTX_load_verify_locations(context, pki + "/ca.pem", nil) == 1 else { throw TestFailure("cannot load ca.pem") }
        if let identity {
            guard SSL_CTX_use_certificate_chain_file(context, "\(pki)/\(identity).pem") == 1,
                  SSL_CTX_use_PrivateKey_file(context, "\(pki)/\(identity).key", SSL_FILETYPE_PEM) == 1
            else { throw TestFailure("cannot load client identity \(identity)") }
        }
        guard let ssl = SSL_new(context) else { throw TestFailure("SSL_new") }
        self.ssl = ssl
        if let tlsVersion {
            _ = gg_SSL_set_min_proto_version(ssl, tlsVersion)
            _ = gg_SSL_set_max_proto_version(ssl, tlsVersion)
        }
        _ = gg_SSL_set_tlsext_host_name(ssl, "localhost")
        _ = SSL_set1_host(ssl, "localhost")
        SSL_set_fd(ssl, socket.descriptor)
        ERR_clear_error()
        if SSL_connect(ssl) != 1 {
            throw TestFailure("handshake failed: \(Self.errors())")
        }
    }

    deinit {
        SSL_free(ssl)
        SSL_CTX_free(context)
    }

    public var protocolVersion: String { String(cString: SSL_get_version(ssl)) }

    /// Sends one request and reads its response (Content-Length or chunked).
    public func request(_ method: String = "GET", _ path: String, headers: [(String, String)] = [], body: [UInt8] = []) throws -> Response {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: localhost\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if !body.isEmpty || method == "POST" { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        try write(Array(head.utf8) + body)
        return try readResponse()
    }

    public func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            var written = 0
            ERR_clear_error()
            let ok = bytes[offset...].withUnsafeBytes { SSL_write_ex(ssl, $0.baseAddress, $0.count, &written) }
            guard ok == 1 else { throw TestFailure("write failed: \(Self.errors())") }
            offset += written
        }
    }

    /// How the server ended the connection.
    public enum Ending: Sendable, Equatable {
        /// A TLS close_notify alert, then end of stream.
        case closeNotify
        /// End of stream with no close_notify (truncation).
        case unclean
        /// More data came instead.
        case stillOpen
    }

    /// Reads until the server ends the connection and says how it did.
    public func ending() -> Ending {
        var chunk = [UInt8](repeating: 0, count: 4096)
        var count = 0
        ERR_clear_error()
        let ok = chunk.withUnsafeMutableBytes { SSL_read_ex(ssl, $0.baseAddress, $0.count, &count) }
        if ok == 1 { return .stillOpen }
        let error = SSL_get_error(ssl, 0)
        ERR_clear_error()
        return error == SSL_ERROR_ZERO_RETURN ? .closeNotify : .unclean
    }

    /// Sends a TLS close_notify (closing this side for writing) and keeps reading possible.
    public func sendCloseNotify() {
        ERR_clear_error()
        _ = SSL_shutdown(ssl)
        ERR_clear_error()
    }

    /// Ends the connection at once (FIN, no close_notify); the descriptor is released with the client.
    public func shutdown() { _ = Glibc.shutdown(socket.descriptor, Int32(SHUT_RDWR)) }

    /// True once the server has closed the connection (close_notify or EOF).
    public func serverClosed() -> Bool {
        (try? fill()) == false
    }

    /// Reads more bytes into the buffer; false at a clean or unclean end of stream.
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        var count = 0
        ERR_clear_error()
        let ok = chunk.withUnsafeMutableBytes { SSL_read_ex(ssl, $0.baseAddress, $0.count, &count) }
        if ok == 1 {
            buffer += chunk[0..<count]
            return true
        }
        let error = SSL_get_error(ssl, 0)
        if error == SSL_ERROR_ZERO_RETURN || error == SSL_ERROR_SYSCALL { return false }
        throw TestFailure("read failed (\(error)): \(Self.errors())")
    }

    /// Reads one response (for requests written with ``write(_:)``).
    public func readResponse() throws -> Response {
        var headerEnd: Int?
        while headerEnd == nil {
            headerEnd = Self.find([13, 10, 13, 10], in: buffer)
            if headerEnd == nil, try !fill() { throw TestFailure("connection closed before a response") }
        }
        let headText = String(decoding: buffer[0..<headerEnd!], as: UTF8.self)
        buffer.removeFirst(headerEnd! + 4)
        var lines = headText.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { throw TestFailure("bad status line in \(headText)") }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body: [UInt8] = []
        if let length = headers["content-length"].flatMap(Int.init) {
            while buffer.count < length {
                if try !fill() { throw TestFailure("connection closed after \(buffer.count) of \(length) body bytes") }
            }
            body = Array(buffer[0..<length])
            buffer.removeFirst(length)
        } else if headers["transfer-encoding"]?.lowercased() == "chunked" {
            while true {
                var lineEnd = Self.find([13, 10], in: buffer)
                while lineEnd == nil {
                    if try !fill() { throw TestFailure("closed inside a chunked body") }
                    lineEnd = Self.find([13, 10], in: buffer)
                }
                let sizeText = String(decoding: buffer[0..<lineEnd!], as: UTF8.self).split(separator: ";")[0]
                guard let size = Int(sizeText, radix: 16) else { throw TestFailure("bad chunk size \(sizeText)") }
                buffer.removeFirst(lineEnd! + 2)
                while buffer.count < size + 2 {
                    if try !fill() { throw TestFailure("closed inside a chunk") }
                }
                body += buffer[0..<size]
                buffer.removeFirst(size + 2)
                if size == 0 { break }
            }
        }
        return Response(status: status, headers: headers, body: body)
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if Array(haystack[start..<start + needle.count]) == needle { return start }
        }
        return nil
    }

    static func errors() -> String {
        var reasons: [String] = []
        while case let code = ERR_get_error(), code != 0 {
            var text = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &text, text.count)
            reasons.append(String(cString: text))
        }
        return reasons.joined(separator: "; ")
    }

    public static var tls12: Int32 { gg_version_tls1_2() }
    public static var tls13: Int32 { gg_version_tls1_3() }
}
