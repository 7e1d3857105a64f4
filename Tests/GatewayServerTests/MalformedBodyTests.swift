import AuditLog
import Foundation
import GatewayTestSupport
import Testing

/// A body NIO's decoder cannot parse is a client error (400), not a gateway failure (500).
@Suite("Malformed request bodies")
struct MalformedBodyTests {
    @Test("a chunk size that is not hexadecimal gets 400 bad_request naming it, audited, and the connection closes", arguments: [
        "zz\r\n", "-1\r\n", "ffffffffffffffffffff\r\n",
    ])
    func badChunkSize(chunk: String) async throws {
        try await TestGateway.with(routes: SlowRequestTests.echoRoute) { gateway in
            let head = gateway.server.audit.headSequence
            let client = try await gateway.client("researcher-jp")
            let response = try await offThread {
                try client.write(Array("POST /test/echo HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n\(chunk)".utf8))
                return try client.readResponse()
            }
            #expect(response.status == 400)
            let error = try #require((try response.json())["error"] as? [String: Any])
            #expect(error["code"] as? String == "bad_request")
            #expect((error["message"] as? String)?.contains("chunk size") == true, "\(error)")
            #expect(response.headers["connection"] == "close")
            #expect(try await offThread { client.serverClosed() })
            let record = try await AuditProbe.waitForRecord(gateway.server.audit, after: head) { $0.status == 400 }
            #expect(record.reasons.contains("bad_request"))
            #expect(record.requestID == response.headers["x-request-id"])
        }
    }
}
