import Foundation
import GatewayTestSupport
import Hummingbird
import Testing

/// HTTP/1.0 clients (ApacheBench among them) get HTTP/1.0 connection semantics.
@Suite("HTTP/1.0 connections")
struct HTTP10Tests {
    /// The `Connection` header values of every response in curl's `-D -` output.
    static func connectionHeaders(_ output: String) -> [String] {
        output.split(whereSeparator: \.isNewline).compactMap { line in
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "connection" else { return nil }
            return parts[1].trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        }
    }

    @Test("HTTP/1.0 with Connection: keep-alive keeps the connection and says so")
    func keepAlive() async throws {
        try await TestGateway.with { gateway in
            let url = gateway.url + "/api/info"
            let result = try await gateway.curl(["-v", "--http1.0", "-H", "Connection: keep-alive", "-D", "-", "-o", "/dev/null", url, url], as: "researcher-jp")
            #expect(result.status == 0, "\(result.stderr)")
            #expect(Self.connectionHeaders(result.stdout) == ["keep-alive", "keep-alive"], "\(result.stdout)")
            #expect(result.stderr.contains("Re-using existing connection"), "the second request should reuse the connection")
        }
    }

    @Test("HTTP/1.0 without keep-alive gets Connection: close, and the connection is closed after the answer")
    func closes() async throws {
        try await TestGateway.with { gateway in
            let url = gateway.url + "/api/info"
            let result = try await gateway.curl(["-v", "--http1.0", "-D", "-", "-o", "/dev/null", url, url], as: "researcher-jp")
            #expect(result.status == 0, "\(result.stderr)")
            #expect(Self.connectionHeaders(result.stdout) == ["close", "close"], "\(result.stdout)")
            #expect(!result.stderr.contains("Re-using existing connection"))
            #expect(gateway.handshakes.allCompleted.count >= 2, "each request needs its own connection")
        }
    }

    @Test("the close after an HTTP/1.0 answer sends close_notify first (openssl s_client sees no truncation)")
    func closeNotifyAfterAnswer() async throws {
        try await TestGateway.with { gateway in
            let request = Array("GET /api/info HTTP/1.0\r\nHost: localhost\r\n\r\n".utf8)
            let result = try await Subprocess.run([
                "timeout", "10", "openssl", "s_client", "-quiet", "-connect", "127.0.0.1:\(gateway.port)",
                "-cert", gateway.pki + "/researcher-jp.pem", "-key", gateway.pki + "/researcher-jp.key", "-CAfile", gateway.pki + "/ca.pem",
            ], input: request)
            #expect(result.stdout.hasPrefix("HTTP/1.1 200 OK"), "\(result.stdout.prefix(200))")
            #expect(result.stdout.contains("\"beaconId\""))
            #expect(!result.stderr.contains("unexpected eof"), "\(result.stderr)")
            #expect(result.status == 0, "s_client ends by itself when the server closes: \(result.stderr)")
        }
    }

    @Test("an HTTP/1.0 answer without Content-Length is never chunked: it ends with the connection")
    func unframedBody() async throws {
        let chunk = String(repeating: "genomegate ", count: 100)
        try await TestGateway.with(routes: { router in
            router.get("/test/stream", access: .research) { _, _ in
                Response(status: .ok, body: ResponseBody { writer in
                    for _ in 0..<5 { try await writer.write(ByteBuffer(string: chunk)) }
                    try await writer.finish(nil)
                })
            }
        }) { gateway in
            let streamed = try await gateway.curl(["-D", "-", "--http1.1", gateway.url + "/test/stream"], as: "researcher-jp")
            #expect(streamed.stdout.lowercased().contains("transfer-encoding: chunked"), "HTTP/1.1 streams chunked")
            let old = try await gateway.curl(["-D", "-", "--http1.0", gateway.url + "/test/stream"], as: "researcher-jp")
            #expect(old.status == 0, "\(old.stderr)")
            #expect(old.stdout.hasPrefix("HTTP/1.0 200"), "\(old.stdout.prefix(200))")
            #expect(!old.stdout.lowercased().contains("transfer-encoding"))
            #expect(old.stdout.hasSuffix(String(repeating: chunk, count: 5)), "the whole body, unframed")
        }
    }

    @Test("HTTP/1.1 keeps its defaults: no Connection header, the connection is reused")
    func http11Unchanged() async throws {
        try await TestGateway.with { gateway in
            let url = gateway.url + "/api/info"
            let result = try await gateway.curl(["-v", "-D", "-", "-o", "/dev/null", url, url], as: "researcher-jp")
            #expect(result.status == 0, "\(result.stderr)")
            #expect(Self.connectionHeaders(result.stdout).isEmpty, "\(result.stdout)")
            #expect(result.stderr.contains("Re-using existing connection"))
        }
    }
}
