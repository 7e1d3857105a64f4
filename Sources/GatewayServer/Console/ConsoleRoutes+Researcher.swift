import AuditLog
import DisclosureControl
import Foundation
import GatewayCore
import GatewayPolicy
import HTTPTypes
import Hummingbird
import NIOConcurrencyHelpers
import NIOCore
import WebConsole

extension ConsoleRoutes {
    /// The researcher's pages: my approvals (what each allows, the privacy budget left), the
    /// search, and (``registerResearcherData``) the variant list, the variant page, the region
    /// viewer and the cohort summary, each through the same code paths as the API.
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
        let service = dependencies.admin.queries
        // The search: the form, or (with q) where it leads: a region's or gene's variant list, or
        // a variant's page (303, so the page's own URL is the one kept). A member whose approval
        // allows no allele frequencies is refused here as the API would refuse them.
        router.get("/console/search", access: .research, takesQuery: true) { request, context in
            let (viewer, member, policy, parameters) = try viewer(request, context, taking: ConsoleDataFilters.names.union(["q"]))
            let filters = try ConsoleDataFilters(parameters)
            try AccessControl.precheck([.alleleFrequency], approvalID: filters.approval, context)
            if let text = parameters["q"] {
                let target: String
                switch try SearchTerm.parse(text, parameter: "q") {
                case .region(let region): target = filters.link("/console/variants", [("region", region.description)], language: viewer.language)
                case .variant(let locus): target = filters.link("/console/variant", [("variant", locus.description)], language: viewer.language)
                case .gene(let name):
                    guard let gene = CancerGenes.gene(named: name) else {
                        let close = CancerGenes.closeNames(to: name)
                        throw GatewayError(.badRequest, "q: the gene '\(name.prefix(32))' is not in the console's table of \(CancerGenes.all.count) cancer genes"
                            + (close.isEmpty ? "; search by region instead (chr17:7660000-7690000)" : "; close names: \(close.joined(separator: ", "))"))
                    }
                    target = filters.link("/console/variants", [("region", gene.region.description)], language: viewer.language)
                }
                context.record.withLockedValue { $0.returned = .init(kind: "console-search") }
                var headers = headers(contentType: "text/plain; charset=utf-8")
                headers[.location] = target
                return Response(status: .seeOther, headers: headers)
            }
            let catalog = try await service.currentCatalog()
            let words = ConsoleTextLookup(viewer.language)
            let values: [String: Any] = [
                "query": "", "filters": filters.formValues(catalog: catalog, approvals: policy.approvals(of: member.id), language: viewer.language),
                "genes": CancerGenes.all.map { ["symbol": $0.symbol, "href": filters.link("/console/variants", [("region", $0.region.description)], language: viewer.language)] },
            ]
            let html = try compiled.get().render(.init(template: .search, title: words["dataSearch"], values: values), for: viewer)
            return try page(html, kind: "console-search", context)
        }
        registerResearcherData(on: router, service: service, compiled: compiled)
    }

    /// A data page: the HTML, and the audit record's summary of the answer it shows as the API
    /// would record it (samples counted, cells shown as "<k", the privacy charge), under the
    /// page's own kind.
    static func dataPage<Answer: Encodable>(_ html: String, kind: String, answer: Answer, contributingSamples: Int, _ context: GatewayRequestContext) throws -> Response {
        let tally = SuppressionTally()
        _ = try SuppressionTally.$current.withValue(tally) { try JSONEncoder.gateway.encode(answer) }
        let suppressed = tally.count
        context.record.withLockedValue {
            $0.returned = .init(kind: kind, contributingSamples: contributingSamples, suppressedCells: suppressed, privacyChargeMicro: $0.privacyChargeMicro)
        }
        return Response(status: .ok, headers: headers(contentType: "text/html; charset=utf-8"), body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
