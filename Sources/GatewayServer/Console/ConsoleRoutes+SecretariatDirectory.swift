import Foundation
import GatewayCore
import GatewayPolicy
import HTTPTypes
import Hummingbird
import PolicyStore
import WebConsole

extension ConsoleRoutes {
    /// Members and their certificates; organizations and the equivalence list. Each form's
    /// fields become the body the admin API takes (`POST /api/admin/members`,
    /// `.../members/{id}/certificates[/revoke]`, `.../members/{id}/{status}`,
    /// `POST /api/admin/organizations`, `POST /api/admin/jurisdictions`), decoded and committed
    /// the same way; a refusal shows the page again naming the field.
    static func registerSecretariatDirectory(on router: Router<GatewayRequestContext>, admin: Admin, forms: ConsoleForms,
                                             compiled: Result<ConsoleRenderer, GatewayError>) {
        router.get("/console/secretariat/members", access: .administration, takesQuery: true) { request, context in
            let (viewer, member, policy) = try viewer(request, context)
            let html = try membersPage(viewer: viewer, member: member, policy: policy, problem: nil, forms: forms, compiled: compiled)
            return try page(html, kind: "console-secretariat-members", context)
        }
        router.post("/console/secretariat/members", access: .administration) { request, context in
            try await directoryChange(request, context, action: "/console/secretariat/members", admin: admin, forms: forms, compiled: compiled) { fields in
                var object: [String: JSONValue] = [:]
                for name in ["id", "name", "organization", "role"] { object[name] = .string(fields[name] ?? "") }
                object["certificates"] = .array(certificateJSON(fields).map { [$0] } ?? [])
                let member = try PolicyJSON.decode(Member.self, from: Data(JSONValue.object(object).jsonText.utf8), what: "member")
                return .registerMember(member)
            }
        }
        router.post("/console/secretariat/members/{id}/{action}", access: .administration) { request, context in
            let id = try context.parameters.require("id"), name = try context.parameters.require("action")
            let path = memberPath(id) + "/" + name
            return try await directoryChange(request, context, action: path, admin: admin, forms: forms, compiled: compiled) { fields in
                guard let action = PolicyChange.StatusAction(rawValue: name) else {
                    throw GatewayError(.notFound, "members are suspended, reinstated or revoked")
                }
                var change = PolicyChange.memberStatus(id, action)
                change.summary += ": " + (try reason(fields))
                return change
            }
        }
        // `certificates` is also a literal segment (of `.../certificates/revoke`), matched before {action}.
        router.post("/console/secretariat/members/{id}/certificates", access: .administration) { request, context in
            let id = try context.parameters.require("id")
            return try await directoryChange(request, context, action: memberPath(id) + "/certificates", admin: admin, forms: forms, compiled: compiled) { fields in
                .addCertificate(try certificate(fields), to: id)
            }
        }
        router.post("/console/secretariat/members/{id}/certificates/revoke", access: .administration) { request, context in
            let id = try context.parameters.require("id")
            return try await directoryChange(request, context, action: memberPath(id) + "/certificates/revoke", admin: admin, forms: forms,
                                             compiled: compiled) { fields in
                .revokeCertificate(try certificate(fields), of: id)
            }
        }
    }

    static func memberPath(_ id: String) -> String { "/console/secretariat/members/\(id)" }

    /// A directory form's post: the token checked first, then `change` built from the fields
    /// and committed as the admin API does; back to the page it came from, or that page again
    /// with the refusal (nothing applied).
    static func directoryChange(_ request: Request, _ context: GatewayRequestContext, action: String, admin: Admin, forms: ConsoleForms,
                                compiled: Result<ConsoleRenderer, GatewayError>,
                                change: ([String: String]) throws -> PolicyChange) async throws -> Response {
        let (viewer, member, _) = try viewer(request, context)
        let fields = try await formFields(request, context)
        try forms.check(request, token: fields["token"], member: member.id, action: action)
        let back = action.hasPrefix("/console/secretariat/members") ? "/console/secretariat/members" : "/console/secretariat/organizations"
        do {
            _ = try await admin.commit(try change(fields), context)
            return redirect(to: back + languageQuery(viewer), context)
        } catch let error as GatewayError where [.invalidPolicy, .conflict, .notFound, .badRequest].contains(error.code) {
            let policy = try await admin.policy.current()
            let status: HTTPResponse.Status = switch error.code {
            case .conflict: .conflict
            case .notFound: .notFound
            default: .badRequest
            }
            if back.hasSuffix("/members") {
                let html = try membersPage(viewer: viewer, member: member, policy: policy, problem: error.message, forms: forms, compiled: compiled)
                return try page(html, status: status, kind: "console-secretariat-members", context)
            }
            let html = try organizationsPage(viewer: viewer, member: member, policy: policy, edit: [:], typed: fields, problem: error.message,
                                             now: context.arrival, forms: forms, compiled: compiled)
            return try page(html, status: status, kind: "console-secretariat-organizations", context)
        }
    }

    /// `{"fingerprint": ...}` or `{"subject": ..., "issuer": ...}` from the form's non-empty fields (nil: none given).
    static func certificateJSON(_ fields: [String: String]) -> JSONValue? {
        var object: [String: JSONValue] = [:]
        for name in ["fingerprint", "subject", "issuer"] {
            if let value = fields[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty { object[name] = .string(value) }
        }
        return object.isEmpty ? nil : .object(object)
    }

    /// The certificate identity the form names, decoded as the API decodes it.
    static func certificate(_ fields: [String: String]) throws(GatewayError) -> CertificateIdentity {
        let json = certificateJSON(fields) ?? .object([:])
        return try PolicyJSON.decode(CertificateIdentity.self, from: Data(json.jsonText.utf8), what: "certificate")
    }

    static func membersPage(viewer: ConsoleRenderer.Viewer, member: Member, policy: PolicySnapshot, problem: String?, forms: ConsoleForms,
                            compiled: Result<ConsoleRenderer, GatewayError>) throws -> String {
        let words = ConsoleTextLookup(viewer.language)
        func form(_ path: String) -> [String: Any] { ["action": path, "token": forms.token(member: member.id, action: path)] }
        let members: [[String: Any]] = policy.state.members.values.sorted { $0.id < $1.id }.map { record in
            let actions = PolicyChange.StatusAction.available(from: record.status.rawValue)
            return [
                "id": record.id, "name": record.name, "role": record.role.rawValue, "status": record.status.rawValue,
                "organization": policy.state.organizations[record.organization].map { "\($0.name) (\($0.id))" } ?? record.organization,
                "certificates": record.certificates.map { certificate -> [String: Any] in
                    var entry = form(memberPath(record.id) + "/certificates/revoke")
                    entry["text"] = certificate.description
                    entry["fields"] = switch certificate {
                    case .fingerprint(let value): [["name": "fingerprint", "value": value]]
                    case .distinguishedName(let subject, let issuer): [["name": "subject", "value": subject], ["name": "issuer", "value": issuer]]
                    }
                    return entry
                },
                "bind": form(memberPath(record.id) + "/certificates"),
                "actions": actions.map { action -> [String: Any] in
                    var entry = form(memberPath(record.id) + "/" + action.rawValue)
                    entry["name"] = action.rawValue
                    entry["label"] = words[action.rawValue]
                    return entry
                },
            ]
        }
        var values: [String: Any] = [
            "members": members, "register": form("/console/secretariat/members"),
            "organizations": policy.state.organizations.keys.sorted(), "roles": Role.allCases.map(\.rawValue),
        ]
        if let problem { values["problem"] = problem }
        return try compiled.get().render(.init(template: .secretariatMembers, title: words["membersPage"], values: values), for: viewer)
    }
}
