import Foundation
@testable import GatewayServer
import GatewayTestSupport
import Hummingbird
import NIOConcurrencyHelpers
import NIOCore
import Testing

/// Clients that stop reading their answers: their connections are closed within the write timeout,
/// and a shutdown closes them within its grace.
@Suite("Stalled connections")
struct ConnectionStallTests {
    /// What the flood route managed to write before its connection went away.
    final class FloodProgress: Sendable {
        let written = NIOLockedValueBox(0)
        let ended = NIOLockedValueBox<Date?>(nil)

        /// Waits up to `seconds` for the route's writes to fail (its connection closed).
        func waitForEnd(seconds: Double) async throws -> Date? {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if let ended = ended.withLockedValue({ $0 }) { return ended }
                try await Task.sleep(for: .milliseconds(50))
            }
            return nil
        }
    }

    static let chunkSize = 256 * 1024
    static let chunks = 1024  // 256 MiB: far more than any socket buffer

    /// `GET /test/flood`: streams 256 MiB in 256 KiB chunks, counting what it wrote.
    static func floodRoute(_ progress: FloodProgress) -> @Sendable (Router<GatewayRequestContext>) -> Void {
        { router in
            router.get("/test/flood", access: .research) { _, _ in
                Response(status: .ok, headers: [.contentType: "application/octet-stream"], body: ResponseBody { writer in
                    do {
                        for _ in 0..<Self.chunks {
                            // A fresh buffer each time, as an export produces them (a shared one costs nothing to queue).
                            try await writer.write(ByteBuffer(repeating: 0x41, count: Self.chunkSize))
                            progress.written.withLockedValue { $0 += Self.chunkSize }
                        }
                        try await writer.finish(nil)
                    } catch {
                        progress.ended.withLockedValue { $0 = Date() }
                        throw error
                    }
                })
            }
        }
    }

    @Test("a client that never reads its streamed answer is closed within the write timeout; the stream waited for it meanwhile")
    func stalledReaderIsClosed() async throws {
        var limits = GatewayConfiguration.Limits()
        limits.writeTimeout = .seconds(2)
        let progress = FloodProgress()
        try await TestGateway.with(limits: limits, routes: Self.floodRoute(progress)) { gateway in
            let client = try await gateway.client("researcher-jp")
            let sent = Date()
            try await offThread { try client.write(Array("GET /test/flood HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8)) }
            // The client reads nothing from here on.
            let ended = try #require(try await progress.waitForEnd(seconds: 30),
                                     "the stalled connection was never closed (\(progress.written.withLockedValue { $0 }) bytes written)")
            let seconds = ended.timeIntervalSince(sent)
            #expect(seconds < 15, "closed after \(seconds) s with a 2 s write timeout")
            let written = progress.written.withLockedValue { $0 }
            #expect(written < 64 * 1024 * 1024, "backpressure: the route wrote \(written) bytes to a client that read none")
            // Its connection is gone from the table too.
            let deadline = Date().addingTimeInterval(5)
            while gateway.server.connections.count > 0 && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
            #expect(gateway.server.connections.count == 0)
            // Others are served as before.
            #expect(try await gateway.get("/api/whoami", as: "auditor").status == 200)
        }
    }

    @Test("a slow reader that keeps reading is not cut off by the write timeout")
    func slowReaderIsServed() async throws {
        var limits = GatewayConfiguration.Limits()
        // Stalled for 0.6 s against a 3 s timeout: margin for a loaded 2-core machine to read 8 MiB.
        limits.writeTimeout = .seconds(3)
        let payload = ByteBuffer(repeating: 0x42, count: 8 * 1024 * 1024)
        try await TestGateway.with(limits: limits, routes: { router in
            router.get("/test/large", access: .research) { _, _ in
                Response(status: .ok, headers: [.contentType: "application/octet-stream"], body: .init(byteBuffer: payload))
            }
        }) { gateway in
            let client = try await gateway.client("researcher-jp")
            try await offThread { try client.write(Array("GET /test/large HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8)) }
            try await Task.sleep(for: .milliseconds(600))  // stalled, but for less than the timeout
            let response = try await offThread { try client.readResponse() }
            #expect(response.status == 200 && response.body.count == payload.readableBytes)
        }
    }

    @Test("a shutdown with a stalled client finishes within the shutdown grace")
    func shutdownWithinGrace() async throws {
        var limits = GatewayConfiguration.Limits()
        limits.writeTimeout = .seconds(60)
        limits.shutdownGrace = .seconds(2)
        let progress = FloodProgress()
        let shutdownStarted = NIOLockedValueBox<Date?>(nil)
        let holder = NIOLockedValueBox<TestTLSClient?>(nil)
        try await TestGateway.with(limits: limits, routes: Self.floodRoute(progress)) { gateway in
            let client = try await gateway.client("researcher-jp")
            holder.withLockedValue { $0 = client }  // kept open, unread, past the shutdown
            try await offThread { try client.write(Array("GET /test/flood HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8)) }
            try await Task.sleep(for: .milliseconds(1500))
            #expect(progress.ended.withLockedValue { $0 } == nil, "still stalled when the shutdown starts")
            shutdownStarted.withLockedValue { $0 = Date() }
        }
        let started = try #require(shutdownStarted.withLockedValue { $0 })
        let seconds = Date().timeIntervalSince(started)
        #expect(seconds < 12, "the shutdown took \(seconds) s with a 2 s grace (the stalled client's own 60 s write timeout is far off)")
        _ = holder.withLockedValue { $0 }
    }
}
