import Foundation

/// Runs a command to completion on its own thread (never blocking Swift's cooperative pool).
public struct Subprocess: Sendable {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        public var output: String { stdout + stderr }
    }

    /// Runs `arguments[0]` (looked up in PATH) with the rest as arguments, feeding `input` on stdin.
    public static func run(_ arguments: [String], input: [UInt8] = [], environment: [String: String]? = nil) async throws -> Result {
        try await offThread {
            var command = arguments
            if let environment {
                command = ["/usr/bin/env"] + environment.map { "\($0.key)=\($0.value)" } + arguments
            }
            let process = try ChildProcess(command, input: true, output: true, error: true)
            let inputHandle = process.standardInput!
            let writer = Thread {
                inputHandle.write(Data(input))
                try? inputHandle.close()
            }
            writer.start()
            let errorData = ErrorCollector(process.standardError!)
            let out = process.standardOutput!.readDataToEndOfFile()
            process.waitUntilExit()
            return Result(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self), stderr: errorData.wait())
        }
    }
}

/// Drains a pipe on its own thread so a chatty child cannot block on a full pipe.
final class ErrorCollector: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)
    init(_ handle: FileHandle) {
        Thread {
            self.data = handle.readDataToEndOfFile()
            self.done.signal()
        }.start()
    }
    func wait() -> String {
        done.wait()
        return String(decoding: data, as: UTF8.self)
    }
}

/// Runs blocking work on a fresh thread and awaits its result.
public func offThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread {
            do { continuation.resume(returning: try work()) } catch { continuation.resume(throwing: error) }
        }.start()
    }
}
