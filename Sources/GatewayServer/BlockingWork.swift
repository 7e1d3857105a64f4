import GatewayCore
import NIOPosix

/// Blocking work (a SQLite read, a write synced to disk, a verification) on NIO's blocking
/// pool, so that no request's task blocks a thread of the cooperative pool or an event loop.
enum BlockingWork {
    /// `body` on the pool; its error as thrown, or `service_unavailable` once the pool has
    /// shut down.
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws(GatewayError) -> T) async throws(GatewayError) -> T {
        let result: Result<T, GatewayError>
        do {
            result = try await NIOThreadPool.singleton.runIfActive { () -> Result<T, GatewayError> in
                do throws(GatewayError) { return .success(try body()) } catch { return .failure(error) }
            }
        } catch {
            throw GatewayError(.serviceUnavailable, "the gateway is shutting down: \(error)")
        }
        return try result.get()
    }
}
