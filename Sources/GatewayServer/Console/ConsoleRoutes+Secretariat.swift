import AuditLog
import Foundation
import GatewayCore
import GatewayPolicy
import HTTPTypes
import Hummingbird
import NIOConcurrencyHelpers
import PolicyStore
import WebConsole

extension ConsoleRoutes {
    /// The secretariat's approvals page and its forms: suspend, reinstate or revoke an
    /// approval with the committee's reason, through the same policy change as
    /// `POST /api/admin/approvals/{id}/{action}` (recorded, audited, in force from the next
    /// request), each form guarded by ``ConsoleForms``.
    static func registerSecretariat(on router: Router<GatewayRequestContext>, admin: Admin, forms: ConsoleForms,
                                    compiled: Result<ConsoleRenderer, GatewayError>) {
        router.get("/console/secretariat/approvals", access: .administration, takesQuery: true) { request, context in
            let (viewer, member, policy) = try viewer(request, context)
            let words = ConsoleTextLookup(viewer.language)
            let approvals: [[String: Any]] = policy.state.approvals.values.sorted { $0.id < $1.id }.map { approval in
                let actions = PolicyChange.StatusAction.available(from: approval.status.rawValue)
                return [
                    "id": approval.id, "link": approvalPath(approval.id) + languageQuery(viewer), "title": approval.title, "organization": approval.organization,
                    "members": approval.members.joined(separator: ", "), "status": approval.status.rawValue,
                    "actions": actions.map { action -> [String: Any] in
                        let path = formPath(approval.id, action)
                        return ["name": action.rawValue, "label": words[action.rawValue], "action": path,
                                "token": forms.token(member: member.id, action: path)]
                    },
                ]
            }
            let html = try compiled.get().render(.init(template: .secretariatApprovals, title: words["allApprovals"], values: [
                "approvals": approvals, "createLink": "/console/secretariat/new-approval" + languageQuery(viewer)]),
                                                 for: viewer)
            return try page(html, kind: "console-secretariat-approvals", context)
        }
        // Status decisions and the privacy budget; amending has its own route (ConsoleRoutes+SecretariatApprovals).
        router.post("/console/secretariat/approvals/{id}/{action}", access: .administration) { request, context in
            let id = try context.parameters.require("id")
            switch try context.parameters.require("action") {
            case "privacy-budget": return try await setPrivacyBudget(id, request, context, admin: admin, forms: forms)
            case let name:
                guard let action = PolicyChange.StatusAction(rawValue: name) else {
                    throw GatewayError(.notFound, "approvals are amended, suspended, reinstated or revoked, or their privacy budget set")
                }
                return try await changeStatus(id, action, request, context, admin: admin, forms: forms)
            }
        }
        registerSecretariatApprovalPages(on: router, admin: admin, forms: forms, compiled: compiled)
        registerSecretariatDirectory(on: router, admin: admin, forms: forms, compiled: compiled)
        registerSecretariatOrganizations(on: router, admin: admin, forms: forms, compiled: compiled)
        registerSecretariatRecords(on: router, admin: admin, forms: forms, compiled: compiled)
    }

    /// Suspends, reinstates or revokes approval `id` with the committee's reason, as
    /// `POST /api/admin/approvals/{id}/{action}` does; then back to the page it was posted from.
    static func changeStatus(_ id: String, _ action: PolicyChange.StatusAction, _ request: Request, _ context: GatewayRequestContext,
                             admin: Admin, forms: ConsoleForms) async throws -> Response {
        let member = try context.requireMember()
        let fields = try await formFields(request, context)
        try forms.check(request, token: fields["token"], member: member.id, action: formPath(id, action))
        var change = PolicyChange.approvalStatus(id, action)
        change.summary += ": " + (try reason(fields))
        _ = try await admin.commit(change, context)
        return redirect(to: fields["back"] == "detail" ? approvalPath(id) : "/console/secretariat/approvals", context)
    }

    /// The committee's reason from a form: required, and free text as the API checks it.
    static func reason(_ fields: [String: String]) throws(GatewayError) -> String {
        let reason = fields["reason"] ?? ""
        if reason.allSatisfy(\.isWhitespace) { throw GatewayError(.badRequest, "give the committee's reason for this change") }
        if let problem = FreeText.problem(in: reason, .text) { throw GatewayError(.badRequest, "reason \(problem)") }
        return reason
    }

    /// Post, then redirect, then get: a reload never posts the form again.
    static func redirect(to location: String, _ context: GatewayRequestContext) -> Response {
        context.record.withLockedValue { $0.returned = .init(kind: "policy-change") }
        var headers = headers(contentType: "text/plain; charset=utf-8")
        headers[.location] = location
        return Response(status: .seeOther, headers: headers)
    }

    /// An HTML page answered with `status` (a form shown again with its refusal).
    static func page(_ html: String, status: HTTPResponse.Status, kind: String, _ context: GatewayRequestContext) throws -> Response {
        var response = try page(html, kind: kind, context)
        response.status = status
        return response
    }

    /// `?lang=ja` when the viewer reads Japanese, so links keep the language.
    static func languageQuery(_ viewer: ConsoleRenderer.Viewer) -> String { viewer.language == .english ? "" : "?lang=\(viewer.language.rawValue)" }

    static func approvalPath(_ id: String) -> String { "/console/secretariat/approvals/\(id)" }

    static func formPath(_ approval: String, _ action: PolicyChange.StatusAction) -> String {
        "/console/secretariat/approvals/\(approval)/\(action.rawValue)"
    }

    /// The fields of a form post (`application/x-www-form-urlencoded`, at most 16 KiB, at most
    /// 16 fields, each once).
    static func formFields(_ request: Request, _ context: GatewayRequestContext) async throws -> [String: String] {
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true else {
            throw GatewayError(.badRequest, "a console form is posted as application/x-www-form-urlencoded")
        }
        let buffer = try await request.body.collect(upTo: min(context.maxUploadSize, 16 * 1024))
        let text = String(decoding: buffer.readableBytesView, as: UTF8.self)
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&").prefix(17) {
            guard fields.count < 16 else { throw GatewayError(.badRequest, "a console form has at most 16 fields") }
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decoded(_ part: Substring) throws(GatewayError) -> String {
                guard let value = part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding else {
                    throw GatewayError(.badRequest, "a form field is not percent-encoded text")
                }
                return value
            }
            let name = try decoded(parts[0])
            guard fields[name] == nil else { throw GatewayError(.badRequest, "form field '\(name.prefix(40))' is given twice") }
            fields[name] = parts.count > 1 ? try decoded(parts[1]) : ""
        }
        return fields
    }
}
