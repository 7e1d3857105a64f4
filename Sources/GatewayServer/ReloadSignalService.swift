import ServiceLifecycle
import UnixSignals

/// Reloads the gateway's configuration on every SIGHUP, until shutdown.
struct ReloadSignalService: Service {
    let reloader: GatewayReloader

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        for await _ in signals.cancelOnGracefulShutdown() {
            reloader.reload()
        }
    }
}
