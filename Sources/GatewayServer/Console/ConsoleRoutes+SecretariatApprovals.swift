import Foundation
import GatewayCore
import GatewayPolicy
import HTTPTypes
import Hummingbird
import PolicyStore
import PrivacyLedger
import WebConsole

extension ConsoleRoutes {
    /// One approval in full with its history; the create and amend forms. Creating decodes the
    /// form as the body of `POST /api/admin/approvals`, amending sends the changed fields as the
    /// merge patch of `PATCH /api/admin/approvals/{id}`: the same decoder, validation, commit,
    /// history and audit as the API. A refusal shows the form again, naming the field, with
    /// what was typed.
    static func registerSecretariatApprovalPages(on router: Router<GatewayRequestContext>, admin: Admin, forms: ConsoleForms,
                                                 compiled: Result<ConsoleRenderer, GatewayError>) {
        router.get("/console/secretariat/approvals/{id}", access: .administration, takesQuery: true) { request, context in
            let (viewer, member, policy) = try viewer(request, context)
            let words = ConsoleTextLookup(viewer.language)
            let id = try context.parameters.require("id")
            guard let approval = policy.state.approvals[id] else { throw GatewayError(.notFound, "there is no approval '\(id.prefix(64))'") }
            let history = try await admin.policy.history(.init(kind: .approval, id: id, afterVersion: 0, limit: 1000))
            let actions = PolicyChange.StatusAction.available(from: approval.status.rawValue)
            var values: [String: Any] = [
                "facts": facts(approval, policy: policy, admin: admin, at: context.arrival, words: words),
                "datasets": approval.scope.datasets.map { datasetID -> [String: Any] in
                    let dataset = policy.state.datasets[datasetID]
                    return ["id": datasetID, "name": dataset?.name ?? "–", "terms": (dataset?.dataUse ?? []).map(termText)]
                },
                "actions": actions.map { action -> [String: Any] in
                    let path = formPath(approval.id, action)
                    return ["name": action.rawValue, "label": words[action.rawValue], "action": path, "back": true,
                            "token": forms.token(member: member.id, action: path)]
                },
                "history": history.reversed().map { entry -> [String: Any] in
                    ["version": entry.version, "time": entry.recordedAt, "actor": entry.actor, "summary": entry.summary,
                     "lines": PolicyDiff.lines(before: entry.before, after: entry.after).map { ["kind": $0.kind.rawValue, "text": $0.text] }]
                },
                "amendLink": approvalPath(id) + "/amend" + languageQuery(viewer),
                "listLink": "/console/secretariat/approvals" + languageQuery(viewer),
            ]
            if approval.status != .revoked {
                let path = approvalPath(id) + "/privacy-budget"
                values["budgetForm"] = ["action": path, "token": forms.token(member: member.id, action: path),
                                        "value": approval.privacyBudget.map { String($0) } ?? ""]
            }
            let html = try compiled.get().render(.init(template: .secretariatApproval, title: "\(words["approval"]) \(id)", values: values), for: viewer)
            return try page(html, kind: "console-secretariat-approval", context)
        }
        router.get("/console/secretariat/approvals/{id}/amend", access: .administration, takesQuery: true) { request, context in
            let (viewer, member, policy) = try viewer(request, context)
            let id = try context.parameters.require("id")
            guard let approval = policy.state.approvals[id] else { throw GatewayError(.notFound, "there is no approval '\(id.prefix(64))'") }
            let html = try approvalForm(ConsoleApprovalForm(approval), amending: approval, problem: nil, viewer: viewer, member: member,
                                        policy: policy, forms: forms, compiled: compiled)
            return try page(html, kind: "console-secretariat-approval-form", context)
        }
        // Beside the GET above, the router matches this literal segment before {action}: the post needs its own route.
        router.post("/console/secretariat/approvals/{id}/amend", access: .administration) { request, context in
            try await amendApproval(try context.parameters.require("id"), request, context, admin: admin, forms: forms, compiled: compiled)
        }
        router.get("/console/secretariat/new-approval", access: .administration, takesQuery: true) { request, context in
            let (viewer, member, policy) = try viewer(request, context)
            let form = ConsoleApprovalForm(values: ["purpose": Approval.Purpose.allCases[0].rawValue, "commercial_use": "false",
                                                    "legal_basis": Approval.LegalBasis.none.rawValue])
            let html = try approvalForm(form, amending: nil, problem: nil, viewer: viewer, member: member, policy: policy, forms: forms, compiled: compiled)
            return try page(html, kind: "console-secretariat-approval-form", context)
        }
        router.post("/console/secretariat/new-approval", access: .administration) { request, context in
            let (viewer, member, _) = try viewer(request, context)
            let fields = try await formFields(request, context)
            try forms.check(request, token: fields["token"], member: member.id, action: "/console/secretariat/new-approval")
            let form = ConsoleApprovalForm(values: fields)
            do {
                let approval = try PolicyJSON.decode(Approval.self, from: form.createBody(), what: "approval")
                _ = try await admin.commit(.createApproval(approval), context)
                return redirect(to: approvalPath(approval.id), context)
            } catch let error as GatewayError where [.invalidPolicy, .conflict].contains(error.code) {
                let policy = try await admin.policy.current()
                let html = try approvalForm(form, amending: nil, problem: error.message, viewer: viewer, member: member, policy: policy,
                                            forms: forms, compiled: compiled)
                return try page(html, status: error.code == .conflict ? .conflict : .badRequest, kind: "console-secretariat-approval-form", context)
            }
        }
    }

    /// `POST .../approvals/{id}/amend`: the fields whose text changed, as the API's merge patch.
    static func amendApproval(_ id: String, _ request: Request, _ context: GatewayRequestContext, admin: Admin, forms: ConsoleForms,
                              compiled: Result<ConsoleRenderer, GatewayError>) async throws -> Response {
        let (viewer, member, _) = try viewer(request, context)
        let fields = try await formFields(request, context)
        try forms.check(request, token: fields["token"], member: member.id, action: approvalPath(id) + "/amend")
        let policy = try await admin.policy.current()
        guard let current = policy.state.approvals[id] else { throw GatewayError(.notFound, "there is no approval '\(id.prefix(64))'") }
        let form = ConsoleApprovalForm(values: fields)
        func refused(_ message: String, _ status: HTTPResponse.Status, amending approval: Approval) throws -> Response {
            let html = try approvalForm(form, amending: approval, problem: message, viewer: viewer, member: member, policy: policy,
                                        forms: forms, compiled: compiled)
            return try page(html, status: status, kind: "console-secretariat-approval-form", context)
        }
        guard fields["base"] == ConsoleApprovalForm.fingerprint(current) else {
            return try refused("approval \(id) was changed since this form was loaded; nothing was applied. The form now shows your text over the current approval: check it and save again",
                               .conflict, amending: current)
        }
        let (patch, changed) = form.patch(from: ConsoleApprovalForm(current))
        guard !changed.isEmpty else { return try refused("nothing was changed; approval \(id) stays as it is", .badRequest, amending: current) }
        let change = PolicyChange.amendApproval(id) { stored throws(GatewayError) in
            try ApprovalPatch.merge(patch, into: stored, what: "amendment of approval \(id)")
        }
        do {
            _ = try await admin.commit(change, context)
        } catch let error as GatewayError where [.invalidPolicy, .conflict].contains(error.code) {
            return try refused(error.message, error.code == .conflict ? .conflict : .badRequest, amending: current)
        }
        return redirect(to: approvalPath(id), context)
    }

    /// `POST .../approvals/{id}/privacy-budget`: as `POST /api/admin/approvals/{id}/privacy-budget`, with the reason.
    static func setPrivacyBudget(_ id: String, _ request: Request, _ context: GatewayRequestContext, admin: Admin, forms: ConsoleForms) async throws -> Response {
        let member = try context.requireMember()
        let fields = try await formFields(request, context)
        try forms.check(request, token: fields["token"], member: member.id, action: approvalPath(id) + "/privacy-budget")
        let text = (fields["budget"] ?? "").trimmingCharacters(in: .whitespaces)
        guard let budget = Double(text), budget.isFinite else { throw GatewayError(.badRequest, "budget must be a number, not '\(text.prefix(40))'") }
        _ = try await admin.commit(.setPrivacyBudget(id, to: budget, reason: try reason(fields)), context)
        return redirect(to: approvalPath(id), context)
    }

    /// The create or amend form, filled with `form`'s text, the refusal (if any) and its fields marked.
    static func approvalForm(_ form: ConsoleApprovalForm, amending approval: Approval?, problem: String?, viewer: ConsoleRenderer.Viewer,
                             member: Member, policy: PolicySnapshot, forms: ConsoleForms,
                             compiled: Result<ConsoleRenderer, GatewayError>) throws -> String {
        let words = ConsoleTextLookup(viewer.language)
        let action = approval.map { approvalPath($0.id) + "/amend" } ?? "/console/secretariat/new-approval"
        let invalid = problem.map(ConsoleApprovalForm.fieldsNamed) ?? []
        let labels = ["id": "approvalID", "decision_reference": "decisionReference", "decision_date": "decisionDate", "title": "title",
                      "purpose": "purpose", "organization": "organization", "members": "members", "datasets": "datasets",
                      "query_kinds": "queryKinds", "cancer_types": "cancerTypes", "commercial_use": "commercialUse", "valid_from": "validFrom",
                      "valid_until": "validUntil", "legal_basis": "legalBasis", "privacy_budget": "budget"]
        let hints = ["decision_date": "timeHint", "valid_from": "timeHint", "valid_until": "timeHint", "members": "listHint",
                     "datasets": "listHint", "query_kinds": "listHint", "cancer_types": "cancerHint", "privacy_budget": "budgetHint"]
        let choices: [String: [String]] = [
            "purpose": Approval.Purpose.allCases.map(\.rawValue), "legal_basis": Approval.LegalBasis.allCases.map(\.rawValue),
            "commercial_use": ["false", "true"], "organization": policy.state.organizations.keys.sorted(),
        ]
        let names = approval == nil ? ConsoleApprovalForm.fields : ConsoleApprovalForm.amendable
        let fields: [[String: Any]] = names.map { name in
            let value = form.values[name] ?? ""
            var field: [String: Any] = ["name": name, "label": words[labels[name] ?? name], "value": value,
                                        "hint": hints[name].map { words[$0] } ?? "", "invalid": invalid.contains(name)]
            if var options = choices[name] {
                if !value.isEmpty && !options.contains(value) { options.insert(value, at: 0) }
                field["options"] = ["choices": options.map { ["value": $0, "selected": $0 == value] }]
            }
            return field
        }
        var values: [String: Any] = ["action": action, "token": forms.token(member: member.id, action: action), "fields": fields,
                                     "submit": words[approval == nil ? "create" : "saveAmendment"]]
        if let approval { values["base"] = ConsoleApprovalForm.fingerprint(approval) }
        if let problem { values["problem"] = problem }
        let title = approval.map { "\(words["amendApproval"]) \($0.id)" } ?? words["createApproval"]
        return try compiled.get().render(.init(template: .secretariatApprovalForm, title: title, values: values), for: viewer)
    }

    /// Everything the approval holds, as label and text.
    static func facts(_ approval: Approval, policy: PolicySnapshot, admin: Admin, at now: Date, words: ConsoleTextLookup) -> [[String: Any]] {
        let organization = policy.state.organizations[approval.organization]
        let country = organization?.country ?? ""
        let place = country == Jurisdiction.home ? words["homeJurisdiction"]
            : policy.state.jurisdictions[country]?.isEffective(at: now) == true ? words["equivalentJurisdiction"] : words["otherJurisdiction"]
        let counts = country == Jurisdiction.home || policy.state.jurisdictions[country]?.isEffective(at: now) == true
            || approval.legalBasis.coversAllSamples ? words["allSamplesCount"] : words["overseasConsentOnly"]
        var budget = approval.privacyBudget.map { amount($0) } ?? words["gatewayDefault"]
        let accounting = admin.queries.accounting
        if accounting.ledger != nil, let first = approval.members.first {
            let total = accounting.budgets(member: first, approval: approval.id, policy: policy).approval
            let status = accounting.status(.approval(approval.id), budget: total)
            budget += " · \(amount(status.spent)) \(words["spent"]) / \(amount(status.remaining)) \(words["remaining"])"
        }
        let members = approval.members.map { id in policy.state.members[id].map { "\(id) (\($0.name))" } ?? id }
        return [
            ("status", words["status"], approval.isInForce(at: now) || approval.status != .active ? approval.status.rawValue : "expired"),
            ("title", words["title"], approval.title),
            ("decision", words["decisionReference"], "\(approval.decisionReference) · \(day(approval.decisionDate))"),
            ("purpose", words["purpose"], approval.purpose.rawValue),
            ("organization", words["organization"], organization.map { "\($0.name) (\($0.id), \($0.country))" } ?? approval.organization),
            ("members", words["members"], members.joined(separator: ", ")),
            ("query-kinds", words["queryKinds"], approval.scope.queryKinds.map(\.rawValue).joined(separator: ", ")),
            ("cancer-types", words["cancerTypes"], (approval.scope.cancerTypes ?? []).isEmpty ? "–" : (approval.scope.cancerTypes ?? []).joined(separator: ", ")),
            ("commercial-use", words["commercialUse"], words[approval.commercialUse ? "yes" : "no"]),
            ("validity", words["validity"], "\(ConsoleApprovalForm.time(approval.validFrom)) – \(ConsoleApprovalForm.time(approval.validUntil, endOfDay: true))"),
            ("legal-basis", words["legalBasis"], approval.legalBasis.rawValue),
            ("jurisdiction", words["jurisdictionBasis"], "\(country) · \(place) · \(counts)"),
            ("budget", words["budget"], budget),
        ].map { ["name": $0.0, "label": $0.1, "value": $0.2] }
    }

    /// A DUO term as text: its id, label and what it restricts.
    static func termText(_ term: DataUseTerm) -> String {
        var parts = [term.id]
        if let label = term.label ?? DataUseOntology.terms[term.id].map({ "\($0.code) \($0.label)" }) { parts.append(label) }
        if let disease = term.disease { parts.append(disease) }
        if let countries = term.countries { parts.append(countries.joined(separator: ", ")) }
        if let until = term.until { parts.append("until \(day(until))") }
        if let allowed = term.allowed { parts.append(allowed.joined(separator: ", ")) }
        return parts.joined(separator: " · ")
    }
}
