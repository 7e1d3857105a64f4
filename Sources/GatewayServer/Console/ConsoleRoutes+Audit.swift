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
    /// time), 50 records a page by keyset (`after` / `before` a sequence: as fast a million
    /// records in as on the first page; ``AuditDatabase/page(_:from:limit:)``), each record
    /// linking to its page, export links for the same filters, and the last signed checkpoint.
    static func registerAudit(on router: Router<GatewayRequestContext>, log: AuditLog, compiled: Result<ConsoleRenderer, GatewayError>) {
        router.get("/console/audit", access: .audit, takesQuery: true) { request, context in
            let (viewer, _, _, taken) = try viewer(request, context, taking: Set(auditFilters + ["after", "before"]))
            var cursor = AuditPageCursor.start
            for name in ["after", "before"] {
                guard let text = taken[name] else { continue }
                guard let number = DecimalInteger.parse(text), number >= 0 else {
                    throw GatewayError(.badRequest, "\(name) '\(text.prefix(40))' is not a record's sequence number")
                }
                guard case .start = cursor else { throw GatewayError(.badRequest, "give after or before, not both") }
                cursor = name == "after" ? .after(number) : .before(number)
            }
            // The filters in the form's order, dates alone read as midnight UTC.
            let parameters = auditFilters.compactMap { name -> (name: String, value: String)? in
                taken[name].map { (name, name.hasSuffix("_time") ? auditTimeParameter($0) : $0) }
            }
            let (query, _) = try AuditRoutes.parse(parameters)
            let words = ConsoleTextLookup(viewer.language)
            let entries = try await log.database.page(query, from: cursor, limit: auditPageSize)
            let language = viewer.language == .english ? nil : "lang=\(viewer.language.rawValue)"
            let records: [[String: Any]] = entries.compactMap { entry in
                guard let record = try? JSONDecoder().decode(AuditRecord.self, from: Data(entry.canonical.utf8)) else { return nil }
                return ["sequence": entry.sequence, "href": "/console/audit/records/\(entry.sequence)" + (language.map { "?" + $0 } ?? ""),
                        "time": readableTime(record.time), "datetime": record.time, "member": record.member ?? "–",
                        "organization": record.organization ?? "", "method": record.method, "path": record.path, "decision": record.decision,
                        "reasons": record.reasons.joined(separator: " "), "status": record.status, "kind": record.returned?.kind ?? ""]
            }
            // A synchronous SQLite read, so on the thread pool: on Swift's cooperative pool, page loads
            // waiting there for a reader (held by async reads that need that pool to finish) froze every task.
            let checkpoint = (try? await BlockingWork.run { () throws(GatewayError) in try log.database.lastCheckpoint() }).flatMap { $0 }
            let filterQuery = parameters.map { "\($0.name)=\(percentEncoded($0.value))" }.joined(separator: "&")
            func link(_ parts: [String?]) -> String {
                let joined = parts.compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "&")
                return joined.isEmpty ? "" : "?" + joined
            }
            // Next: there may be more when the page is full (or we came back from a later page);
            // previous: when we came from an earlier page (or went back and the page is full).
            let full = entries.count == auditPageSize
            let (fromEarlier, fromLater) = switch cursor {
            case .start: (false, false)
            case .after(let sequence): (sequence > 0, false)
            case .before: (false, true)
            }
            var next: String?, previous: String?
            if let last = entries.last, full || fromLater {
                next = "/console/audit" + link([filterQuery, "after=\(last.sequence)", language])
            }
            if let first = entries.first, fromEarlier || (fromLater && full) {
                previous = "/console/audit" + link([filterQuery, "before=\(first.sequence)", language])
            }
            let values: [String: Any] = [
                "filters": [("member", words["member"]), ("organization", words["organization"]), ("approval", words["approvalFilter"]),
                            ("from_time", words["from"]), ("to_time", words["to"])].map { name, label in
                    ["name": name, "label": label, "value": taken[name] ?? "", "placeholder": name.hasSuffix("_time") ? "2026-11-30 / 2026-11-30T09:00:00Z" : ""]
                },
                "decisions": [("", words["any"]), ("allow", "allow"), ("deny", "deny")].map { value, label in
                    ["value": value, "label": label, "selected": (query.decision ?? "") == value]
                },
                "languageField": viewer.language == .english ? nil as String? as Any : viewer.language.rawValue,
                "exportJSON": "/api/audit/records" + link([filterQuery]),
                "exportCSV": "/api/audit/records" + link([filterQuery, "format=csv"]),
                "checkpoint": checkpoint.map { "\(words["checkpoint"]) \($0.sequence)" } ?? "",
                "order": query.fromTime != nil || query.toTime != nil ? words["auditOrderTime"] : words["auditOrderSequence"],
                "records": records,
                "next": next as Any,
                "previous": previous as Any,
            ]
            let html = try compiled.get().render(.init(template: .auditLog, title: words["auditLog"], values: present(values)), for: viewer)
            return try page(html, kind: "console-audit-log", context)
        }
        registerAuditRecord(on: router, log: log, compiled: compiled)
        registerAuditVerification(on: router, log: log, compiled: compiled)
        registerAuditUsage(on: router, log: log, compiled: compiled)
    }

    /// `values` without the entries that are an absent optional: boxed in `Any`, a nil would be
    /// rendered as the text "nil" (a link to "nil") instead of leaving its section out.
    static func present(_ values: [String: Any]) -> [String: Any] {
        values.filter { _, value in
            let mirror = Mirror(reflecting: value)
            return mirror.displayStyle != .optional || !mirror.children.isEmpty
        }
    }

    /// A time filter as typed: a date alone (`2026-11-30`) means its first instant, UTC; anything
    /// else goes to the export's RFC 3339 check as it is.
    static func auditTimeParameter(_ text: String) -> String {
        let isDate = text.utf8.count == 10 && text.enumerated().allSatisfy { index, character in
            index == 4 || index == 7 ? character == "-" : character.isASCII && character.isNumber
        }
        return isDate ? text + "T00:00:00Z" : text
    }

    /// An audit time (`2026-11-27T16:01:46.123Z`) as people read it: `2026-11-27 16:01:46 UTC`.
    static func readableTime(_ time: String) -> String {
        guard time.utf8.count >= 19 else { return time }
        let date = time.prefix(10), clock = time.dropFirst(11).prefix(8)
        return "\(date) \(clock) UTC"
    }

    /// `text` percent-encoded for a query value.
    static func percentEncoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~:")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
