import ArgumentParser
import Foundation
import NIOCore
import NIOPosix

/// The entry point. Swift concurrency's global executor becomes NIO's event loops, so a
/// request's handler runs on the thread that did its I/O instead of hopping to another pool
/// and back (handlers must not block, as everywhere in the gateway).
@main
enum GenomeGateMain {
    static func main() async {
        // A file-size limit (RLIMIT_FSIZE) must fail the write (EFBIG, handled: the audit log
        // withholds answers until it can write), not kill the gateway.
        signal(SIGXFSZ, SIG_IGN)
        _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        await GenomeGateCommand.main()
    }
}
