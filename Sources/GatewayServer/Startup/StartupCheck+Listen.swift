#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import GatewayOperations
import NIOCore

extension StartupCheck {
    /// The listen address can be bound: a probe socket (SO_REUSEADDR, as the real listener) is
    /// bound and closed at once.
    ///
    /// The race accepted: another process may take the port between this probe and the real bind,
    /// which comes after the stores are opened. That bind then fails with the same one-line message
    /// (`genomegate serve` maps it with ``StartupFailure/listen(host:port:errno:)``), having opened
    /// the stores but served nothing. Binding the real listener here instead would need
    /// Hummingbird to accept an already-bound socket, which its server builder does not offer.
    public static let listenAddressBindable = StartupCheck("listen address") { configuration in
        probe(host: configuration.host, port: configuration.port, setting: .gateway)
    }

    /// The metrics and health listener's address (`metrics.listen`) can be bound, probed the same
    /// way, so a busy metrics port stops start-up before any store is opened. Port 0 and a
    /// disabled listener pass.
    public static let metricsAddressBindable = StartupCheck("metrics listen address") { configuration in
        let metrics = configuration.metrics
        guard metrics.enabled, metrics.port != 0 else { return nil }
        return probe(host: metrics.host, port: metrics.port, setting: .metrics)
    }

    /// Binds a probe socket to `host:port` (SO_REUSEADDR, as the real listeners) and closes it.
    static func probe(host: String, port: Int, setting: ListenAddress.Setting) -> StartupFailure? {
        let address: SocketAddress
        do {
            address = try SocketAddress.makeAddressResolvingHost(host, port: port)
        } catch {
            return StartupFailure(.listenAddressUnavailable, "\(setting.name) \(ListenAddress.text(host, port)): the host '\(host)' cannot be resolved",
                                  fix: "use an IP address of this machine, 0.0.0.0 (all interfaces) or localhost")
        }
        let family = address.protocol.rawValue
        let descriptor = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else {
            return StartupFailure.listen(host: host, port: port, errno: errno, setting: setting)
        }
        defer { close(descriptor) }
        var one: Int32 = 1
        _ = setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let result = address.withSockAddr { pointer, size in bind(descriptor, pointer, socklen_t(size)) }
        guard result == 0 else { return StartupFailure.listen(host: host, port: port, errno: errno, setting: setting) }
        return nil
    }
}

extension StartupFailure {
    /// Why binding `host:port` failed with `errno`, and what to do about it.
    public static func listen(host: String, port: Int, errno code: Int32, setting: ListenAddress.Setting = .gateway) -> StartupFailure {
        let listen = "\(setting.name) \(ListenAddress.text(host, port))"
        switch code {
        case EADDRINUSE:
            return StartupFailure(.listenAddressInUse, "\(listen): port \(port) is already in use by another process",
                                  fix: "stop that process (find it with `ss -ltnp 'sport = :\(port)'`) or choose another port with \(setting.name) (\(setting.flag))")
        case EACCES, EPERM:
            return StartupFailure(.listenPortPrivileged,
                                  port < 1024 && port > 0
                                      ? "\(listen): port \(port) is below 1024 and this process may not bind it"
                                      : "\(listen): this process may not bind the address",
                                  fix: "listen on a port of 1024 or above (e.g. 8443), or grant CAP_NET_BIND_SERVICE "
                                      + "(systemd: AmbientCapabilities=CAP_NET_BIND_SERVICE, see deploy/genomegate.service)")
        case EADDRNOTAVAIL:
            return StartupFailure(.listenAddressUnavailable, "\(listen): \(host) is not an address of this machine",
                                  fix: "use an IP address of one of its interfaces, or 0.0.0.0 for all of them")
        default:
            return StartupFailure(.listenAddressUnavailable, "\(listen) cannot be bound: \(String(cString: strerror(code)))",
                                  fix: "check the \(setting.name) setting (\(setting.flag) HOST:PORT)")
        }
    }
}

extension ListenAddress {
    /// Which listener a bind failure is about, as the configuration and the command line name it.
    public enum Setting: Sendable {
        /// The gateway's mutual-TLS listener: `listen` (`--listen`).
        case gateway
        /// The metrics and health listener: `metrics.listen` (`--metrics-listen`).
        case metrics

        var name: String { self == .gateway ? "listen" : "metrics.listen" }
        var flag: String { self == .gateway ? "--listen" : "--metrics-listen" }
    }

    /// `127.0.0.1:8443` or `[::1]:8443`.
    static func text(_ host: String, _ port: Int) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
