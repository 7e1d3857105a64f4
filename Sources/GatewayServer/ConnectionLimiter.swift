import Foundation
import GatewayCore
import Logging
import NIOConcurrencyHelpers
import NIOCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The gateway's connection caps: in total and on handshakes not yet completed, in total and per
/// remote address (checked as a connection is accepted, before any TLS work), and per client
/// certificate (checked right after the handshake). Also knows every open connection, so that a
/// shutdown can close those still open when its grace is over.
///
/// The total cap stays below the process's descriptor limit (`RLIMIT_NOFILE`) with
/// ``descriptorHeadroom`` to spare for databases, logs and the listener, so accepting never runs
/// out of descriptors and the gateway keeps serving the connections it has.
final class ConnectionLimiter: Sendable {
    /// Descriptors kept free of connections: databases and their journals, logs, the listener.
    static let descriptorHeadroom = 128

    private let counts: NIOLockedValueBox<ConnectionCounts>
    private let refusals = NIOLockedValueBox(0)
    /// Every admitted connection until it closes.
    private let openChannels = NIOLockedValueBox([ObjectIdentifier: any Channel]())
    /// Set once a shutdown has scheduled the forced close of the connections left.
    private let shutdownScheduled = NIOLockedValueBox(false)
    let shutdownGrace: Duration
    let logger: Logger

    var maxTotal: Int { counts.withLockedValue { $0.maxTotal } }
    var maxPerCertificate: Int { counts.withLockedValue { $0.maxPerCertificate } }
    /// Connections open now.
    var open: Int { counts.withLockedValue { $0.total } }
    var maxPending: Int { counts.withLockedValue { $0.maxPending } }
    var maxPendingPerAddress: Int { counts.withLockedValue { $0.maxPendingPerAddress } }
    /// Connections open now whose handshake has not ended.
    var pending: Int { counts.withLockedValue { $0.pending } }

    /// - Throws: `invalid_configuration` when a configured `limits.max_connections` does not fit
    ///   the descriptor limit (raised to its hard limit first if need be); an unconfigured cap is
    ///   lowered to fit, with a warning.
    init(limits: GatewayConfiguration.Limits, logger: Logger) throws(GatewayError) {
        self.logger = logger
        self.shutdownGrace = limits.shutdownGrace
        let wanted = limits.maxConnections ?? GatewayConfiguration.Limits.defaultMaxConnections
        let available = Self.descriptorLimit(raisingTo: wanted + Self.descriptorHeadroom) - Self.descriptorHeadroom
        var total = wanted
        if wanted > available {
            if limits.maxConnections != nil {
                throw GatewayError(.invalidConfiguration, "limits.max_connections \(wanted) does not fit the descriptor limit: RLIMIT_NOFILE allows \(available + Self.descriptorHeadroom), of which \(Self.descriptorHeadroom) are kept for files; lower limits.max_connections to at most \(max(0, available)) or raise the limit (ulimit -n)")
            }
            guard available >= 1 else {
                throw GatewayError(.invalidConfiguration, "the descriptor limit (RLIMIT_NOFILE \(available + Self.descriptorHeadroom)) leaves no room for connections; raise it (ulimit -n)")
            }
            total = available
            logger.warning("connection cap lowered to fit the descriptor limit", metadata: [
                "limits.max_connections": "\(total)", "rlimit_nofile": "\(available + Self.descriptorHeadroom)",
            ])
        }
        counts = NIOLockedValueBox(ConnectionCounts(
            maxTotal: total, maxPerCertificate: min(limits.maxConnectionsPerCertificate, total),
            maxPending: limits.maxPendingHandshakes, maxPendingPerAddress: limits.maxPendingHandshakesPerAddress
        ))
    }

    /// The soft `RLIMIT_NOFILE`, first raised towards `wanted` (never above the hard limit).
    static func descriptorLimit(raisingTo wanted: Int) -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return wanted }
        if limit.rlim_cur != rlim_t.max, limit.rlim_cur < rlim_t(wanted) {
            var raised = limit
            raised.rlim_cur = limit.rlim_max == rlim_t.max ? rlim_t(wanted) : min(limit.rlim_max, rlim_t(wanted))
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        return limit.rlim_cur == rlim_t.max || limit.rlim_cur > rlim_t(Int.max / 2) ? Int.max / 2 : Int(limit.rlim_cur)
    }

    /// Counts `channel` until it closes, and as a pending handshake until ``handshakeEnded(_:)``;
    /// the cap that refused it otherwise (the caller closes it).
    func admit(_ channel: any Channel) -> ConnectionCounts.Refusal? {
        let key = ObjectIdentifier(channel)
        let address = channel.remoteAddress?.ipAddress ?? "unknown"
        if let refusal = counts.withLockedValue({ $0.open(key, address: address) }) {
            noteRefusal(refusal.rawValue, channel)
            return refusal
        }
        openChannels.withLockedValue { $0[key] = channel }
        // The closure holds the channel, so its identifier is not reused before this runs.
        channel.closeFuture.whenComplete { _ in
            self.counts.withLockedValue {
                $0.endHandshake(key)
                $0.close()
            }
            self.openChannels.withLockedValue { _ = $0.removeValue(forKey: ObjectIdentifier(channel)) }
        }
        return nil
    }

    /// `channel`'s handshake completed: it no longer counts as pending.
    func handshakeEnded(_ channel: any Channel) {
        counts.withLockedValue { $0.endHandshake(ObjectIdentifier(channel)) }
    }

    /// Closes every connection still open ``shutdownGrace`` from now (once, however often called):
    /// requests in flight at a shutdown get that long to finish.
    func closeAllAfterGrace() {
        let first = shutdownScheduled.withLockedValue { scheduled -> Bool in
            defer { scheduled = true }
            return !scheduled
        }
        guard first else { return }
        let grace = shutdownGrace
        Task {
            try? await Task.sleep(for: grace)
            let left = self.openChannels.withLockedValue { Array($0.values) }
            if !left.isEmpty {
                self.logger.notice("shutdown grace over: closing connections still open", metadata: ["connections": "\(left.count)"])
            }
            for channel in left { channel.close(promise: nil) }
        }
    }

    /// Counts `channel` under `fingerprint` until it closes; false when that certificate holds its cap.
    func admit(_ channel: any Channel, certificate fingerprint: String) -> Bool {
        guard counts.withLockedValue({ $0.certify(fingerprint) }) else {
            noteRefusal("per certificate", channel)
            return false
        }
        channel.closeFuture.whenComplete { _ in self.counts.withLockedValue { $0.release(fingerprint) } }
        return true
    }

    /// Logs the first refusal and every 1000th after it (a flood must not flood the log).
    private func noteRefusal(_ cap: String, _ channel: any Channel) {
        let count = refusals.withLockedValue { value -> Int in
            value += 1
            return value
        }
        guard count == 1 || count % 1000 == 0 else { return }
        logger.warning("connection refused: cap reached", metadata: [
            "cap": "\(cap)", "refused": "\(count)", "remote": "\(channel.remoteAddress.map { "\($0)" } ?? "-")",
        ])
    }
}
