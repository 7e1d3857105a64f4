import NIOPosix
import ServiceLifecycle
import UnixSignals

/// Reloads the gateway's configuration on every SIGHUP, until shutdown.
struct ReloadSignalService: Service {
    let reloader: GatewayReloader

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        for await _ in signals.cancelOnGracefulShutdown() {
            // Reading the files and building the OpenSSL context block: not on an event loop.
            _ = try? await NIOThreadPool.singleton.runIfActive { reloader.reload() }
        }
    }
}
