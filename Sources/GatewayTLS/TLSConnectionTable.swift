import NIOConcurrencyHelpers
import NIOCore

/// The verified identity of each open TLS connection, by channel.
///
/// Written by ``TLSServerHandler`` on its event loop, read by request handlers
/// on any thread. An entry exists only between a successful handshake and the
/// channel's close, so a request can only ever see its own connection's peer.
public final class TLSConnectionTable: Sendable {
    private let entries = NIOLockedValueBox([ObjectIdentifier: TLSConnectionInfo]())

    public init() {}

    /// The verified connection info of `channel`, or nil if it has none.
    public func info(for channel: any Channel) -> TLSConnectionInfo? {
        let key = ObjectIdentifier(channel)
        return entries.withLockedValue { $0[key] }
    }

    /// Number of connections with a completed handshake.
    public var count: Int { entries.withLockedValue { $0.count } }

    func set(_ info: TLSConnectionInfo, for channel: any Channel) {
        let key = ObjectIdentifier(channel)
        entries.withLockedValue { $0[key] = info }
    }

    func remove(_ channel: any Channel) {
        let key = ObjectIdentifier(channel)
        entries.withLockedValue { _ = $0.removeValue(forKey: key) }
    }
}
