import Foundation
import GatewayCore
import GatewayPolicy
import Hummingbird
import PolicyStore
import WebConsole

extension ConsoleRoutes {
    /// Organizations (register or replace one, as `POST /api/admin/organizations`) and the
    /// equivalence list (add, replace or end one country's recognition, as
    /// `POST /api/admin/jurisdictions`). `?edit=ID` and `?country=CC` fill the forms with a record.
    static func registerSecretariatOrganizations(on router: Router<GatewayRequestContext>, admin: Admin, forms: ConsoleForms,
                                                 compiled: Result<ConsoleRenderer, GatewayError>) {
        router.get("/console/secretariat/organizations", access: .administration, takesQuery: true) { request, context in
            let (viewer, member, policy, parameters) = try viewer(request, context, taking: ["edit", "country"])
            let html = try organizationsPage(viewer: viewer, member: member, policy: policy, edit: parameters, typed: [:], problem: nil,
                                             now: context.arrival, forms: forms, compiled: compiled)
            return try page(html, kind: "console-secretariat-organizations", context)
        }
        router.post("/console/secretariat/organizations", access: .administration) { request, context in
            try await directoryChange(request, context, action: "/console/secretariat/organizations", admin: admin, forms: forms, compiled: compiled) { fields in
                var object: [String: JSONValue] = [:]
                for name in ["id", "name", "kind", "country", "consortium_status"] { object[name] = .string(fields[name] ?? "") }
                let organization = try PolicyJSON.decode(Organization.self, from: Data(JSONValue.object(object).jsonText.utf8), what: "organization")
                return .saveOrganization(organization)
            }
        }
        router.post("/console/secretariat/jurisdictions", access: .administration) { request, context in
            try await directoryChange(request, context, action: "/console/secretariat/jurisdictions", admin: admin, forms: forms, compiled: compiled) { fields in
                var object: [String: JSONValue] = [:]
                for name in ["country", "name", "effective_from", "effective_until"] {
                    let value = (fields[name] ?? "").trimmingCharacters(in: .whitespaces)
                    if !value.isEmpty || name == "country" || name == "effective_from" { object[name] = .string(value) }
                }
                let entry = try PolicyJSON.decode(EquivalentJurisdiction.self, from: Data(JSONValue.object(object).jsonText.utf8), what: "equivalence entry")
                return .saveJurisdiction(entry)
            }
        }
    }

    static func organizationsPage(viewer: ConsoleRenderer.Viewer, member: Member, policy: PolicySnapshot, edit: [String: String],
                                  typed: [String: String], problem: String?, now: Date, forms: ConsoleForms,
                                  compiled: Result<ConsoleRenderer, GatewayError>) throws -> String {
        let words = ConsoleTextLookup(viewer.language)
        let query = viewer.language == .english ? "" : "&lang=\(viewer.language.rawValue)"
        func form(_ path: String, _ fields: [[String: Any]]) -> [String: Any] {
            ["action": path, "token": forms.token(member: member.id, action: path), "fields": fields]
        }
        let state = policy.state
        let organizations: [[String: Any]] = state.organizations.values.sorted { $0.id < $1.id }.map { organization in
            let basis = organization.country == Jurisdiction.home ? words["homeJurisdiction"]
                : state.jurisdictions[organization.country]?.isEffective(at: now) == true ? words["equivalentJurisdiction"] : words["otherJurisdiction"]
            return ["id": organization.id, "name": organization.name, "kind": organization.kind.rawValue, "country": organization.country,
                    "basis": basis, "status": organization.consortiumStatus.rawValue,
                    "edit": "/console/secretariat/organizations?edit=\(percentEncoded(organization.id))\(query)"]
        }
        // The form shows what was typed (after a refusal), else the record being edited, else nothing.
        let editing = edit["edit"].flatMap { state.organizations[$0] }
        let isOrganizationPost = typed["kind"] != nil
        func organizationValue(_ name: String) -> String {
            if isOrganizationPost { return typed[name] ?? "" }
            guard let editing else { return name == "kind" ? "academia" : name == "consortium_status" ? "active" : "" }
            return ["id": editing.id, "name": editing.name, "kind": editing.kind.rawValue, "country": editing.country,
                    "consortium_status": editing.consortiumStatus.rawValue][name] ?? ""
        }
        let choices = ["kind": Organization.Kind.allCases.map(\.rawValue), "consortium_status": Organization.ConsortiumStatus.allCases.map(\.rawValue)]
        let organizationFields: [[String: Any]] = [("id", "organization"), ("name", "name"), ("kind", "kind"), ("country", "country"),
                                                   ("consortium_status", "status")].map { name, label in
            let value = organizationValue(name)
            var field: [String: Any] = ["name": name, "label": words[label], "value": value, "hint": name == "country" ? "ISO 3166-1 (JP, DE, …)" : ""]
            if let options = choices[name] { field["options"] = ["choices": options.map { ["value": $0, "selected": $0 == value] }] }
            return field
        }
        let entry = edit["country"].flatMap { state.jurisdictions[$0] }
        let isJurisdictionPost = typed["effective_from"] != nil
        let jurisdictionFields: [[String: Any]] = [("country", "country", entry?.country), ("name", "name", entry?.name),
                                                   ("effective_from", "effectiveFrom", entry.map { ConsoleApprovalForm.time($0.effectiveFrom) }),
                                                   ("effective_until", "effectiveUntil", entry?.effectiveUntil.map { ConsoleApprovalForm.time($0, endOfDay: true) })]
            .map { name, label, value in
                ["name": name, "label": words[label], "value": isJurisdictionPost ? typed[name] ?? "" : value ?? "",
                 "hint": name.hasPrefix("effective") ? words["timeHint"] : ""]
            }
        var values: [String: Any] = [
            "organizations": organizations,
            "organizationFormTitle": words[editing == nil ? "newOrganization" : "editOrganization"],
            "organizationForm": form("/console/secretariat/organizations", organizationFields),
            "jurisdictions": state.jurisdictions.values.sorted { $0.country < $1.country }.map { entry -> [String: Any] in
                ["country": entry.country, "name": entry.name ?? "", "from": ConsoleApprovalForm.time(entry.effectiveFrom),
                 "until": entry.effectiveUntil.map { ConsoleApprovalForm.time($0, endOfDay: true) } ?? "–",
                 "inForce": words[entry.isEffective(at: now) ? "yes" : "no"],
                 "edit": "/console/secretariat/organizations?country=\(percentEncoded(entry.country))\(query)#equivalence"]
            },
            "jurisdictionForm": form("/console/secretariat/jurisdictions", jurisdictionFields),
        ]
        if let problem { values["problem"] = problem }
        return try compiled.get().render(.init(template: .secretariatOrganizations, title: words["organizationsPage"], values: values), for: viewer)
    }
}
