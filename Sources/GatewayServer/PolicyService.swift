import Foundation
import GatewayCore
import GatewayPolicy
import NIOPosix
import PolicyStore

/// The policy in force and the decisions made with it.
///
/// Every request takes one snapshot (``current()``) and uses it from start to end. A change
/// committed by the admin API is in force before the API answers; one committed by another
/// process (the CLI) is noticed by the next request (`PRAGMA data_version`) and loaded off
/// the event loop before that request is decided. If the store cannot be read, requests
/// fail with `policy_unavailable`: never an answer on a policy that may be stale.
public final class PolicyService: Sendable {
    public let database: PolicyDatabase

    public init(database: PolicyDatabase) {
        self.database = database
    }

    /// The latest committed policy.
    public func current() async throws(GatewayError) -> PolicySnapshot {
        guard database.needsRefresh() else { return database.snapshot }
        let database = self.database
        do {
            return try await NIOThreadPool.singleton.runIfActive { try database.refreshIfChanged() }
        } catch let error as GatewayError {
            throw error
        } catch {
            throw GatewayError(.policyUnavailable, "the policy store cannot be read right now")
        }
    }

    /// Commits `change` (off the event loop); the new policy is in force when this returns.
    public func apply(_ change: PolicyChange, actor: String, channel: String) async throws(GatewayError) -> PolicyDatabase.Receipt {
        let database = self.database
        do {
            return try await NIOThreadPool.singleton.runIfActive { try database.apply(change, actor: actor, channel: channel) }
        } catch let error as GatewayError {
            throw error
        } catch {
            throw GatewayError(.policyUnavailable, "the policy store cannot be written right now")
        }
    }

    /// Reads history (off the event loop).
    public func history(_ query: PolicyDatabase.HistoryQuery) async throws(GatewayError) -> [PolicyDatabase.HistoryEntry] {
        let database = self.database
        do {
            return try await NIOThreadPool.singleton.runIfActive { try database.history(query) }
        } catch let error as GatewayError {
            throw error
        } catch {
            throw GatewayError(.policyUnavailable, "the policy store cannot be read right now")
        }
    }
}
