import AuditLog
import Foundation
import GatewayCore
import GatewayOperations
import GatewayPolicy
import GatewayTLS
import Logging
import NIOCore
import PolicyStore
import VariantStore

/// The metrics and health listener (README "Metrics and health").
extension GatewayServer {
    /// Binds the operations listener at `metrics.listen` (nil when `metrics.enabled` is false),
    /// to be passed to ``run(operations:onReady:)`` or ``makeApplication(router:handshakeObserver:operations:onReady:)``.
    /// Throws `invalid_configuration` naming the setting when the address cannot be bound.
    public func bindOperationsListener() async throws(GatewayError) -> OperationsListener? {
        let settings = configuration.metrics
        guard settings.enabled else { return nil }
        do {
            let listener = try await OperationsListener.bind(host: settings.host, port: settings.port, endpoints: operationsEndpoints, logger: logger)
            logger.notice("metrics and health listening on \(listener.url) (/metrics, /healthz, /readyz)")
            return listener
        } catch {
            throw GatewayError(.invalidConfiguration, """
                metrics.listen \(settings.host):\(settings.port) cannot be bound: \(error); choose a free port with 'metrics.listen' \
                (or --metrics-listen), or set 'metrics.enabled: false'
                """)
        }
    }

    /// `/metrics`, `/healthz` and `/readyz` for this gateway.
    public var operationsEndpoints: OperationsEndpoints {
        let audit = self.audit, policy = self.policy, metrics = self.metrics, contexts = self.contexts
        return OperationsEndpoints(metrics: metrics, checks: readinessChecks) {
            metrics.setAuditQueueDepth(audit.waitingCount)
            metrics.setPolicyVersion(policy.database.snapshot.version)
            // The CRL in force now (a reload may have replaced it), counted down at each scrape.
            if let nextUpdate = contexts.crlNextUpdate { metrics.setCRLSecondsUntilNextUpdate(nextUpdate.timeIntervalSinceNow) }
        }
    }

    /// What `/readyz` asks: the policy store can be read, the audit log can be written (its
    /// last commit did not fail), the variant store can be read (one cheap query).
    var readinessChecks: [ReadinessCheck] {
        let policy = self.policy, audit = self.audit, store = queries.store
        return [
            ReadinessCheck(name: "policy") {
                do throws(GatewayError) {
                    _ = try await policy.current()
                    let database = policy.database
                    _ = try await BlockingWork.run { () throws(GatewayError) in try database.versions(before: nil, limit: 1) }
                    return nil
                } catch {
                    return "the policy store cannot be read: \(error.message)"
                }
            },
            ReadinessCheck(name: "audit") {
                audit.isFailing ? "the audit store cannot be written: every answer is withheld (503 audit_unavailable) until it can" : nil
            },
            ReadinessCheck(name: "variants") {
                do {
                    _ = try await store.sampleCount()
                    return nil
                } catch let error as VariantStoreError {
                    return error.message
                } catch {
                    return "the variant store cannot be read: \(error)"
                }
            },
        ]
    }
}
