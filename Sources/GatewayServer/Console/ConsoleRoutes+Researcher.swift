import Foundation
import GatewayCore
import GatewayPolicy
import Hummingbird
import WebConsole

extension ConsoleRoutes {
    /// The researcher's pages: my approvals (what each allows, the privacy budget left), and
    /// (README "Console") search, variants, the region viewer, the cohort and visiting analyses,
    /// each through the same code paths as the API.
    static func registerResearcher(on router: Router<GatewayRequestContext>, dependencies: ConsoleDependencies, forms: ConsoleForms,
                                   compiled: Result<ConsoleRenderer, GatewayError>) {
        router.get("/console/approvals", access: .research, takesQuery: true) { request, context in
            let (viewer, member, policy) = try viewer(request, context)
            let privacy = PrivacyView(member: member, policy: policy, accounting: dependencies.admin.queries.accounting)
            let approvals: [[String: Any]] = policy.approvals(of: member.id).map { approval in
                var row: [String: Any] = [
                    "id": approval.id, "title": approval.title, "purpose": approval.purpose.rawValue,
                    "validity": "\(day(approval.validFrom)) – \(day(approval.validUntil))",
                    "status": approval.isInForce(at: context.arrival) ? approval.status.rawValue : (approval.status == .active ? "expired" : approval.status.rawValue),
                    "allows": approval.scope.queryKinds.map(\.rawValue),
                ]
                if let budget = privacy?.approvals.first(where: { $0.approval == approval.id }) {
                    row["budget"] = ["total": amount(budget.budget), "spent": amount(budget.spent), "remaining": amount(budget.remaining)]
                }
                return row
            }
            let words = ConsoleTextLookup(viewer.language)
            let html = try compiled.get().render(.init(template: .approvals, title: words["approvals"],
                                                 values: ["approvals": approvals, "hasApprovals": !approvals.isEmpty]), for: viewer)
            return try page(html, kind: "console-approvals", context)
        }
    }
}
