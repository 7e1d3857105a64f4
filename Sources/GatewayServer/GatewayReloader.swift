import Foundation
import GatewayCore
import GatewayPolicy
import GatewayTLS
import Logging
import NIOConcurrencyHelpers
import PolicyStore

/// Re-reads certificate, key, CA bundle and CRL, and swaps them in only if every one of
/// them loads; re-reads the policy store too (changes count from the next request anyway).
///
/// A failed reload changes nothing: the old configuration keeps serving, the
/// reason is logged and recorded in the data folder's reload status.
public final class GatewayReloader: Sendable {
    let configuration: GatewayConfiguration
    let contexts: TLSContextProvider
    let policy: PolicyService
    let dataDirectory: GatewayDataDirectory
    let logger: Logger
    private let sequence = NIOLockedValueBox(0)

    init(configuration: GatewayConfiguration, contexts: TLSContextProvider, policy: PolicyService, logger: Logger) {
        self.configuration = configuration
        self.contexts = contexts
        self.policy = policy
        self.dataDirectory = GatewayDataDirectory(path: configuration.dataDirectory)
        self.logger = logger
    }

    /// Reloads everything; returns nil on success or the reason it was refused.
    @discardableResult
    public func reload() -> GatewayError? {
        let outcome: GatewayError?
        do {
            let snapshot = try policy.database.refreshIfChanged()
            do {
                try contexts.reload(configuration.tls)
            } catch let error as TLSError {
                throw GatewayError(.invalidConfiguration, error.message)
            }
            outcome = nil
            if let warning = contexts.current.crlExpiryWarning() { logger.warning("\(warning)") }
            logger.notice("configuration reloaded", metadata: ["tls.generation": "\(contexts.current.generation)", "policy.version": "\(snapshot.version)"])
        } catch let error as GatewayError {
            outcome = error
            logger.error("reload refused; the previous configuration stays in service", metadata: ["reason": "\(error.message)"])
        } catch {
            outcome = GatewayError(.invalidConfiguration, "\(error)")
            logger.error("reload refused; the previous configuration stays in service", metadata: ["reason": "\(error)"])
        }
        let number = sequence.withLockedValue { value -> Int in value += 1; return value }
        let status = GatewayDataDirectory.ReloadStatus(
            sequence: number, succeeded: outcome == nil,
            message: outcome?.message ?? "reloaded", time: Date()
        )
        do { try dataDirectory.writeReloadStatus(status) } catch {
            logger.error("cannot record the reload status", metadata: ["error": "\(error)"])
        }
        return outcome
    }
}
