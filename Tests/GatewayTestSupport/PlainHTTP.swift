import Foundation

/// One plain-HTTP/1.1 request on a fresh loopback connection (the gateway's metrics and
/// health listener), read until the server closes.
public enum PlainHTTP {
    public struct Response: Sendable {
        public var status: Int
        public var headers: [String: String]
        public var body: String
    }

    public static func request(port: Int, _ method: String = "GET", _ path: String) throws -> Response {
        let socket = try TestSocket(port: port)  // 30 s, as every test client: a loaded test run can hold the cooperative pool for seconds
        defer { socket.close() }
        try socket.send(Array("\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8))
        let started = ContinuousClock.now
        let read = socket.readUntilClosed()
        let text = String(decoding: read.bytes, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else {
            let how = read.closed ? "the server closed the connection" : "the read timed out"
            throw TestFailure("no response head after \(ContinuousClock.now - started) (\(how)): \(text)")
        }
        let lines = text[..<split.lowerBound].split(separator: "\r\n")
        guard let statusLine = lines.first, let status = Int(statusLine.split(separator: " ").dropFirst().first ?? "") else {
            throw TestFailure("no status line: \(text)")
        }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return Response(status: status, headers: headers, body: String(text[split.upperBound...]))
    }
}
