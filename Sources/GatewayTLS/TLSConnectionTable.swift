import NIOConcurrencyHelpers
import NIOCore

/// The verified identity of each open TLS connection, by channel.
///
/// Written by ``TLSServerHandler`` on its event loop, read by request handlers
/// on any thread. An entry exists only between a successful handshake and the
/// channel's close, so a request can only ever see its own connection's peer;
/// a connection whose requests are still being handled (``retain(_:)``) keeps its entry
/// past the close until ``release(_:)``, so a request read just before the client closed
/// is still attributed to its certificate. An entry holds its channel, so a channel's
/// identifier is never reused while its entry exists.
public final class TLSConnectionTable: Sendable {
    private struct Entry {
        var channel: any Channel
        var info: TLSConnectionInfo?
        /// Holders of the entry besides the open connection itself.
        var holders = 0
        var closed = false
    }

    private let entries = NIOLockedValueBox([ObjectIdentifier: Entry]())

    public init() {}

    /// The verified connection info of `channel`, or nil if it has none.
    public func info(for channel: any Channel) -> TLSConnectionInfo? {
        let key = ObjectIdentifier(channel)
        return entries.withLockedValue { $0[key]?.info }
    }

    /// Number of connections with a completed handshake (including closed ones whose requests are still handled).
    public var count: Int { entries.withLockedValue { $0.values.count { $0.info != nil } } }

    /// Keeps `channel`'s entry (once it has one) past its close until a matching ``release(_:)``.
    /// Call before the channel can close: from its initializer.
    public func retain(_ channel: any Channel) {
        let key = ObjectIdentifier(channel)
        entries.withLockedValue { $0[key, default: Entry(channel: channel)].holders += 1 }
    }

    /// Ends a ``retain(_:)``; the entry goes once the channel is closed and nothing holds it.
    public func release(_ channel: any Channel) {
        let key = ObjectIdentifier(channel)
        entries.withLockedValue { entries in
            guard var entry = entries[key] else { return }
            entry.holders -= 1
            if entry.holders <= 0 && entry.closed { entries[key] = nil } else { entries[key] = entry }
        }
    }

    func set(_ info: TLSConnectionInfo, for channel: any Channel) {
        let key = ObjectIdentifier(channel)
        entries.withLockedValue { $0[key, default: Entry(channel: channel)].info = info }
    }

    /// The channel closed: its entry goes now, or when the last holder releases it.
    func remove(_ channel: any Channel) {
        let key = ObjectIdentifier(channel)
        entries.withLockedValue { entries in
            guard var entry = entries[key] else { return }
            entry.closed = true
            if entry.holders <= 0 { entries[key] = nil } else { entries[key] = entry }
        }
    }
}
