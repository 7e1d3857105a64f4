import Foundation

/// An exclusive `flock` on a file, held while the descriptor stays open: one writer per store
/// (the audit log, the privacy ledger).
///
/// Taking it waits up to ``patience`` before saying another process holds it. A child process
/// forked while the lock is held (a test spawning a tool, the gateway running a helper) shares
/// the open file until it calls exec, so for those few moments the lock still looks taken after
/// its owner closed it. A second gateway holds it for good and is still refused.
public enum ExclusiveFileLock {
    /// How long to keep trying (a fork-to-exec window is well under it).
    public static let patience: Duration = .seconds(2)

    /// Opens (creating, 0600) and locks `path`; returns the descriptor, to be closed to release
    /// it. nil with `errno` set when the file cannot be opened; nil with `errno == EWOULDBLOCK`
    /// when another process holds the lock past ``patience``.
    public static func acquire(_ path: String) -> Int32? {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return nil }
        let deadline = ContinuousClock.now + patience
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let failure = errno
            guard failure == EWOULDBLOCK || failure == EINTR, ContinuousClock.now < deadline else {
                close(descriptor)
                errno = failure
                return nil
            }
            usleep(10_000)
        }
        return descriptor
    }
}
