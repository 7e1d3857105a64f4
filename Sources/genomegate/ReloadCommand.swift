import ArgumentParser
import Foundation
import GatewayServer

/// `genomegate reload`: asks a running gateway to re-read its TLS files and member
/// registry (SIGHUP), waits for the outcome, and exits non-zero if it was refused.
struct ReloadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reload",
        abstract: "Reload a running gateway's certificates, CRL and member registry."
    )

    @Option(name: .customLong("data-dir"), help: "The running gateway's data folder.") var dataDir: String
    @Option(help: "Seconds to wait for the gateway to answer.") var timeout: Double = 15

    func run() throws {
        let directory = GatewayDataDirectory(path: dataDir)
        guard let pid = directory.readPID() else {
            throw ValidationError("no running gateway: \(directory.pidFile) is missing")
        }
        let before = directory.readReloadStatus()?.sequence ?? 0
        guard kill(pid, SIGHUP) == 0 else {
            throw ValidationError("cannot signal gateway pid \(pid): \(String(cString: strerror(errno)))")
        }
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let status = directory.readReloadStatus(), status.sequence > before {
                if status.succeeded {
                    print("genomegate: reloaded")
                    return
                }
                FileHandle.standardError.write(Data("genomegate: reload refused, previous configuration still serving: \(status.message)\n".utf8))
                throw ExitCode(1)
            }
            usleep(50_000)
        }
        FileHandle.standardError.write(Data("genomegate: no answer from pid \(pid) within \(timeout) s\n".utf8))
        throw ExitCode(1)
    }
}
