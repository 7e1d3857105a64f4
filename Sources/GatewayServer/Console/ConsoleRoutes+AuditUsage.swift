import AuditLog
import Foundation
import GatewayCore
import GatewayPolicy
import Hummingbird
import NIOConcurrencyHelpers
import Synchronization
import WebConsole

extension ConsoleRoutes {
    /// The longest period one usage report covers.
    static let usageMaximumDays = 366
    /// The most records one report reads (about 5 s on two busy cores); a longer period is refused.
    static let usageMaximumRecords = 500_000
    /// Reports computed at once, process-wide; more are refused (429) rather than queued.
    static let usageReportsRunning = Mutex(0)

    /// The usage report (`/console/audit/usage?from=…&to=…`, `&format=csv` for the same as a
    /// download): per approval and its purpose over a period, the requests, answers allowed and
    /// denied, answer kinds, members and organizations involved and privacy budget charged,
    /// counted from the audit records (members' activity, never people); one aggregation over
    /// one range of the time index (``AuditDatabase/usage(from:to:)``), the period at most a year.
    static func registerAuditUsage(on router: Router<GatewayRequestContext>, log: AuditLog, compiled: Result<ConsoleRenderer, GatewayError>) {
        router.get("/console/audit/usage", access: .audit, takesQuery: true) { request, context in
            // Seconds of work on a GET: not for another site to start through an auditor's browser.
            try ConsoleFetchMetadata.refuseOtherSites(request)
            let (viewer, _, policy, taken) = try viewer(request, context, taking: ["from", "to", "format"])
            let csv: Bool
            switch taken["format"] {
            case nil, "html": csv = false
            case "csv": csv = true
            case let other?: throw GatewayError(.badRequest, "format must be html or csv, not '\(other.prefix(20))'")
            }
            let (from, to) = try usagePeriod(from: taken["from"], to: taken["to"])
            let usage = try await boundedUsage(log.database, from: AuditTime.format(from), to: AuditTime.format(to))
            let approvals = policy.state.approvals
            if csv {
                context.record.withLockedValue { $0.returned = .init(kind: "console-audit-usage-csv") }
                var headers = headers(contentType: "text/csv; charset=utf-8")
                headers[.contentDisposition] = "attachment; filename=\"genomegate-usage-\(usageDay(from))-\(usageDay(to)).csv\""
                let text = usage.csv { approvals[$0]?.purpose.rawValue ?? "" }
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
            }
            let words = ConsoleTextLookup(viewer.language)
            let rows: [[String: Any]] = usage.rows.map { row in
                let approval = row.approval.flatMap { approvals[$0] }
                return [
                    "approval": row.approval ?? words["noApproval"], "id": row.approval ?? "none",
                    "title": approval?.title ?? "", "purpose": approval?.purpose.rawValue ?? "",
                    "requests": row.requests, "allowed": row.allowed, "denied": row.denied,
                    "kinds": row.kinds.map { "\($0.kind) \($0.count)" }.joined(separator: ", "),
                    "members": row.members, "organizations": row.organizations.joined(separator: ", "),
                    "charge": amount(Double(row.privacyChargeMicro) / 1_000_000),
                ]
            }
            let period = "from=\(usageDay(from))&to=\(usageDay(to))"
            let values: [String: Any] = [
                "from": usageDay(from), "to": usageDay(to), "rows": rows,
                "total": usage.rows.reduce(0) { $0 + $1.requests },
                "csv": "/console/audit/usage?\(period)&format=csv",
                "languageField": viewer.language == .english ? nil as String? as Any : viewer.language.rawValue,
            ]
            let html = try compiled.get().render(.init(template: .auditUsage, title: words["auditUsage"], values: present(values)), for: viewer)
            return try page(html, kind: "console-audit-usage", context)
        }
    }

    /// The usage of a period of at most ``usageMaximumRecords`` records, two reports at a time.
    static func boundedUsage(_ database: AuditDatabase, from: String, to: String) async throws(GatewayError) -> AuditUsage {
        let admitted = usageReportsRunning.withLock { running -> Bool in
            guard running < 2 else { return false }
            running += 1
            return true
        }
        guard admitted else { throw GatewayError(.tooManyJobs, "2 usage reports are being computed already; try again in a moment") }
        defer { usageReportsRunning.withLock { $0 -= 1 } }
        let count = try await database.recordCount(from: from, to: to)
        guard count <= usageMaximumRecords else {
            throw GatewayError(.badRequest, "from \(from) to \(to) holds \(count) audit records; a report reads at most \(usageMaximumRecords): choose a shorter period")
        }
        return try await database.usage(from: from, to: to)
    }

    /// The report's period: `from` (inclusive) and `to` (exclusive), each a date (`2026-11-01`,
    /// midnight UTC) or an RFC 3339 time; by default the last 30 days up to tomorrow. At most
    /// ``usageMaximumDays`` long; refused naming the parameter otherwise.
    static func usagePeriod(from: String?, to: String?, now: Date = Date()) throws(GatewayError) -> (Date, Date) {
        func date(_ name: String, _ text: String) throws(GatewayError) -> Date {
            guard let date = AuditTime.parse(auditTimeParameter(text)) else {
                throw GatewayError(.badRequest, "\(name) '\(text.prefix(40))' is not a date (2026-11-01) or an RFC 3339 time from \(AuditTime.earliest) to \(AuditTime.latest)")
            }
            return date
        }
        let today = Date(timeIntervalSince1970: (now.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400)
        let end = try to.map { text throws(GatewayError) in try date("to", text) } ?? today.addingTimeInterval(86_400)
        let start = try from.map { text throws(GatewayError) in try date("from", text) } ?? end.addingTimeInterval(-30 * 86_400)
        guard start < end else {
            throw GatewayError(.badRequest, "from \(AuditTime.format(start)) is not before to \(AuditTime.format(end)): the period is empty")
        }
        guard end.timeIntervalSince(start) <= Double(usageMaximumDays) * 86_400 else {
            throw GatewayError(.badRequest, "from and to span more than \(usageMaximumDays) days; report a year or less at a time")
        }
        return (start, end)
    }

    /// A period's bound as shown and linked: the day when it is midnight UTC, else the full time.
    static func usageDay(_ date: Date) -> String {
        let text = AuditTime.format(date)
        return text.hasSuffix("T00:00:00.000Z") ? String(text.prefix(10)) : text
    }
}
