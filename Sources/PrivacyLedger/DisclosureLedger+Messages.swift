import Foundation
import GatewayCore

extension DisclosureLedger {
    static func differencingError(subject: String, people: Int, minimum: Int, firstRelease: Bool, account: LedgerAccountKey) -> GatewayError {
        // The number itself (1 to minimum - 1) is not said: refusals are free, and it is a small count.
        let message = firstRelease
            ? "\(subject): the cohorts of this request differ by fewer than \(minimum) people; answering would reveal their genotypes. Ask about cohorts that differ by at least \(minimum) people."
            : "\(subject): this cohort differs by fewer than \(minimum) people from one \(account) was already answered about (a filter, dataset, withdrawal or ingest since); answering would reveal their genotypes. Ask about the same cohort as before, or one that differs by at least \(minimum) people."
        return GatewayError(.differencingRefused, message)
    }

    static func budgetError(account: LedgerAccountKey, plan: AccountPlan, budget: Double) -> GatewayError {
        let remaining = max(0, budget - plan.spentBefore)
        let raise = account.isApproval
            ? "The committee secretariat can raise this approval's budget with POST /api/admin/approvals/\(account.id)/privacy-budget and a reason."
            : "A member's budget follows the largest budget of their approvals; the committee secretariat raises an approval's budget with POST /api/admin/approvals/{id}/privacy-budget and a reason."
        return GatewayError(.privacyBudgetExhausted,
                            "the privacy budget of \(account) is exhausted: spent \(format(plan.spentBefore)) of \(format(budget)), remaining \(format(remaining)); answers already given stay free. \(raise)")
    }

    /// A budget figure: 3 decimals, trailing zeros dropped (`0.013`, `0.2`); 3 significant digits below 0.001.
    static func format(_ value: Double) -> String {
        guard value.isFinite else { return "\(value)" }
        if value != 0 && abs(value) < 0.001 { return String(format: "%.3g", value) }
        var text = String(format: "%.3f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
