import Foundation
import GatewayCore
import GatewayOperations
import GatewayPolicy
import NIOConcurrencyHelpers
import PrivacyLedger
import VariantStore

/// Charges what an answer releases to the disclosure ledger (README "Privacy"), before the
/// answer is built: the approval's account and the member's, each against its budget.
///
/// Budgets: an approval's is its policy `privacy_budget`, else `privacy.approval_budget`; a
/// member's is `privacy.member_budget`, or the largest budget of their approvals if larger
/// (so raising one approval's budget is not undone by the member's). With the ledger off
/// (`privacy.enabled: false`) nothing is charged.
struct DisclosureAccounting: Sendable {
    let ledger: DisclosureLedger?
    let settings: GatewayConfiguration.Privacy
    /// How long each charge took (logged when the gateway stops).
    let timings = ChargeTimings()
    /// Counts the ledger's refusals (`privacy_budget_exhausted`, `differencing_refused`).
    var metrics: GatewayMetrics?

    /// The budgets of `member` and of `approval` under `policy`.
    func budgets(member: String, approval: String?, policy: PolicySnapshot) -> (approval: Double, member: Double) {
        let approvalBudget = approval.flatMap { policy.state.approvals[$0]?.privacyBudget } ?? settings.approvalBudget
        // Only approvals the member may use now: an expired or revoked one raises nothing.
        let active = policy.approvals(of: member).filter { $0.status == .active }
        let largest = active.map { $0.privacyBudget ?? settings.approvalBudget }.max() ?? settings.approvalBudget
        return (approvalBudget, max(settings.memberBudget, largest))
    }

    /// Charges `releases`; throws `privacy_budget_exhausted` or `differencing_refused` (nothing
    /// is charged then) or `service_unavailable` when the ledger cannot commit. The approval's
    /// charge goes into the audit record.
    func charge(_ releases: [SubjectRelease], grant: AccessControl.Grant, catalog: CohortCatalog, context: GatewayRequestContext) throws(GatewayError) {
        guard let ledger, !releases.isEmpty else { return }
        let started = DispatchTime.now().uptimeNanoseconds, startedProcessor = ChargeTimings.threadTime()
        defer {
            timings.record(wall: DispatchTime.now().uptimeNanoseconds &- started, processor: ChargeTimings.threadTime() &- startedProcessor)
        }
        let member = try context.requireMember()
        guard let policy = context.policy, let approval = grant.approvalID else {
            throw GatewayError(.internalError, "a data answer without a policy snapshot or an approval cannot be charged")
        }
        let budgets = budgets(member: member.id, approval: approval, policy: policy)
        // Durable when this returns (one write to privacy.ledger): the answer may then be built.
        let charge: LedgerCharge
        do throws(GatewayError) {
            charge = try ledger.charge(releases, accounts: [(.approval(approval), budgets.approval), (.member(member.id), budgets.member)],
                                       personOfSample: catalog.participantOfSample)
        } catch {
            if error.code == .privacyBudgetExhausted || error.code == .differencingRefused {
                metrics?.recordPrivacyRefusal(reason: error.code.rawValue)
            }
            throw error
        }
        let added = charge.accounts.first?.added ?? 0
        context.record.withLockedValue { $0.privacyChargeMicro = added > 0 ? Int((added * 1_000_000).rounded(.up)) : nil }
    }

    /// What remains of `key`'s budget, for `/api/whoami`.
    func status(_ key: LedgerAccountKey, budget: Double) -> (spent: Double, remaining: Double) {
        let spent = ledger?.spent(key) ?? 0
        return (spent, max(0, budget - spent))
    }
}
