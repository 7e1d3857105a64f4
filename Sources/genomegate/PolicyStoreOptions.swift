import ArgumentParser
import Foundation
import GatewayCore
import PolicyStore

/// Options every policy command takes: the data folder and who is acting.
struct PolicyStoreOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "The gateway's data folder (holds policy.sqlite).") var dataDir: String
    @Option(help: "Who makes the change, for the history (default: operator:$USER).") var actor: String?

    var actorName: String {
        actor ?? "operator:" + (ProcessInfo.processInfo.environment["USER"] ?? NSUserName())
    }

    /// Opens the policy store; a running gateway sees every change from its next request.
    func open() throws -> PolicyDatabase {
        try PolicyFailure.run { () throws(GatewayError) in try PolicyDatabase(folder: dataDir) }
    }

    /// Applies `change`, prints what it did, and exits non-zero naming the problem if refused.
    func apply(_ change: PolicyChange) throws {
        let database = try open()
        let receipt = try PolicyFailure.run { () throws(GatewayError) in try database.apply(change, actor: actorName, channel: "cli") }
        print("genomegate: policy version \(receipt.version): \(change.summary) (\(receipt.changed.joined(separator: ", ")))")
    }
}

/// Policy command failures: the message on stderr and an exit code (65 bad input or refused
/// change, 66 a missing record or file, 74 the store cannot be read or written).
enum PolicyFailure {
    static func run<T>(_ body: () throws(GatewayError) -> T) throws -> T {
        do { return try body() } catch {
            FileHandle.standardError.write(Data("genomegate: error: \(error.message)\n".utf8))
            switch error.code {
            case .notFound: throw ExitCode(66)
            case .policyUnavailable: throw ExitCode(74)
            default: throw ExitCode(65)
            }
        }
    }

    /// Reads a file the command was given.
    static func read(_ path: String) throws -> Data {
        guard let data = FileManager.default.contents(atPath: path) else {
            FileHandle.standardError.write(Data("genomegate: error: \(path) cannot be read\n".utf8))
            throw ExitCode(66)
        }
        return data
    }
}
