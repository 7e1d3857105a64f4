import NIOCore

/// Peer addresses as logs and the audit log write them.
public enum PeerAddressText {
    /// `127.0.0.1:50000` or `[::1]:50000`.
    public static func describe(_ address: SocketAddress) -> String {
        guard let ip = address.ipAddress else { return "\(address)" }
        return ip.contains(":") ? "[\(ip)]:\(address.port ?? 0)" : "\(ip):\(address.port ?? 0)"
    }
}
