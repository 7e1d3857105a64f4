import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A blocking TCP socket on loopback, for tests that speak raw bytes.
public final class TestSocket: @unchecked Sendable {
    public let descriptor: Int32
    /// Whether ``descriptor`` was closed. It is closed exactly once: a second close could close
    /// a descriptor another test (or a gateway in this process) has been given the same number of.
    private var isClosed = false
    private let closing = NSLock()

    /// Connects to 127.0.0.1:`port`; reads time out after `timeout` seconds.
    public init(port: Int, timeout: Double = 30) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw TestFailure("socket() failed: \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            let failure = errno
            close()
            throw TestFailure("connect to port \(port) failed: \(failure)")
        }
        setTimeout(timeout)
    }

    public func setTimeout(_ seconds: Double) {
        var value = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - Double(Int(seconds))) * 1_000_000))
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    public func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { throw TestFailure("send failed: \(errno)") }
            offset += written
        }
    }

    /// Reads until the peer closes or the read times out.
    /// - Returns: the bytes read and whether the peer closed (false: timed out).
    public func readUntilClosed() -> (bytes: [UInt8], closed: Bool) {
        var collected: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count > 0 { collected += chunk[0..<count]; continue }
            if count == 0 { return (collected, true) }
            if errno == EINTR { continue }
            return (collected, errno == ECONNRESET)
        }
    }

    /// Closes the socket; later calls (and deinit) do nothing.
    public func close() {
        closing.lock()
        defer { closing.unlock() }
        guard !isClosed, descriptor >= 0 else { return }
        isClosed = true
        Glibc.close(descriptor)
    }

    deinit { close() }
}

/// A test precondition that did not hold.
public struct TestFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
