import AuditLog
import Foundation
import GatewayCore
import GatewayPolicy
import Hummingbird
import WebConsole

extension ConsoleRoutes {
    /// Records per audit page.
    static let auditPageSize = 50
    /// The export's filters, which the page takes too.
    static let auditFilters = ["member", "organization", "approval", "decision", "from_time", "to_time", "from_sequence", "to_sequence"]

    /// The auditors' log page: the export's filters (member, organization, approval, decision,
    /// time), 50 records a page by sequence (`after`: keyset paging, as fast at the millionth
    /// record as at the first), export links for the same filters, and the last signed
    /// checkpoint.
    static func registerAudit(on router: Router<GatewayRequestContext>, log: AuditLog, compiled: Result<ConsoleRenderer, GatewayError>) {
        router.get("/console/audit", access: .audit, takesQuery: true) { request, context in
            // lang and after are the page's own; empty fields of the filter form mean no filter.
            var parameters: [(name: String, value: String)] = []
            var after = 0
            var language: String?
            for (name, value) in try request.uri.singleValuedParameters() {
                switch name {
                case "lang":
                    guard ConsoleLanguage(rawValue: value) != nil else { throw GatewayError(.badRequest, "lang must be en or ja") }
                    language = value
                case "after":
                    guard let number = DecimalInteger.parse(value), number >= 0 else { throw GatewayError(.badRequest, "after must be a record's sequence number") }
                    after = number
                case "format": throw GatewayError(.badRequest, "the page takes no format; use its export links")
                default:
                    guard auditFilters.contains(name) else {
                        throw GatewayError(.badRequest, "unknown parameter '\(name.prefix(40))' (\(auditFilters.joined(separator: ", ")), lang, after)")
                    }
                    if !value.isEmpty { parameters.append((name, value)) }
                }
            }
            let (query, _) = try AuditRoutes.parse(parameters)
            let member = try context.requireMember()
            let viewer = ConsoleRenderer.Viewer(memberID: member.id, role: member.role, path: request.uri.path,
                                                language: ConsoleLanguage.negotiate(acceptLanguage: request.headers[.acceptLanguage], override: language))
            let words = ConsoleTextLookup(viewer.language)
            let entries = try await log.database.records(query, after: after, limit: auditPageSize)
            let records: [[String: Any]] = entries.compactMap { entry in
                guard let record = try? JSONDecoder().decode(AuditRecord.self, from: Data(entry.canonical.utf8)) else { return nil }
                return ["sequence": entry.sequence, "time": record.time, "member": record.member ?? "–", "organization": record.organization ?? "",
                        "method": record.method, "path": record.path, "decision": record.decision, "reasons": record.reasons.joined(separator: " "),
                        "status": record.status, "kind": record.returned?.kind ?? ""]
            }
            let filterQuery = parameters.map { "\($0.name)=\(percentEncoded($0.value))" }.joined(separator: "&")
            let languagePart = language.map { "lang=\($0)" }
            func link(_ parts: [String?]) -> String {
                let joined = parts.compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "&")
                return joined.isEmpty ? "" : "?" + joined
            }
            let values: [String: Any] = [
                "filters": [("member", words["member"]), ("organization", words["organization"]), ("approval", words["approvalFilter"]),
                            ("from_time", words["from"]), ("to_time", words["to"])].map { name, label in
                    ["name": name, "label": label, "value": parameters.first { $0.name == name }?.value ?? ""]
                },
                "decisions": [("", words["any"]), ("allow", "allow"), ("deny", "deny")].map { value, label in
                    ["value": value, "label": label, "selected": (query.decision ?? "") == value]
                },
                "languageField": language as Any,
                "exportJSON": "/api/audit/records" + link([filterQuery]),
                "exportCSV": "/api/audit/records" + link([filterQuery, "format=csv"]),
                "checkpoint": (try? log.database.lastCheckpoint()).flatMap { $0 }.map { "\(words["checkpoint"]) \($0.sequence)" } ?? "",
                "records": records,
                "next": entries.count == auditPageSize ? "/console/audit" + link([filterQuery, "after=\(entries.last?.sequence ?? 0)", languagePart]) : nil as String? as Any,
            ]
            let html = try compiled.get().render(.init(template: .auditLog, title: words["auditLog"], values: values), for: viewer)
            return try page(html, kind: "console-audit-log", context)
        }
    }

    /// `text` percent-encoded for a query value.
    static func percentEncoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~:")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
