import ArgumentParser
import NIOCore
import NIOPosix

/// The entry point. Swift concurrency's global executor becomes NIO's event loops, so a
/// request's handler runs on the thread that did its I/O instead of hopping to another pool
/// and back (handlers must not block, as everywhere in the gateway).
@main
enum GenomeGateMain {
    static func main() async {
        _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        await GenomeGateCommand.main()
    }
}
