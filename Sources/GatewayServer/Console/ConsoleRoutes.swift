import AuditLog
import Foundation
import GatewayCore
import GatewayPolicy
import GatewayTLS
import HTTPTypes
import Hummingbird
import NIOConcurrencyHelpers
import NIOCore
import WebConsole

/// The web console (README "Console"), served from the same process over the same mutual TLS:
/// the browser presents the member's certificate, and each page goes through the same request
/// guard, access decision and audit record as an API call, then renders what the API would
/// answer as HTML (``ConsoleRenderer``). Pages take only `?lang=en|ja`.
enum ConsoleRoutes {
    /// Whether `path` is a console page (refusals there are pages too).
    static func isConsolePath(_ path: String) -> Bool { path == "/console" || path.hasPrefix("/console/") }

    static func register(on router: Router<GatewayRequestContext>, dependencies: ConsoleDependencies) {
        let admin = dependencies.admin, log = admin.audit
        // The templates are compiled into the binary: one that does not parse makes every page a
        // 500 (and fails the tests), never a page without its escaping.
        let compiled = Result { () throws(GatewayError) in try ConsoleRenderer() }
        let forms = ConsoleForms()
        registerResearcher(on: router, dependencies: dependencies, forms: forms, compiled: compiled)
        registerVisiting(on: router, dependencies: dependencies, forms: forms, compiled: compiled)
        registerSecretariat(on: router, admin: admin, forms: forms, compiled: compiled)
        registerAudit(on: router, log: log, compiled: compiled)
        let stylesheet = ByteBuffer(string: ConsoleRenderer.stylesheet)
        router.get("/console/static/console.css", access: .serviceInformation) { _, _ in
            Response(status: .ok, headers: headers(contentType: "text/css; charset=utf-8"), body: .init(byteBuffer: stylesheet))
        }
        router.get("/console", access: .serviceInformation, takesQuery: true) { request, context in
            let (viewer, member, policy) = try viewer(request, context)
            guard let connection = context.connection else { throw GatewayError(.noPeerIdentity, "the connection has no verified client certificate") }
            let organization = policy.state.organizations[member.organization]
            let words = ConsoleTextLookup(viewer.language)
            let values: [String: Any] = [
                "organization": organization.map { "\($0.name) (\($0.id))" } ?? member.organization,
                "country": organization?.country ?? "",
                "certificate": connection.peer.subject,
                "tls": "\(connection.protocolVersion), \(connection.cipherSuite)",
                "policyVersion": String(policy.version),
                "pages": ConsoleRenderer.pages(for: member.role, language: viewer.language).map { ["href": $0.href, "label": $0.label] },
            ]
            return try page(compiled.get().render(.init(template: .home, title: words["home"], values: values), for: viewer), kind: "console-home", context)
        }
    }

    /// The page's viewer (its member, role and language) from the request; any parameter but
    /// `lang` is refused, as every route refuses what it does not read.
    static func viewer(_ request: Request, _ context: GatewayRequestContext) throws(GatewayError) -> (ConsoleRenderer.Viewer, Member, PolicySnapshot) {
        let (viewer, member, policy, _) = try viewer(request, context, taking: [])
        return (viewer, member, policy)
    }

    /// The page's viewer and the page's own parameters: those named in `taking`, each at most
    /// once (empty values are dropped, as an empty form field means no filter); `lang` is the
    /// language switch; any other parameter is refused with a message naming it.
    static func viewer(_ request: Request, _ context: GatewayRequestContext, taking names: Set<String>) throws(GatewayError)
        -> (ConsoleRenderer.Viewer, Member, PolicySnapshot, [String: String])
    {
        let member = try context.requireMember()
        guard let policy = context.policy else { throw GatewayError(.policyUnavailable, "no policy is in force for this request") }
        var override: String?
        var parameters: [String: String] = [:]
        for (name, value) in try request.uri.singleValuedParameters() {
            if name == "lang" {
                guard ConsoleLanguage(rawValue: value) != nil else { throw GatewayError(.badRequest, "lang must be en or ja, not '\(value.prefix(20))'") }
                override = value
            } else if names.contains(name) {
                if !value.isEmpty { parameters[name] = value }
            } else {
                let accepted = (names.sorted() + ["lang"]).joined(separator: ", ")
                throw GatewayError(.badRequest, "this page takes \(accepted), not '\(name.prefix(40))'")
            }
        }
        let language = ConsoleLanguage.negotiate(acceptLanguage: request.headers[.acceptLanguage], override: override)
        let viewer = ConsoleRenderer.Viewer(memberID: member.id, role: member.role, path: request.uri.path, language: language, parameters: parameters)
        return (viewer, member, policy, parameters)
    }

    /// An HTML page with the console's headers, summarised for the audit record.
    static func page(_ html: String, kind: String, _ context: GatewayRequestContext) throws -> Response {
        context.record.withLockedValue { $0.returned = .init(kind: kind) }
        return Response(status: .ok, headers: headers(contentType: "text/html; charset=utf-8"), body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    static func headers(contentType: String) -> HTTPFields {
        var fields: HTTPFields = [.contentType: contentType]
        for header in ConsoleHeaders.all { if let name = HTTPField.Name(header.name) { fields[name] = header.value } }
        return fields
    }

    /// A date as the policy's day (Japan time), `2026-04-01`.
    static func day(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Tokyo") ?? .gmt
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    /// A budget figure to three decimals.
    static func amount(_ value: Double) -> String { String(format: "%.3f", value) }
}

/// A console word, or its key when the language has none.
struct ConsoleTextLookup {
    let words: [String: String]
    init(_ language: ConsoleLanguage) { words = ConsoleText.words(language) }
    subscript(_ key: String) -> String { words[key] ?? key }
}
