import ArgumentParser
import GatewayCore
import GatewayServer

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print the gateway and OpenSSL versions.")

    func run() {
        print("genomegate \(GatewayVersion.string) (\(GatewayServer.openSSLVersion))")
    }
}
