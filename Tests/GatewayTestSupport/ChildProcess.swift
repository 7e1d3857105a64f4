import Foundation

/// A child process started with `posix_spawnp`, for tests.
///
/// Foundation's `Process.run()` on Linux (swift-corelibs-foundation with Swift 6.3.1) crashes
/// now and then with SIGSEGV: it copies whole 256-byte `d_name` fields while listing
/// `/proc/self/fd`, reading past glibc's buffer (fixed upstream in swift-corelibs-foundation
/// PR 5472). A test process with many open files hits it; this does not list anything.
public final class ChildProcess: @unchecked Sendable {
    public let processIdentifier: pid_t
    /// The child's standard input (write end), when asked for.
    public let standardInput: FileHandle?
    /// The child's standard output (read end), when asked for.
    public let standardOutput: FileHandle?
    /// The child's standard error (read end), when asked for.
    public let standardError: FileHandle?
    private let lock = NSLock()
    private var exitStatus: Int32?

    /// Starts `arguments[0]` (looked up in PATH) with the rest as arguments. Streams not asked
    /// for are connected to /dev/null.
    public init(_ arguments: [String], input: Bool = false, output: Bool = false, error: Bool = false) throws {
        precondition(!arguments.isEmpty)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var childEnds: [Int32] = []
        func connect(_ target: Int32, pipe wanted: Bool, childReads: Bool) throws -> FileHandle? {
            guard wanted else {
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", childReads ? O_RDONLY : O_WRONLY, 0)
                return nil
            }
            var fds: [Int32] = [0, 0]
            guard pipe(&fds) == 0 else { throw TestFailure("pipe failed: \(String(cString: strerror(errno)))") }
            for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            let (childEnd, parentEnd) = childReads ? (fds[0], fds[1]) : (fds[1], fds[0])
            posix_spawn_file_actions_adddup2(&actions, childEnd, target)
            childEnds.append(childEnd)
            return FileHandle(fileDescriptor: parentEnd, closeOnDealloc: true)
        }
        standardInput = try connect(0, pipe: input, childReads: true)
        standardOutput = try connect(1, pipe: output, childReads: false)
        standardError = try connect(2, pipe: error, childReads: false)
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let status = posix_spawnp(&pid, arguments[0], &actions, nil, &argv, environ)
        for fd in childEnds { close(fd) }
        guard status == 0 else {
            // The parent ends belong to the FileHandles above, which close them once.
            throw TestFailure("cannot start \(arguments[0]): \(String(cString: strerror(status)))")
        }
        processIdentifier = pid
    }

    /// Sends `signal` to the child.
    public func send(_ signal: Int32) { kill(processIdentifier, signal) }

    /// SIGTERM.
    public func terminate() { send(SIGTERM) }

    /// Blocks until the child has exited.
    public func waitUntilExit() {
        lock.lock()
        defer { lock.unlock() }
        guard exitStatus == nil else { return }
        var status: Int32 = 0
        while waitpid(processIdentifier, &status, 0) < 0 && errno == EINTR {}
        exitStatus = status
    }

    /// Whether the child is still running (reaps it if it has exited).
    public var isRunning: Bool {
        lock.lock()
        defer { lock.unlock() }
        guard exitStatus == nil else { return false }
        var status: Int32 = 0
        guard waitpid(processIdentifier, &status, WNOHANG) == processIdentifier else { return true }
        exitStatus = status
        return false
    }

    /// The exit code, or the signal number that ended the child (as Foundation's `Process`).
    public var terminationStatus: Int32 {
        lock.lock()
        defer { lock.unlock() }
        guard let status = exitStatus else { return -1 }
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : signal
    }
}
