import Foundation
import GatewayServer
import GatewayTestSupport
import Testing

/// An adversary's attempts on the web console through the real gateway over mutual TLS: forged
/// and cross-site form posts on every state-changing route, markup in everything a page shows,
/// numbers and cursors at their extremes, each role on every other role's pages. Every attempt
/// asserts its refusal (and that nothing changed); the findings' regression tests are marked.
@Suite("Web console: attacks through the gateway")
struct ConsoleAttackTests {
    typealias Routes = ConsoleRoutesTests
    static let sameOrigin = [("Origin", "https://localhost"), ("Sec-Fetch-Site", "same-origin")]

    /// A state-changing console form: the page that issues its token, who may post it, the
    /// fields that would make the change, and the content type it is posted as.
    struct Form: Sendable, CustomStringConvertible {
        var member: String
        var page: String
        var action: String
        var fields: String
        var multipart = false
        var description: String { action }
    }

    static let forms: [Form] = [
        Form(member: "secretariat", page: "/console/secretariat/approvals", action: "/console/secretariat/approvals/A-2026-001/suspend", fields: "reason=forged"),
        Form(member: "secretariat", page: "/console/secretariat/approvals/A-2026-001", action: "/console/secretariat/approvals/A-2026-001/revoke",
             fields: "reason=forged&back=detail"),
        Form(member: "secretariat", page: "/console/secretariat/approvals/A-2026-001", action: "/console/secretariat/approvals/A-2026-001/privacy-budget",
             fields: "budget=0.001"),
        Form(member: "secretariat", page: "/console/secretariat/members", action: "/console/secretariat/members/researcher-us/suspend", fields: "reason=forged"),
        Form(member: "secretariat", page: "/console/secretariat/members", action: "/console/secretariat/members/researcher-us/certificates",
             fields: "fingerprint=" + String(repeating: "ab", count: 32)),
        Form(member: "secretariat", page: "/console/secretariat/organizations", action: "/console/secretariat/jurisdictions",
             fields: "country=US&name=Forged&effective_from=2026-01-01"),
        Form(member: "secretariat", page: "/console/secretariat/withdrawals", action: "/console/secretariat/withdrawals", fields: "", multipart: true),
    ]

    /// What a forged post looks like: its extra headers, how its body is made from the form's
    /// token and fields, and the refusal it must get.
    struct Forgery: Sendable, CustomStringConvertible {
        var name: String
        var headers: [(String, String)]
        var contentType: String? = "application/x-www-form-urlencoded"
        var body: @Sendable (_ token: String, _ fields: String) -> String = { "token=\($0)&\($1)" }
        var status: Int
        var code: String
        var description: String { name }
    }

    static let forgeries: [Forgery] = [
        Forgery(name: "Sec-Fetch-Site cross-site", headers: [("Sec-Fetch-Site", "cross-site")], status: 403, code: "cross_site_request"),
        Forgery(name: "Sec-Fetch-Site same-site (a sibling subdomain)", headers: [("Sec-Fetch-Site", "same-site")], status: 403, code: "cross_site_request"),
        Forgery(name: "Sec-Fetch-Site none", headers: [("Sec-Fetch-Site", "none")], status: 403, code: "cross_site_request"),
        Forgery(name: "Origin of another site", headers: [("Origin", "https://evil.example")], status: 403, code: "cross_site_request"),
        Forgery(name: "Origin that starts like this one", headers: [("Origin", "https://localhost.evil.example")], status: 403, code: "cross_site_request"),
        Forgery(name: "Origin on another port", headers: [("Origin", "https://localhost:444")], status: 403, code: "cross_site_request"),
        Forgery(name: "Origin over http", headers: [("Origin", "http://localhost")], status: 403, code: "cross_site_request"),
        Forgery(name: "Origin null without Sec-Fetch-Site", headers: [("Origin", "null")], status: 403, code: "cross_site_request"),
        Forgery(name: "same-origin headers but another site's Origin", headers: [("Origin", "https://evil.example"), ("Sec-Fetch-Site", "same-origin")],
                status: 403, code: "cross_site_request"),
        Forgery(name: "no token", headers: sameOrigin, body: { _, fields in fields }, status: 403, code: "cross_site_request"),
        Forgery(name: "a made-up token", headers: sameOrigin, body: { _, fields in "token=\(String(repeating: "0", count: 32))&\(fields)" },
                status: 403, code: "cross_site_request"),
        Forgery(name: "the token twice", headers: sameOrigin, body: { token, fields in "token=\(token)&token=\(token)&\(fields)" }, status: 400, code: "bad_request"),
        Forgery(name: "the token twice, once percent-encoded", headers: sameOrigin,
                body: { token, fields in "token=\(token)&%74oken=\(token)&\(fields)" }, status: 400, code: "bad_request"),
        Forgery(name: "text/plain (what a cross-site form can send without a preflight)", headers: sameOrigin, contentType: "text/plain",
                status: 400, code: "bad_request"),
        Forgery(name: "no content type", headers: sameOrigin, contentType: nil, status: 400, code: "bad_request"),
    ]

    static func post(_ client: TestTLSClient, _ path: String, contentType: String?, body: [UInt8], headers: [(String, String)]) async throws -> TestTLSClient.Response {
        try await offThread {
            try client.request("POST", path, headers: (contentType.map { [("Content-Type", $0)] } ?? []) + headers, body: body)
        }
    }

    /// The policy's history as the API lists it: unchanged means no forged post changed anything.
    static func history(_ gateway: TestGateway) async throws -> String {
        let secretariat = try await gateway.client("secretariat")
        return try await PolicyAPITests.send(secretariat, "GET", "/api/admin/history").text
    }

    @Test("every forged post on every secretariat form is refused before anything changes", arguments: forms)
    func forgedPosts(form: Form) async throws {
        try await TestGateway.with { gateway in
            let client = try await gateway.client(form.member)
            let before = try await Self.history(gateway)
            for forgery in Self.forgeries {
                let page = try await Routes.get(client, form.page)
                let token = try Routes.token(page.text, action: form.action)
                let response: TestTLSClient.Response
                if form.multipart {
                    // The upload's own forgeries: the same headers, its body as a multipart form.
                    guard forgery.code == "cross_site_request" else { continue }
                    let body = forgery.body(token, "")
                    let tokenField: String? = body.hasPrefix("token=") ? String(body.dropFirst(6).prefix(32)) : nil
                    let (type, bytes) = ConsoleSecretariatRoutesTests.multipart(token: tokenField, csv: "participant_id\nC10\n")
                    response = try await Self.post(client, form.action, contentType: type, body: bytes, headers: forgery.headers)
                } else {
                    response = try await Self.post(client, form.action, contentType: forgery.contentType, body: Array(forgery.body(token, form.fields).utf8),
                                                   headers: forgery.headers)
                }
                #expect(response.status == forgery.status && response.text.contains(#"data-code="\#(forgery.code)""#),
                        "\(form.action), \(forgery.name): \(response.status) \(response.text.prefix(300))")
                #expect(response.headers["content-security-policy"] == ConsoleHeadersExpected.csp, "\(forgery.name): the refusal page has the CSP")
            }
            // A token issued for another form of the same page does not do this one.
            let page = try await Routes.get(client, form.page)
            if let other = Self.otherAction(page.text, than: form.action), !form.multipart {
                let token = try Routes.token(page.text, action: other)
                let misused = try await Routes.post(client, form.action, "token=\(token)&\(form.fields)", headers: Self.sameOrigin)
                #expect(misused.status == 403, "\(form.action) with the token of \(other): \(misused.text.prefix(300))")
            }
            // Asked with GET, a post-only route is a 405 page (a link or an image cannot post it).
            let got = try await Routes.get(client, form.action)
            #expect(got.status == 405 || form.action == form.page, "GET \(form.action): \(got.status)")
            #expect(try await Self.history(gateway) == before, "no forged post changed the policy")
        }
    }

    @Test("the withdrawals upload: its token twice, or a token in a part after the file, is a refusal; the body is parsed within its caps")
    func forgedUploads() async throws {
        try await TestGateway.with { gateway in
            let secretariat = try await gateway.client("secretariat")
            let before = try await Self.history(gateway)
            let token = try Routes.token(try await Routes.get(secretariat, "/console/secretariat/withdrawals").text, action: "/console/secretariat/withdrawals")
            let boundary = "b0undary"
            func part(_ name: String, _ value: String) -> String { "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n" }
            let twice = part("token", token) + part("token", token) + part("file", "participant_id\nC10\n") + "--\(boundary)--\r\n"
            let refused = try await Self.post(secretariat, "/console/secretariat/withdrawals", contentType: "multipart/form-data; boundary=\(boundary)",
                                              body: Array(twice.utf8), headers: Self.sameOrigin)
            #expect(refused.status == 400 && refused.text.contains("given twice"), "\(refused.text.prefix(300))")
            // Many parts, a header line that never ends, no closing boundary: each a 400 page, quickly.
            let bombs = [
                String(repeating: part("x", "y"), count: 5000) + "--\(boundary)--\r\n",
                "--\(boundary)\r\n" + String(repeating: "A", count: 900_000),
                part("token", token) + "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n" + String(repeating: "C10\n", count: 200_000),
            ]
            for bomb in bombs {
                let started = ContinuousClock.now
                let answer = try await Self.post(secretariat, "/console/secretariat/withdrawals", contentType: "multipart/form-data; boundary=\(boundary)",
                                                 body: Array(bomb.utf8), headers: Self.sameOrigin)
                #expect(answer.status == 400 && answer.headers["content-security-policy"] == ConsoleHeadersExpected.csp, "\(answer.status) \(answer.text.prefix(300))")
                #expect(ContinuousClock.now - started < .seconds(10))
            }
            #expect(try await Self.history(gateway) == before)
        }
    }

    @Test("each role on every other role's pages and posts: a 403 page with the CSP, naming the role")
    func crossRoles() async throws {
        let researcherPages = ["/console/approvals", "/console/search", "/console/variants?region=1:1-5000", "/console/variant?variant=1:1000:A>G",
                               "/console/region?region=1:1-5000", "/console/cohort", "/console/analyses", "/console/analyses/allelic-association",
                               "/console/analyses/jobs/00000000000000000000000000000000"]
        let secretariatPages = ["/console/secretariat/approvals", "/console/secretariat/approvals/A-2026-001", "/console/secretariat/approvals/A-2026-001/amend",
                                "/console/secretariat/new-approval", "/console/secretariat/members", "/console/secretariat/organizations",
                                "/console/secretariat/withdrawals", "/console/secretariat/history"]
        let auditPages = ["/console/audit", "/console/audit/records/1", "/console/audit/verification", "/console/audit/usage"]
        let researcherPosts = ["/console/analyses/allelic-association", "/console/analyses/jobs/00000000000000000000000000000000/cancel"]
        let secretariatPosts = Self.forms.map(\.action) + ["/console/secretariat/new-approval", "/console/secretariat/approvals/A-2026-001/amend",
                                                           "/console/secretariat/members", "/console/secretariat/organizations"]
        let refusals: [(member: String, gets: [String], posts: [String])] = [
            ("researcher-jp", secretariatPages + auditPages, secretariatPosts),
            ("secretariat", researcherPages + auditPages, researcherPosts),
            ("auditor", researcherPages + secretariatPages, researcherPosts + secretariatPosts),
        ]
        try await TestGateway.with { gateway in
            for (member, gets, posts) in refusals {
                let client = try await gateway.client(member)
                for path in gets {
                    let refused = try await Routes.get(client, path)
                    #expect(refused.status == 403 && refused.text.contains(#"data-code="role_forbidden""#), "\(member) GET \(path): \(refused.status)")
                    #expect(refused.headers["content-security-policy"] == ConsoleHeadersExpected.csp, "\(member) GET \(path)")
                }
                for path in posts {
                    let refused = try await Routes.post(client, path, "token=\(String(repeating: "a", count: 32))&reason=x", headers: Self.sameOrigin)
                    #expect(refused.status == 403 && refused.text.contains(#"data-code="role_forbidden""#), "\(member) POST \(path): \(refused.status)")
                }
            }
        }
    }

    @Test("a token is the member's own: another researcher's token for the same form is refused; a suspended member, and a token issued before the suspension, get nothing")
    func otherMembersAndSuspension() async throws {
        try await TestGateway.with { gateway in
            let form = "/console/analyses/allelic-association"
            let jp = try await gateway.client("researcher-jp"), de = try await gateway.client("researcher-de")
            let deToken = try Routes.token(try await Routes.get(de, form).text, action: form)
            let stolen = try await Routes.post(jp, form, "token=\(deToken)&" + ConsoleVisitingRoutesTests.associationFields, headers: Self.sameOrigin)
            #expect(stolen.status == 403 && stolen.text.contains(#"data-code="cross_site_request""#), "\(stolen.text.prefix(300))")

            let us = try await gateway.client("researcher-us")
            let usPage = try await Routes.get(us, form)
            let secretariat = try await gateway.client("secretariat")
            let suspended = try await PolicyAPITests.send(secretariat, "POST", "/api/admin/members/researcher-us/suspend", json: ["reason": "attack test"])
            #expect(suspended.status == 200, "\(suspended.text)")
            let home = try await Routes.get(us, "/console")
            #expect(home.status == 403 && home.text.contains(#"data-code="member_suspended""#) && home.headers["content-security-policy"] != nil, "\(home.text.prefix(300))")
            if let token = try? Routes.token(usPage.text, action: form) {
                let late = try await Routes.post(us, form, "token=\(token)&approval=A-2026-004&region.referenceName=1&region.start=1&region.end=5000&cases=NCIT%3AC4872",
                                                 headers: Self.sameOrigin)
                #expect(late.status == 403 && late.text.contains("member_suspended"), "\(late.text.prefix(300))")
            }
            #expect(try await ConsoleVisitingRoutesTests.jobs(jp).isEmpty, "no job was submitted")
        }
    }

    @Test("an approval suspended between the form's page and its post: the post is refused as the API refuses, no job runs")
    func approvalSuspendedBetweenGetAndPost() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data, disclosure: VisitingJobsTests.disclosure) { gateway in
            let form = ConsoleVisitingRoutesTests.association
            let jp = try await gateway.client("researcher-jp")
            let token = try Routes.token(try await Routes.get(jp, form).text, action: form)
            let secretariat = try await gateway.client("secretariat")
            #expect(try await PolicyAPITests.send(secretariat, "POST", "/api/admin/approvals/A-2026-001/suspend", json: ["reason": "between"]).status == 200)
            let refused = try await Routes.post(jp, form, "token=\(token)&" + ConsoleVisitingRoutesTests.associationFields, headers: Self.sameOrigin)
            #expect(refused.status == 403 && refused.text.contains("approval_suspended"), "\(refused.status) \(refused.text.prefix(400))")
            #expect(try await ConsoleVisitingRoutesTests.jobs(jp).isEmpty)
        }
    }

    @Test("another member's job: its pages are the API's 404, and its cancel cannot be posted")
    func otherMembersJob() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data, disclosure: VisitingJobsTests.disclosure) { gateway in
            let jp = try await gateway.client("researcher-jp"), de = try await gateway.client("researcher-de")
            let id = try ConsoleVisitingRoutesTests.jobID(try await ConsoleVisitingRoutesTests.submit(jp, ConsoleVisitingRoutesTests.association,
                                                                                                     ConsoleVisitingRoutesTests.associationFields))
            for path in ["/console/analyses/jobs/\(id)", "/console/analyses/jobs/\(id)/result"] {
                let hidden = try await Routes.get(de, path)
                #expect(hidden.status == 404 && hidden.headers["content-security-policy"] != nil, "\(path): \(hidden.status)")
            }
            let cancel = try await Routes.post(de, "/console/analyses/jobs/\(id)/cancel", "token=\(String(repeating: "f", count: 32))", headers: Self.sameOrigin)
            #expect(cancel.status == 403 || cancel.status == 404, "\(cancel.status)")
            _ = try await VisitingJobsTests.finished(jp, id)
            // The result page releases (and charges) the result: not when another site's page loads it through jp's browser.
            for headers in Self.otherSiteLoads {
                let refused = try await Routes.get(jp, "/console/analyses/jobs/\(id)/result", headers: headers)
                #expect(refused.status == 403 && refused.text.contains(#"data-code="cross_site_request""#), "\(headers): \(refused.status)")
            }
            let released = try await Routes.get(jp, "/console/analyses/jobs/\(id)/result", headers: [("Sec-Fetch-Site", "same-origin")])
            #expect(released.status == 200, "\(released.text.prefix(300))")
        }
    }

    @Test("markup in everything a page shows is text: approval titles, organization names, request paths in the audit log, reflected parameters")
    func markupIsEscaped() async throws {
        let script = #""><script>alert(1)</script><img src=x onerror=alert(2)>"#
        try await TestGateway.with { gateway in
            let secretariat = try await gateway.client("secretariat")
            let titled = try await PolicyAPITests.send(secretariat, "PATCH", "/api/admin/approvals/A-2026-001", json: ["title": "Study " + script])
            #expect(titled.status == 200, "\(titled.text)")
            let organization = try await PolicyAPITests.send(secretariat, "POST", "/api/admin/organizations", json: [
                "id": "org-markup", "name": "Org " + script, "kind": "academia", "country": "JP", "consortium_status": "active"])
            #expect(organization.status == 200 || organization.status == 201, "\(organization.text)")
            let researcher = try await gateway.client("researcher-jp"), auditor = try await gateway.client("auditor")
            // A request path with markup, recorded in the audit log and shown on the auditor's pages.
            _ = try? await offThread { try researcher.request("GET", "/api/%22%3E%3Cscript%3Ealert(1)%3C/script%3E") }
            let raw = try await gateway.client("auditor")
            _ = try? await offThread { try raw.request("GET", #"/console/x"><script>alert(1)</script>"#) }
            var pages: [(TestTLSClient, String)] = [
                (researcher, "/console/approvals"), (researcher, "/console/analyses/allelic-association"), (researcher, "/console/search"),
                (secretariat, "/console/secretariat/approvals"), (secretariat, "/console/secretariat/approvals/A-2026-001"),
                (secretariat, "/console/secretariat/approvals/A-2026-001/amend"), (secretariat, "/console/secretariat/organizations"),
                (secretariat, "/console/secretariat/members"), (secretariat, "/console/secretariat/history"),
                (auditor, "/console/audit"), (auditor, "/console/audit/usage"),
                (researcher, "/console?lang=%3Cscript%3E"), (researcher, "/console/variants?region=%22%3E%3Cscript%3E"),
                (researcher, "/console/search?q=%3Cscript%3Ealert(1)%3C/script%3E"), (auditor, "/console/audit?member=%22%3E%3Cscript%3E"),
                (researcher, "/console/nothing/%22%3E%3Cscript%3E"), (auditor, "/console/audit?%3Cscript%3E=1"),
            ]
            let log = try await Routes.get(auditor, "/console/audit")
            for link in log.text.components(separatedBy: #"href="/console/audit/records/"#).dropFirst().prefix(60) {
                pages.append((auditor, "/console/audit/records/" + link.prefix { $0.isNumber }))
            }
            for (client, path) in pages {
                let page = try await Routes.get(client, path)
                #expect(page.status < 500 && page.headers["content-security-policy"] == ConsoleHeadersExpected.csp, "\(path): \(page.status)")
                #expect(!page.text.contains("<script") && !page.text.contains("<img"), "\(path): \(page.text.prefix(3000))")
            }
            #expect(try await Routes.get(secretariat, "/console/secretariat/approvals").text.contains("&lt;script&gt;"), "the title is shown, as text")
        }
    }

    /// Numbers and cursors at their extremes, and what each must answer (never a 5xx, never a stall).
    static let extremes: [(member: String, path: String, status: Int)] = [
        ("researcher-jp", "/console/region?region=1:1-1", 200),
        ("researcher-jp", "/console/region?region=1:2147483647-2147483647", 200),
        ("researcher-jp", "/console/region?region=Un9:2147483600-2147483647", 200),
        ("researcher-jp", "/console/region?region=1:0-5", 400),
        ("researcher-jp", "/console/region?region=1:-5-10", 400),
        ("researcher-jp", "/console/region?region=1:1-9223372036854775807", 400),
        ("researcher-jp", "/console/region?region=1:1-2000001", 400),
        ("researcher-jp", "/console/region?region=1:5-4", 400),
        ("researcher-jp", "/console/variants?region=1:2147483647-2147483647", 200),
        ("researcher-jp", "/console/variants?region=1:1-2000000", 200),
        ("researcher-jp", "/console/variant?variant=1:2147483647:A>T", 200),
        ("researcher-jp", "/console/variant?variant=1:9223372036854775807:A>T", 400),
        ("researcher-jp", "/console/variant?variant=1:1000:" + String(repeating: "A", count: 1001) + ">T", 400),
        ("researcher-jp", "/console/variants?region=1:1-100&region=1:1-200", 400),
        ("researcher-jp", "/console/cohort?cancer=" + String(repeating: "X", count: 65), 400),
        ("researcher-jp", "/console/search?q=" + String(repeating: "chr1:", count: 400), 400),
        ("auditor", "/console/audit?after=9223372036854775807", 200),
        ("auditor", "/console/audit?after=9223372036854775808", 400),
        ("auditor", "/console/audit?before=0", 200),
        ("auditor", "/console/audit?after=-1", 400),
        ("auditor", "/console/audit?after=1&before=2", 400),
        ("auditor", "/console/audit?from_time=1970-01-01&to_time=9999-12-31", 200),
        ("auditor", "/console/audit?from_time=0001-01-01&to_time=9999-12-31", 400),
        ("auditor", "/console/audit?from_time=2026-13-45", 400),
        ("auditor", "/console/audit/records/9223372036854775807", 404),
        ("auditor", "/console/audit/records/99999999999999999999999", 400),
        ("auditor", "/console/audit/records/-1", 400),
        ("auditor", "/console/audit/verification?from_sequence=9223372036854775807", 400),
        ("auditor", "/console/audit/verification?from_sequence=0", 400),
        ("auditor", "/console/audit/usage?from=0001-01-01&to=9999-12-31", 400),
        ("auditor", "/console/audit/usage?from=2026-12-31&to=2026-01-01", 400),
        ("secretariat", "/console/secretariat/history?before=9223372036854775807", 200),
        ("secretariat", "/console/secretariat/history?before=0", 400),
        ("secretariat", "/console/secretariat/withdrawals?before=9223372036854775807", 200),
        ("secretariat", "/console/secretariat/withdrawals?result=" + String(repeating: "0", count: 32), 200),
        ("secretariat", "/console/secretariat/organizations?edit=" + String(repeating: "x", count: 5000), 200),
    ]

    @Test("numbers, regions, cursors and periods at their extremes: each the page or a 400 page naming what was wrong, never a 5xx or a stall")
    func extremesAnswer() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data) { gateway in
            var clients: [String: TestTLSClient] = [:]
            for member in Set(Self.extremes.map(\.member)) { clients[member] = try await gateway.client(member) }
            for (member, path, status) in Self.extremes {
                let client = try #require(clients[member])
                let started = ContinuousClock.now
                let page = try await Routes.get(client, path)
                #expect(page.status == status, "\(member) \(path.prefix(120)): \(page.status) \(page.text.prefix(400))")
                #expect(page.headers["content-security-policy"] == ConsoleHeadersExpected.csp && page.headers["content-type"]?.hasPrefix("text/html") == true,
                        "\(path.prefix(120))")
                #expect(ContinuousClock.now - started < .seconds(10), "\(path.prefix(120))")
            }
            // Pages that stay within the chromosome: zoom and pan links at its ends never leave it.
            let end = try await Routes.get(try #require(clients["researcher-jp"]), "/console/region?region=1:2147483600-2147483647")
            #expect(!end.text.contains("2147483648") && !end.text.contains("region=1%3A0-") && !end.text.contains("region=1%3A-"), "\(end.text.prefix(2000))")
        }
    }

    @Test("many concurrent page loads over many connections: every one answered, the gateway still answers after")
    func concurrentPageLoads() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data) { gateway in
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<24 {
                    group.addTask {
                        let client = try await gateway.client(index.isMultiple(of: 2) ? "researcher-jp" : "auditor")
                        let path = index.isMultiple(of: 2) ? "/console/region?region=1:1-\(2000 + index * 1000)" : "/console/audit?after=\(index)"
                        var last = 0
                        for _ in 0..<3 { last = try await Routes.get(client, path).status }
                        return last
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.count == 24 && statuses.allSatisfy { $0 == 200 }, "\(statuses)")
            #expect(try await gateway.get("/console", as: "researcher-jp").status == 200)
        }
    }

    @Test("every kind of console answer carries the console's headers: 303, 404, 405, 400, 403, 413, HEAD and OPTIONS")
    func headersOnEveryAnswer() async throws {
        try await TestGateway.with { gateway in
            let secretariat = try await gateway.client("secretariat")
            let cases: [(method: String, path: String, headers: [(String, String)], body: [UInt8], status: Int)] = [
                ("GET", "/console/nothing", [], [], 404),
                ("DELETE", "/console/secretariat/approvals", [], [], 405),
                ("OPTIONS", "/console", [], [], 405),
                ("GET", "/console?x=1", [], [], 400),
                ("GET", "/console/audit", [], [], 403),
                ("POST", "/console/secretariat/members", [("Content-Type", "application/x-www-form-urlencoded")],
                 Array(String(repeating: "a=b&", count: 8000).utf8), 413),
            ]
            let toSearch = try await gateway.get("/console/variants", as: "researcher-jp")
            #expect(toSearch.status == 303 && toSearch.headers["content-security-policy"] == ConsoleHeadersExpected.csp, "\(toSearch.headers)")
            for test in cases {
                let client = test.status == 413 ? try await gateway.client("secretariat") : secretariat
                let answer = try await offThread { try client.request(test.method, test.path, headers: test.headers, body: test.body) }
                #expect(answer.status == test.status, "\(test.method) \(test.path): \(answer.status) \(answer.text.prefix(300))")
                #expect(answer.headers["content-security-policy"] == ConsoleHeadersExpected.csp && answer.headers["x-content-type-options"] == "nosniff",
                        "\(test.method) \(test.path) \(answer.status): \(answer.headers)")
            }
        }
    }

    /// Fetch metadata a browser sends when another site's page makes it load a console page:
    /// an `<img>`, an `<iframe>` (the request is answered before framing is refused), a link or
    /// a script's navigation.
    static let otherSiteLoads: [[(String, String)]] = [
        [("Sec-Fetch-Site", "cross-site"), ("Sec-Fetch-Mode", "no-cors"), ("Sec-Fetch-Dest", "image")],
        [("Sec-Fetch-Site", "cross-site"), ("Sec-Fetch-Mode", "navigate"), ("Sec-Fetch-Dest", "iframe")],
        [("Sec-Fetch-Site", "cross-site"), ("Sec-Fetch-Mode", "navigate"), ("Sec-Fetch-Dest", "document")],
        [("Sec-Fetch-Site", "same-site"), ("Sec-Fetch-Mode", "no-cors"), ("Sec-Fetch-Dest", "image")],
    ]

    /// Finding 1: the data pages are GETs that spend the researcher's privacy budget (and feed
    /// the differencing check), and a browser sends its client certificate with any request to
    /// the gateway, so another site's `<img src=…/console/variants?region=…>` spent the
    /// researcher's budget (to exhaustion, locking them out) without their knowing.
    @Test("finding: a page that spends the privacy budget, loaded by another site's page through the researcher's browser, is refused and charges nothing")
    func otherSitesCannotSpendTheBudget() async throws {
        let data = try BeaconCohort.makeDataFolder()
        var privacy = GatewayConfiguration.Privacy()
        privacy.approvalBudget = 10
        try await TestGateway.with(dataDirectory: data, privacy: privacy) { gateway in
            let researcher = try await gateway.client("researcher-jp")
            let pages = ["/console/variants?region=1:1-5000", "/console/variant?variant=1:1000:A>G", "/console/region?region=1:1-5000", "/console/cohort"]
            for headers in Self.otherSiteLoads {
                for page in pages {
                    let refused = try await Routes.get(researcher, page, headers: headers)
                    #expect(refused.status == 403 && refused.text.contains(#"data-code="cross_site_request""#), "\(page) \(headers): \(refused.status) \(refused.text.prefix(200))")
                    #expect(refused.headers["content-security-policy"] == ConsoleHeadersExpected.csp)
                }
            }
            #expect(try await PrivacyLedgerGatewayTests.spent(researcher) == 0, "nothing was charged")
            // Opened from the console's own pages, typed in, or by a client that sends no fetch metadata: answered and charged.
            for headers in [[("Sec-Fetch-Site", "same-origin"), ("Sec-Fetch-Dest", "document")], [("Sec-Fetch-Site", "none")], []] {
                for page in pages {
                    let answered = try await Routes.get(researcher, page, headers: headers)
                    #expect(answered.status == 200, "\(page) \(headers): \(answered.status) \(answered.text.prefix(300))")
                }
            }
            #expect(try await PrivacyLedgerGatewayTests.spent(researcher) > 0)
        }
    }

    /// The auditors' verification and usage report are seconds of the gateway's work on a GET:
    /// another site's page cannot start them through an auditor's browser.
    @Test("the audit verification and usage report, loaded by another site's page, are refused; from the console they answer")
    func otherSitesCannotStartAuditWork() async throws {
        try await TestGateway.with { gateway in
            let auditor = try await gateway.client("auditor")
            for page in ["/console/audit/verification", "/console/audit/usage"] {
                for headers in Self.otherSiteLoads {
                    let refused = try await Routes.get(auditor, page, headers: headers)
                    #expect(refused.status == 403 && refused.text.contains(#"data-code="cross_site_request""#), "\(page) \(headers): \(refused.status)")
                }
                let answered = try await Routes.get(auditor, page, headers: [("Sec-Fetch-Site", "same-origin")])
                #expect(answered.status == 200, "\(page): \(answered.status) \(answered.text.prefix(300))")
            }
        }
    }

    /// Finding 2: the audit log page read the last checkpoint with a synchronous SQLite read on
    /// Swift's cooperative pool (one thread per core). Concurrent loads left those threads
    /// waiting for a reader held by async reads that needed one of them to finish: every task in
    /// the process froze, the whole gateway with it. A frozen pool cannot run a test's time limit
    /// either, so a watchdog on its own thread ends the process, naming the stall.
    @Test("finding: many concurrent audit log page loads never freeze the gateway")
    func concurrentAuditPagesDoNotFreeze() async throws {
        let finished = DispatchSemaphore(value: 0)
        Thread {
            if finished.wait(timeout: .now() + 120) == .timedOut {
                fatalError("ConsoleAttackTests: concurrent /console/audit loads froze the gateway (no answer in 120 s)")
            }
        }.start()
        defer { finished.signal() }
        try await TestGateway.with { gateway in
            let statuses = try await withThrowingTaskGroup(of: [Int].self) { group in
                for index in 0..<32 {
                    group.addTask {
                        let client = try await gateway.client("auditor")
                        return try await offThread {
                            (0..<8).map { round in (try? client.request("GET", round.isMultiple(of: 2) ? "/console/audit" : "/console/audit?after=\(index)").status) ?? 0 }
                        }
                    }
                }
                return try await group.reduce(into: [Int]()) { $0 += $1 }
            }
            #expect(statuses.count == 256 && statuses.allSatisfy { $0 == 200 }, "\(statuses.filter { $0 != 200 })")
        }
    }

    /// Finding 3: with the console, members' browsers hold their certificates, and the API took a
    /// body whatever its content type and never asked where a request came from. So another
    /// site's page could post `{"reason": …}` as text/plain (a simple request: no preflight) to
    /// `/api/admin/approvals/{id}/suspend` through the secretariat's browser, or load data
    /// queries through a researcher's. A request a browser marks as made by another site is now
    /// refused on the API too; clients that send no fetch metadata (curl, scripts) are unchanged.
    @Test("finding: the API refuses what another site's page sends through a member's browser; curl is unchanged", arguments: [
        [("Sec-Fetch-Site", "cross-site"), ("Origin", "https://evil.example")],
        [("Sec-Fetch-Site", "same-site"), ("Origin", "https://console.evil.localhost")],
        [("Origin", "https://evil.example")],
        [("Origin", "null")],
    ])
    func apiRefusesOtherSites(headers: [(String, String)]) async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data) { gateway in
            let secretariat = try await gateway.client("secretariat")
            let before = try await Self.history(gateway)
            // What a cross-site <form enctype="text/plain"> posts: a field named '{"reason":"forg' with the value 'ed"}' (or a no-cors fetch).
            let forged = try await offThread {
                try secretariat.request("POST", "/api/admin/approvals/A-2026-001/suspend", headers: [("Content-Type", "text/plain")] + headers,
                                        body: Array(#"{"reason":"forg=ed"}"#.utf8) + [13, 10])
            }
            #expect(forged.status == 403 && PolicyAPITests.errorCode(forged) == "cross_site_request", "\(forged.status) \(forged.text)")
            let researcher = try await gateway.client("researcher-jp")
            let loaded = try await offThread { try researcher.request("GET", PolicyAPITests.everyone, headers: headers) }
            #expect(loaded.status == 403 && PolicyAPITests.errorCode(loaded) == "cross_site_request", "\(loaded.status) \(loaded.text)")
            #expect(try await Self.history(gateway) == before, "nothing changed")
            // The same requests from curl (no fetch metadata), or typed into the browser: answered.
            #expect(try await PolicyAPITests.send(researcher, "GET", PolicyAPITests.everyone, headers: [("Sec-Fetch-Site", "none")]).status == 200)
            let suspended = try await PolicyAPITests.send(secretariat, "POST", "/api/admin/approvals/A-2026-001/suspend", json: ["reason": "committee"])
            #expect(suspended.status == 200, "\(suspended.text)")
        }
    }

    /// Another post form's action on `html`, if any.
    static func otherAction(_ html: String, than action: String) -> String? {
        html.components(separatedBy: #"<form method="post" action=""#).dropFirst()
            .map { String($0.prefix { $0 != "\"" }) }.first { $0 != action }
    }

    /// The console's CSP, written out here so that a weakened one fails.
    enum ConsoleHeadersExpected {
        static let csp = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    }
}
