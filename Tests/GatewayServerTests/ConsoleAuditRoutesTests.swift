import AuditLog
import Foundation
import GatewayServer
import GatewayTestSupport
import GRDB
import Testing

/// The auditors' pages through the real gateway over mutual TLS: one record in full with its
/// hashes and checkpoint, the gateway's verification (which turns to FAIL naming the record
/// changed in the SQLite file behind its back), the usage report and its CSV counting exactly
/// the records made here, bad parameters named, other roles refused.
@Suite("Web console: the auditors' pages")
struct ConsoleAuditRoutesTests {
    static func get(_ client: TestTLSClient, _ path: String, headers: [(String, String)] = []) async throws -> TestTLSClient.Response {
        try await ConsoleRoutesTests.get(client, path, headers: headers)
    }

    /// The export's lines (after it signs the head) as objects.
    static func exported(_ auditor: TestTLSClient, _ query: String = "") async throws -> [[String: Any]] {
        let text = try await Self.get(auditor, "/api/audit/records" + query).text
        return try text.split(separator: "\n").map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    }

    static var today: String { String(AuditTime.format(Date()).prefix(10)) }
    static var tomorrow: String { String(AuditTime.format(Date().addingTimeInterval(86_400)).prefix(10)) }

    @Test("one record in full: its fields, its hash and the previous one, the checkpoint that signs it, links to its neighbours")
    func recordPage() async throws {
        try await TestGateway.with { gateway in
            let researcher = try await gateway.client("researcher-jp")
            _ = try await Self.get(researcher, "/console")
            _ = try await Self.get(researcher, "/console/approvals?lang=ja")
            let auditor = try await gateway.client("auditor")
            let line = try #require(try await Self.exported(auditor, "?member=researcher-jp").last)
            let sequence = try #require(line["sequence"] as? Int)
            let record = try #require(line["record"] as? [String: Any])
            let page = try await Self.get(auditor, "/console/audit/records/\(sequence)")
            #expect(page.status == 200 && page.headers["content-security-policy"] != nil, "\(page.text.prefix(300))")
            let html = page.text
            #expect(html.contains(#"<tr id="field-path"><th>Path</th><td class="value">/console/approvals</td>"#), "\(html)")
            #expect(html.contains(#"<tr id="field-query"><th>Query</th><td class="value">lang=ja</td>"#))
            #expect(html.contains(#"<tr id="field-member"><th>Member</th><td class="value">researcher-jp</td>"#))
            #expect(html.contains(#"id="field-returned_kind""#) && html.contains("console-approvals"))
            let requestID = try #require(record["request_id"] as? String), fingerprint = try #require(record["certificate_fingerprint"] as? String)
            let hash = try #require(line["hash"] as? String), previousHash = try #require(line["prev_hash"] as? String)
            #expect(html.contains(requestID) && html.contains(fingerprint))
            #expect(html.contains(#"id="hash">\#(hash)<"#), "its own hash")
            #expect(html.contains(#"id="prev-hash">\#(previousHash)<"#), "the previous record's hash")
            #expect(html.contains(#"id="hash-check" class="pass""#))
            #expect(html.contains(#"id="checkpoint">checkpoint at record"#), "the export signed it: \(html)")
            #expect(!html.contains(#"href="nil""#))
            let first = try await Self.get(auditor, "/console/audit/records/1")
            #expect(first.status == 200 && !first.text.contains(#"rel="prev""#) && first.text.contains(#"rel="next""#), "record 1 has no previous")
            #expect(html.contains(#"href="/console/audit/records/\#(sequence - 1)""#) && html.contains(#"href="/console/audit/records/\#(sequence + 1)""#), "\(html)")
            #expect(html.contains("&quot;path&quot;:&quot;/console/approvals&quot;"), "the canonical text, escaped")
            let japanese = try await Self.get(auditor, "/console/audit/records/\(sequence)?lang=ja")
            #expect(japanese.text.contains("ハッシュチェーン") && japanese.text.contains("?lang=ja"))
            // The log page links each record to its page and pages back.
            let log = try await Self.get(auditor, "/console/audit?member=researcher-jp")
            #expect(log.text.contains(#"<a href="/console/audit/records/\#(sequence)">\#(sequence)</a>"#), "\(log.text)")
            #expect(log.text.contains(#"<time datetime=""#) && log.text.contains(" UTC</time>"))
        }
    }

    /// The sequences of the rows of a log page, in order.
    static func rows(_ html: String) -> [Int] {
        html.components(separatedBy: #"<tr class="record" id="record-"#).dropFirst().compactMap { Int($0.prefix { $0.isNumber }) }
    }

    /// The link `rel` of a page, unescaped.
    static func link(_ html: String, rel: String) -> String? {
        guard let range = html.range(of: #"rel="\#(rel)""#) else { return nil }
        let before = html[..<range.lowerBound]
        guard let start = before.range(of: #"href=""#, options: .backwards) else { return nil }
        return String(before[start.upperBound...].prefix { $0 != "\"" }).replacingOccurrences(of: "&amp;", with: "&")
    }

    @Test("the log page pages forwards by keyset and back again, filtered, with no link where there is no page")
    func paging() async throws {
        try await TestGateway.with { gateway in
            let researcher = try await gateway.client("researcher-jp")
            for _ in 0..<55 { _ = try await Self.get(researcher, "/console") }
            let auditor = try await gateway.client("auditor")
            let first = try await Self.get(auditor, "/console/audit?member=researcher-jp").text
            #expect(Self.rows(first).count == 50 && Self.rows(first) == Self.rows(first).sorted() && Self.link(first, rel: "prev") == nil, "\(first)")
            #expect(!first.contains(#"href="nil""#))
            let next = try #require(Self.link(first, rel: "next"))
            #expect(next == "/console/audit?member=researcher-jp&after=\(Self.rows(first).last ?? 0)")
            let second = try await Self.get(auditor, next).text
            #expect(Self.rows(second).count == 5 && (Self.rows(second).first ?? 0) > (Self.rows(first).last ?? 0), "\(second)")
            #expect(Self.link(second, rel: "next") == nil)
            let back = try await Self.get(auditor, try #require(Self.link(second, rel: "prev"))).text
            #expect(Self.rows(back) == Self.rows(first), "the previous page is the first page again")
            // A time filter pages by arrival time, with the same links.
            let timed = try await Self.get(auditor, "/console/audit?member=researcher-jp&from_time=\(Self.today)").text
            #expect(Self.rows(timed) == Self.rows(first) && timed.contains("in order of arrival"), "a date alone is its midnight, UTC")
        }
    }

    @Test("verification: PASS over the signed log, then FAIL naming the first bad record once a record is changed in the SQLite file; the API says the same")
    func verification() async throws {
        let data = DevPKI.temporaryFolder("data")
        try await TestGateway.with(dataDirectory: data) { gateway in
            let researcher = try await gateway.client("researcher-jp")
            for _ in 0..<4 { _ = try await Self.get(researcher, "/console") }
            let auditor = try await gateway.client("auditor")
            let passing = try await Self.get(auditor, "/console/audit/verification")
            #expect(passing.status == 200 && passing.text.contains(#"<p class="verdict pass" id="verdict">PASS</p>"#), "\(passing.text)")
            #expect(passing.text.contains(#"<dd id="range">1–"#) && !passing.text.contains("first-bad-record"))
            let api = try await Self.get(auditor, "/api/audit/verify")
            let report = try api.json()
            #expect(api.status == 200 && report["result"] as? String == "pass" && report["first_sequence"] as? Int == 1, "\(api.text)")
            #expect((report["records"] as? Int ?? 0) >= 5 && report["records"] as? Int == report["last_sequence"] as? Int)

            // Change the text of the researcher's second page view in the store, as someone with the file could.
            let lines = try await Self.exported(auditor, "?member=researcher-jp")
            let target = try #require(lines.dropFirst().first?["sequence"] as? Int)
            let queue = try DatabaseQueue(path: data + "/audit.sqlite")
            try await queue.write { db in
                try db.execute(sql: "DROP TRIGGER audit_record_immutable")
                try db.execute(sql: #"UPDATE audit_record SET record = replace(record, '"member":"researcher-jp"', '"member":"researcher-us"') WHERE sequence = ?"#,
                               arguments: [target])
                #expect(db.changesCount == 1)
            }
            let failing = try await Self.get(auditor, "/console/audit/verification")
            #expect(failing.status == 200 && failing.text.contains(#"<p class="verdict fail" id="verdict">FAIL</p>"#), "\(failing.text)")
            #expect(failing.text.contains(#"id="first-bad-record">First bad record: <a href="/console/audit/records/\#(target)">\#(target)</a>"#), "\(failing.text)")
            #expect(failing.text.contains("the record was changed"))
            let failed = try await Self.get(auditor, "/api/audit/verify").json()
            #expect(failed["result"] as? String == "fail" && (failed["failure"] as? [String: Any])?["sequence"] as? Int == target, "\(failed)")
            let record = try await Self.get(auditor, "/console/audit/records/\(target)")
            #expect(record.text.contains(#"id="hash-check" class="fail""#), "the record's own page shows its hash no longer follows")
        }
    }

    @Test("usage report: counts per approval match the records made here; CSV download of the same")
    func usage() async throws {
        try await TestGateway.with { gateway in
            let researcher = try await gateway.client("researcher-jp")
            for _ in 0..<3 { _ = try await PolicyAPITests.send(researcher, "GET", PolicyAPITests.everyone) }
            let auditor = try await gateway.client("auditor")
            let under = try await Self.exported(auditor, "?approval=A-2026-001")
            #expect(under.count >= 3)
            let records = under.compactMap { $0["record"] as? [String: Any] }
            let allowed = records.filter { $0["decision"] as? String == "allow" }.count
            let period = "from=\(Self.today)&to=\(Self.tomorrow)"
            let page = try await Self.get(auditor, "/console/audit/usage?" + period)
            #expect(page.status == 200, "\(page.text.prefix(300))")
            let html = page.text
            let row = try #require(html.range(of: #"<tr class="usage-row" id="usage-A-2026-001">"#).map { html[$0.lowerBound...].prefix { $0 != "\n" } })
            #expect(row.contains(#"<td class="requests">\#(under.count)</td>"#) && row.contains(#"<td class="allowed">\#(allowed)</td>"#), "\(row)")
            #expect(row.contains(#"<td class="denied">\#(under.count - allowed)</td>"#) && row.contains(#"<td class="members">1</td>"#), "\(row)")
            let csv = try await Self.get(auditor, "/console/audit/usage?\(period)&format=csv")
            #expect(csv.status == 200 && csv.headers["content-type"]?.hasPrefix("text/csv") == true)
            #expect(csv.headers["content-disposition"] == "attachment; filename=\"genomegate-usage-\(Self.today)-\(Self.tomorrow).csv\"")
            let line = try #require(csv.text.split(separator: "\n").first { $0.contains(",A-2026-001,") })
            #expect(line.hasPrefix("\(Self.today)T00:00:00.000Z,\(Self.tomorrow)T00:00:00.000Z,A-2026-001,causal-gene-research,") && line.contains(",\(under.count),\(allowed),\(under.count - allowed),"), "\(line)")
            let export = try await Self.get(auditor, "/api/audit/records?format=csv")
            #expect(export.headers["content-disposition"] == #"attachment; filename="audit-records.csv""#, "the export downloads")
            let japanese = try await Self.get(auditor, "/console/audit/usage?lang=ja")
            #expect(japanese.status == 200 && japanese.text.contains("利活用状況"))
        }
    }

    @Test("bad parameters are refused naming them", arguments: [
        ("/console/audit/records/abc", "sequence &#39;abc&#39;"), ("/console/audit/records/0", "sequence &#39;0&#39;"),
        ("/console/audit/records/99999999999999999999", "sequence &#39;99999999999999999999&#39;"),
        ("/console/audit/records/1?format=csv", "not &#39;format&#39;"),
        ("/console/audit/usage?from=2026-13-01", "from &#39;2026-13-01&#39;"), ("/console/audit/usage?to=tomorrow", "to &#39;tomorrow&#39;"),
        ("/console/audit/usage?from=2026-12-01&to=2026-11-01", "is not before to"), ("/console/audit/usage?from=2024-01-01&to=2026-01-01", "more than 366 days"),
        ("/console/audit/usage?format=pdf", "format must be html or csv"),
        ("/console/audit/verification?from_sequence=-1", "from_sequence &#39;-1&#39;"),
        ("/console/audit/verification?from_sequence=999999999", "after the last signed record"),
        ("/console/audit?after=x", "after &#39;x&#39;"), ("/console/audit?after=1&before=9", "not both"),
        ("/console/audit?from_time=yesterday", "from_time &#39;yesterday&#39;"),
        ("/api/audit/verify?from_sequence=0", "from_sequence &#39;0&#39;"), ("/api/audit/verify?to=1", "unknown query parameter"),
    ])
    func badParameters(path: String, named: String) async throws {
        try await TestGateway.with { gateway in
            let auditor = try await gateway.client("auditor")
            let answer = try await Self.get(auditor, path)
            let text = path.hasPrefix("/api/") ? answer.text.replacingOccurrences(of: "'", with: "&#39;") : answer.text
            #expect(answer.status == 400 && text.contains(named), "\(path): \(answer.status) \(answer.text.prefix(600))")
        }
    }

    @Test("a record that is not there is a 404 page; other roles get the API's 403 on every auditor page")
    func refusals() async throws {
        try await TestGateway.with { gateway in
            let auditor = try await gateway.client("auditor")
            let missing = try await Self.get(auditor, "/console/audit/records/999999")
            #expect(missing.status == 404 && missing.text.contains("there is no audit record 999999"), "\(missing.text.prefix(400))")
            for role in ["researcher-jp", "secretariat"] {
                let client = try await gateway.client(role)
                for path in ["/console/audit/records/1", "/console/audit/verification", "/console/audit/usage", "/console/audit/usage?format=csv", "/api/audit/verify"] {
                    let refused = try await Self.get(client, path)
                    #expect(refused.status == 403 && refused.text.contains("role_forbidden"), "\(role) \(path): \(refused.status)")
                }
                let home = try await Self.get(client, "/console")
                #expect(!home.text.contains("/console/audit/usage"), "\(role)'s navigation has no auditor page")
            }
            let home = try await Self.get(auditor, "/console")
            #expect(home.text.contains(#"href="/console/audit/verification""#) && home.text.contains(#"href="/console/audit/usage""#))
        }
    }
}
