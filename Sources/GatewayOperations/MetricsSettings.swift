#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Where the operations listener (`/metrics`, `/healthz`, `/readyz`) listens: the
/// configuration file's `metrics:` section (README "Metrics and health").
public struct MetricsSettings: Sendable, Hashable {
    /// `metrics.enabled`: false serves no metrics or health listener.
    public var enabled = true
    /// `metrics.listen`, default `127.0.0.1:9464`.
    public var host = "127.0.0.1"
    public var port = 9464
    /// `metrics.allow_remote`: needed for a non-loopback `metrics.listen`. The listener is
    /// plain HTTP without client certificates; metrics name no person, but say how busy the
    /// gateway is and which refusals it gives.
    public var allowRemote = false

    public init() {}

    /// Whether `host` (a literal address or `localhost`) is on the loopback interface only:
    /// 127.0.0.0/8, ::1, or an IPv4-mapped 127.x address. `0.0.0.0`, `::` and names are not.
    public static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" { return true }
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            return UInt32(bigEndian: v4.s_addr) >> 24 == 127
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, host, &v6) == 1 else { return false }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        if bytes[0..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return true }
        let mapped = bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF
        return mapped && bytes[12] == 127
    }
}
