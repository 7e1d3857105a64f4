import Foundation
import GatewayCore
import GatewayServer

/// The gateway's YAML configuration file (`genomegate serve --config`), parsed and resolved.
enum ConfigurationFuzz {
    static let target = FuzzTarget(name: "config") { data in
        guard let text = data.utf8Text else { return }
        guard let file = try? GatewayConfigurationFile.parse(text, path: "fuzz.yaml") else { return }
        _ = try? file.resolve()
    }
}
