import DisclosureControl
import Foundation
import GatewayServer
import GatewayTestSupport
import Testing
import VisitingAnalyses

/// The visiting analysis environment through the real gateway (README "Visiting analyses"):
/// jobs are submitted, run off the request path and released only through the airlock, the
/// ledger and a fresh policy decision; only their member sees them.
///
/// The cohort is ``BeaconCohort`` (germline: normal samples, one per person): cases are the
/// 10 breast-carcinoma people, controls the 19 others (C20 never counts). The minimum group
/// is lowered to 8 people so that this hand-checkable cohort can be analysed.
@Suite("Visiting analyses: jobs through the gateway")
struct VisitingJobsTests {
    static let disclosure = DisclosurePolicy(minimumCellCount: 5, minimumAlleleNumberForFrequency: 20, minimumCohortSize: 8)
    static var association: [String: Any] { [
        "analysis": "allelic-association",
        "parameters": ["region": ["referenceName": "1", "start": 1, "end": 5000], "cases": ["NCIT:C4872"]],
    ] }

    static func text(_ response: TestTLSClient.Response) -> String { String(decoding: response.body, as: UTF8.self) }
    static func json(_ response: TestTLSClient.Response) throws -> [String: Any] { try response.json() }

    /// Submits `body` and returns the job id (expects 202).
    static func submit(_ client: TestTLSClient, _ body: [String: Any] = association) async throws -> String {
        let response = try await PolicyAPITests.send(client, "POST", "/api/visiting/jobs", json: body)
        #expect(response.status == 202, "\(text(response))")
        let id = try #require(try json(response)["id"] as? String)
        #expect(response.headers["location"] == "/api/visiting/jobs/\(id)")
        return id
    }

    /// Polls the job until it has finished; returns its status document.
    static func finished(_ client: TestTLSClient, _ id: String) async throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            let status = try json(try await PolicyAPITests.send(client, "GET", "/api/visiting/jobs/\(id)"))
            if let state = status["state"] as? String, ["succeeded", "failed", "cancelled"].contains(state) { return status }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestFailure("job \(id) did not finish in 120 s")
    }

    /// The released result's variants by name.
    static func variants(_ result: [String: Any]) throws -> [String: [String: Any]] {
        let output = try #require(result["result"] as? [String: Any])
        let list = try #require(output["variants"] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: list.map { ($0["variant"] as? String ?? "", $0) })
    }

    @Test("submit, run, release: the tables a reader can check by hand, Fisher and chi-square as scipy gives them, small and zero cells masked with their reasons, and an audit record naming the analysis, parameters and airlock outcome")
    func submitRunRelease() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data, disclosure: Self.disclosure) { gateway in
            let researcher = try await gateway.client("researcher-jp")
            let id = try await Self.submit(researcher)
            #expect(id.count == 32 && id.allSatisfy(\.isHexDigit))
            let status = try await Self.finished(researcher, id)
            #expect(status["state"] as? String == "succeeded", "\(status)")
            #expect(status["progress"] as? Double == 1)

            let released = try await PolicyAPITests.send(researcher, "GET", "/api/visiting/jobs/\(id)/result")
            #expect(released.status == 200, "\(Self.text(released))")
            let result = try Self.json(released)
            #expect(result["contributingPeople"] as? Int == 29)
            let variants = try Self.variants(result)
            // 1:1000 A>G: every breast and lung normal is heterozygous (C20 never counts).
            let common = try #require(variants["1:1000:A:G"])
            #expect(common["table"] as? [[Int]] == [[10, 10], [9, 29]])
            #expect(abs((common["pFisher"] as? Double ?? 0) - 0.07567170603352563) < 1e-12)
            #expect(abs((common["chiSquare"] as? Double ?? 0) - 4.119610767810214) < 1e-9)
            #expect(abs((common["pChiSquare"] as? Double ?? 0) - 0.042388829955800914) < 1e-9)
            #expect(try #require(variants["1:3000:G:A"])["table"] as? [[Int]] == [[10, 10], [19, 19]])
            // 1:2000 is carried by tumours only and 1:4000 by three people: fewer than k = 5
            // people of the groups, so neither is listed (as a query would not list them).
            #expect(variants["1:2000:C:T"] == nil && variants["1:4000:T:C"] == nil, "\(variants.keys.sorted())")
            #expect(!Self.text(released).contains("C01") && !Self.text(released).contains("-N"), "no sample or participant id leaves")
            let airlock = try #require(result["airlock"] as? [String: Any])
            #expect(airlock["outputs"] as? Int == 2 && airlock["masked"] as? Int == 0, "\(airlock)")

            // The audit record of the release names the analysis, its parameters and the airlock outcome.
            let auditor = try await gateway.client("auditor")
            let records = Self.text(try await PolicyAPITests.send(auditor, "GET", "/api/audit/records"))
            let line = try #require(records.split(separator: "\n").first { $0.contains("/api/visiting/jobs/\(id)/result") })
            #expect(line.contains(#""kind":"analysis:allelic-association""#), "\(line)")
            #expect(line.contains(#""airlock":"released 2 of 2 outputs""#), "\(line)")
            #expect(line.contains("analysis=allelic-association") && line.contains("NCIT:C4872") && line.contains("referenceName"), "\(line)")
            let submitted = try #require(records.split(separator: "\n").first { $0.contains(#""method":"POST""#) && $0.contains("/api/visiting/jobs") })
            #expect(submitted.contains("job=\(id)") && submitted.contains(#""status":202"#), "\(submitted)")
        }
    }

    @Test("every analysis of the catalogue runs through the gateway, and what the airlock masks is said", arguments: [
        (#"{"analysis":"burden","parameters":{"units":[{"name":"G1","referenceName":"1","start":900,"end":1100}],"cases":["NCIT:C4872"]}}"#,
         "units", "disclosive-table"),
        (#"{"analysis":"co-occurrence","parameters":{"variants":["1:1000:A:G","1:3000:G:A"]}}"#, "pairs", "disclosive-table"),
        (#"{"analysis":"strata-frequencies","parameters":{"region":{"referenceName":"1","start":1,"end":5000}}}"#, "variants", "threshold"),
        (#"{"analysis":"qc-distributions","parameters":{}}"#, "distributions", nil),
    ] as [(String, String, String?)])
    func everyAnalysis(body: String, list: String, maskedBy rule: String?) async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data, disclosure: Self.disclosure) { gateway in
            let researcher = try await gateway.client("researcher-jp")
            let submitted = try await offThread {
                try researcher.request("POST", "/api/visiting/jobs", headers: [("Content-Type", "application/json")], body: Array(body.utf8))
            }
            #expect(submitted.status == 202, "\(Self.text(submitted))")
            let id = try #require(try Self.json(submitted)["id"] as? String)
            let status = try await Self.finished(researcher, id)
            #expect(status["state"] as? String == "succeeded", "\(status)")
            let released = try await PolicyAPITests.send(researcher, "GET", "/api/visiting/jobs/\(id)/result")
            #expect(released.status == 200, "\(Self.text(released))")
            let output = try #require(try Self.json(released)["result"] as? [String: Any])
            let items = try #require(output[list] as? [[String: Any]], "\(output.keys)")
            #expect(!items.isEmpty)
            if let rule {
                #expect(Self.text(released).contains(#""rule":"\#(rule)""#), "\(Self.text(released))")
            }
            #expect(!Self.text(released).contains("C0") && !Self.text(released).contains("-T\""), "no ids leave")
        }
    }

    @Test("only the submitting member sees a job: another member, a guessed id and a malformed id all get 404; other roles get 403")
    func isolation() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data, disclosure: Self.disclosure) { gateway in
            let owner = try await gateway.client("researcher-jp")
            let id = try await Self.submit(owner)
            _ = try await Self.finished(owner, id)
            let other = try await gateway.client("researcher-de")
            for path in ["/api/visiting/jobs/\(id)", "/api/visiting/jobs/\(id)/result", "/api/visiting/jobs/" + String(repeating: "0", count: 32),
                         "/api/visiting/jobs/../jobs", "/api/visiting/jobs/\(id.uppercased())"] {
                let response = try await PolicyAPITests.send(other, "GET", path)
                #expect(response.status == 404, "\(path): \(Self.text(response))")
            }
            #expect(try await PolicyAPITests.send(other, "DELETE", "/api/visiting/jobs/\(id)").status == 404)
            let list = try Self.json(try await PolicyAPITests.send(other, "GET", "/api/visiting/jobs"))
            #expect((list["jobs"] as? [Any])?.isEmpty == true)
            for role in ["auditor", "secretariat"] {
                let client = try await gateway.client(role)
                #expect(try await PolicyAPITests.send(client, "GET", "/api/visiting/jobs/\(id)").status == 403, "\(role)")
            }
            #expect(try await PolicyAPITests.send(owner, "GET", "/api/visiting/jobs/\(id)/result").status == 200, "the owner still can")
        }
    }

    @Test("bad submissions are refused with 400 naming what was wrong, and nothing is queued", arguments: [
        (#"{"analysis":"genome-wide-everything","parameters":{}}"#, "genome-wide-everything"),
        (#"{"parameters":{}}"#, "analysis is required"),
        (#"{"analysis":"allelic-association"}"#, "parameters is required"),
        (#"{"analysis":"allelic-association","parameters":{"cases":["NCIT:C4872"]}}"#, "parameter region"),
        (#"{"analysis":"allelic-association","parameters":{"region":{"referenceName":"1","start":1,"end":20000001},"cases":["NCIT:C4872"]}}"#, "parameter region covers"),
        (#"{"analysis":"allelic-association","parameters":{"region":{"referenceName":"1","start":-9223372036854775808,"end":2},"cases":["NCIT:C4872"]}}"#, "parameter region.start"),
        (#"{"analysis":"allelic-association","parameters":{"region":{"referenceName":"1","start":1,"end":5000},"cases":["NCIT:C4872"]},"window":3}"#, "window"),
        (#"{"analysis":"allelic-association","parameters":{"region":{"referenceName":"1","start":1,"end":5000},"cases":["NCIT:C4872"]},"approval":7}"#, "approval must be a string"),
        // Glioblastoma: nobody in this cohort, below the minimum group.
        (#"{"analysis":"allelic-association","parameters":{"region":{"referenceName":"1","start":1,"end":5000},"cases":["NCIT:C3058"]}}"#, "parameter cases selects fewer than"),
    ])
    func badSubmissions(body: String, expected: String) async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data, disclosure: Self.disclosure) { gateway in
            let researcher = try await gateway.client("researcher-jp")
            let response = try await offThread {
                try researcher.request("POST", "/api/visiting/jobs", headers: [("Content-Type", "application/json")], body: Array(body.utf8))
            }
            #expect(response.status == 400, "\(Self.text(response))")
            #expect(PolicyAPITests.errorCode(response) == "bad_request")
            #expect(Self.text(response).contains(expected), "\(Self.text(response))")
            let list = try Self.json(try await PolicyAPITests.send(researcher, "GET", "/api/visiting/jobs"))
            #expect((list["jobs"] as? [Any])?.isEmpty == true)
        }
    }

    @Test("an approval that does not name the analysis refuses it (403 out_of_scope_query), as does an unknown approval")
    func approvalScope() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data, disclosure: Self.disclosure) { gateway in
            let secretariat = try await gateway.client("secretariat")
            let created = try await PolicyAPITests.send(secretariat, "POST", "/api/admin/approvals", json: [
                "id": "A-2026-020", "decision_reference": "DURC-2026-020", "decision_date": "2026-06-01",
                "title": "Counts only", "purpose": "causal-gene-research", "organization": "kyoto-u", "members": ["researcher-jp"],
                "scope": ["datasets": ["demo-wgs"], "query_kinds": ["beacon-count"]],
                "commercial_use": false, "valid_from": "2026-06-01", "valid_until": "2030-03-31", "legal_basis": "none",
            ])
            #expect(created.status == 201, "\(Self.text(created))")
            let researcher = try await gateway.client("researcher-jp")
            func body(_ approval: String) -> [String: Any] {
                var body = Self.association
                body["approval"] = approval
                return body
            }
            let refused = try await PolicyAPITests.send(researcher, "POST", "/api/visiting/jobs", json: body("A-2026-020"))
            #expect(refused.status == 403 && PolicyAPITests.errorCode(refused) == "out_of_scope_query", "\(Self.text(refused))")
            let unknown = try await PolicyAPITests.send(researcher, "POST", "/api/visiting/jobs", json: body("A-2099-999"))
            #expect(unknown.status == 403, "\(Self.text(unknown))")
            #expect(try await PolicyAPITests.send(researcher, "POST", "/api/visiting/jobs", json: body("A-2026-001")).status == 202)
        }
    }

    @Test("release re-check: a participant who withdrew after the job ran is not in what is released; the job runs again on the current cohort")
    func withdrawalBeforeRelease() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data, disclosure: Self.disclosure) { gateway in
            let researcher = try await gateway.client("researcher-jp")
            let id = try await Self.submit(researcher)
            #expect(try await Self.finished(researcher, id)["state"] as? String == "succeeded")
            let secretariat = try await gateway.client("secretariat")
            let withdrawn = try await PolicyAPITests.send(secretariat, "POST", "/api/admin/withdrawals", json: ["participant_id": "C01"])
            #expect(withdrawn.status == 201, "\(Self.text(withdrawn))")

            let held = try await PolicyAPITests.send(researcher, "GET", "/api/visiting/jobs/\(id)/result")
            #expect(held.status == 202, "never released stale: \(Self.text(held))")
            #expect(try Self.json(held)["state"] as? String == "queued")
            #expect(Self.text(held).contains("runs again on the current cohort"))
            #expect(try await Self.finished(researcher, id)["state"] as? String == "succeeded")
            let released = try await PolicyAPITests.send(researcher, "GET", "/api/visiting/jobs/\(id)/result")
            #expect(released.status == 200, "\(Self.text(released))")
            let result = try Self.json(released)
            #expect(result["contributingPeople"] as? Int == 28)
            #expect(try Self.variants(result)["1:1000:A:G"]?["table"] as? [[Int]] == [[9, 9], [9, 29]], "C01 is gone from the cases")
        }
    }

    @Test("a suspended approval holds the result (403); reinstated, it is released")
    func suspendedBeforeRelease() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data, disclosure: Self.disclosure) { gateway in
            let researcher = try await gateway.client("researcher-jp")
            let id = try await Self.submit(researcher)
            #expect(try await Self.finished(researcher, id)["state"] as? String == "succeeded")
            let secretariat = try await gateway.client("secretariat")
            #expect(try await PolicyAPITests.send(secretariat, "POST", "/api/admin/approvals/A-2026-001/suspend", json: ["reason": "audit finding"]).status == 200)
            let refused = try await PolicyAPITests.send(researcher, "GET", "/api/visiting/jobs/\(id)/result")
            #expect(refused.status == 403 && PolicyAPITests.errorCode(refused) == "approval_suspended", "\(Self.text(refused))")
            #expect(!Self.text(refused).contains("table"))
            #expect(try await PolicyAPITests.send(secretariat, "POST", "/api/admin/approvals/A-2026-001/reinstate", json: ["reason": "resolved"]).status == 200)
            #expect(try await PolicyAPITests.send(researcher, "GET", "/api/visiting/jobs/\(id)/result").status == 200)
        }
    }

    @Test("the disclosure ledger: an exhausted budget holds the result with 429; differencing two jobs one withdrawal apart is refused")
    func ledger() async throws {
        let data = try BeaconCohort.makeDataFolder()
        var tight = GatewayConfiguration.Privacy()
        tight.approvalBudget = 0.0001
        try await TestGateway.with(dataDirectory: data, disclosure: Self.disclosure, privacy: tight) { gateway in
            let researcher = try await gateway.client("researcher-jp")
            // An answer is given while budget remains (and may take it over by its own charge).
            let first = try await Self.submit(researcher)
            #expect(try await Self.finished(researcher, first)["state"] as? String == "succeeded")
            #expect(try await PolicyAPITests.send(researcher, "GET", "/api/visiting/jobs/\(first)/result").status == 200)
            let lung: [String: Any] = ["analysis": "allelic-association",
                                       "parameters": ["region": ["referenceName": "1", "start": 1, "end": 5000], "cases": ["NCIT:C4878"]]]
            let id = try await Self.submit(researcher, lung)
            #expect(try await Self.finished(researcher, id)["state"] as? String == "succeeded")
            let held = try await PolicyAPITests.send(researcher, "GET", "/api/visiting/jobs/\(id)/result")
            #expect(held.status == 429 && PolicyAPITests.errorCode(held) == "privacy_budget_exhausted", "\(Self.text(held))")
            #expect(try await Self.finished(researcher, id)["state"] as? String == "succeeded", "the result is held, not lost")
        }
        let second = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: second, disclosure: Self.disclosure, privacy: .init()) { gateway in
            let researcher = try await gateway.client("researcher-jp")
            let first = try await Self.submit(researcher)
            #expect(try await Self.finished(researcher, first)["state"] as? String == "succeeded")
            #expect(try await PolicyAPITests.send(researcher, "GET", "/api/visiting/jobs/\(first)/result").status == 200)
            // One control withdraws; the same analysis again would tell what that person carries.
            let secretariat = try await gateway.client("secretariat")
            #expect(try await PolicyAPITests.send(secretariat, "POST", "/api/admin/withdrawals", json: ["participant_id": "C11"]).status == 201)
            let again = try await Self.submit(researcher)
            #expect(try await Self.finished(researcher, again)["state"] as? String == "succeeded")
            let refused = try await PolicyAPITests.send(researcher, "GET", "/api/visiting/jobs/\(again)/result")
            #expect(refused.status == 403 && PolicyAPITests.errorCode(refused) == "differencing_refused", "\(Self.text(refused))")
        }
    }

    @Test("cancel: a finished job cannot be cancelled (409); results survive a restart of the gateway")
    func cancelAndRestart() async throws {
        let data = try BeaconCohort.makeDataFolder()
        let (id, body) = try await TestGateway.with(dataDirectory: data, disclosure: Self.disclosure) { gateway in
            let researcher = try await gateway.client("researcher-jp")
            let id = try await Self.submit(researcher)
            _ = try await Self.finished(researcher, id)
            let late = try await PolicyAPITests.send(researcher, "DELETE", "/api/visiting/jobs/\(id)")
            #expect(late.status == 409, "\(Self.text(late))")
            let released = try await PolicyAPITests.send(researcher, "GET", "/api/visiting/jobs/\(id)/result")
            #expect(released.status == 200)
            return (id, released.body)
        }
        try await TestGateway.with(dataDirectory: data, policy: nil, disclosure: Self.disclosure) { gateway in
            let researcher = try await gateway.client("researcher-jp")
            let again = try await PolicyAPITests.send(researcher, "GET", "/api/visiting/jobs/\(id)/result")
            #expect(again.status == 200 && again.body == body, "the same result after a restart")
        }
    }

    @Test("a restart finds every job where it was: a queued job runs, a job cut short while running runs again (its second attempt)")
    func restartWithQueuedAndRunningJobs() async throws {
        let data = try BeaconCohort.makeDataFolder()
        let parameters = #"{"cases":["NCIT:C4872"],"region":{"end":5000,"referenceName":"1","start":1}}"#
        // As a gateway that stopped would have left them in visiting.sqlite.
        let store = try JobStore(folder: data)
        let queued = AnalysisJob(member: "researcher-jp", approval: "A-2026-001", analysis: "allelic-association", parameters: parameters)
        let running = AnalysisJob(member: "researcher-jp", approval: "A-2026-001", analysis: "allelic-association", parameters: parameters)
        try store.insert(queued)
        try store.insert(running)
        try store.apply(.start, to: running.id)
        try await TestGateway.with(dataDirectory: data, disclosure: Self.disclosure) { gateway in
            let researcher = try await gateway.client("researcher-jp")
            let first = try await Self.finished(researcher, queued.id)
            #expect(first["state"] as? String == "succeeded" && first["attempts"] as? Int == 1, "\(first)")
            let second = try await Self.finished(researcher, running.id)
            #expect(second["state"] as? String == "succeeded" && second["attempts"] as? Int == 2, "\(second)")
            let released = try await PolicyAPITests.send(researcher, "GET", "/api/visiting/jobs/\(running.id)/result")
            #expect(released.status == 200, "\(Self.text(released))")
        }
    }

    @Test("a job whose regions would take more than its memory limit is refused before anything is read, naming the limit, from its parameters alone")
    func memoryLimit() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data, disclosure: Self.disclosure, configure: { $0.visiting.jobMemoryMB = 0 }) { gateway in
            let researcher = try await gateway.client("researcher-jp")
            let refused = try await PolicyAPITests.send(researcher, "POST", "/api/visiting/jobs", json: Self.association)
            #expect(refused.status == 400 && PolicyAPITests.errorCode(refused) == "bad_request", "\(Self.text(refused))")
            #expect(Self.text(refused).contains("memory limit of 0 MB") && Self.text(refused).contains("visiting.job_memory_mb"), "\(Self.text(refused))")
            #expect(!Self.text(refused).contains("4 variants") && !Self.text(refused).contains("hold"),
                    "whether a job is accepted depends on its parameters, never on what the store holds: \(Self.text(refused))")
        }
    }

    @Test("a long poll: ?wait answers once the job has finished; a bad wait is refused naming it")
    func longPoll() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data, disclosure: Self.disclosure) { gateway in
            let researcher = try await gateway.client("researcher-jp")
            let id = try await Self.submit(researcher)
            let status = try await PolicyAPITests.send(researcher, "GET", "/api/visiting/jobs/\(id)?wait=30")
            let state = try Self.json(status)["state"] as? String
            #expect(status.status == 200 && state == "succeeded", "one request, no polling: \(Self.text(status))")
            for query in ["wait=-1", "wait=31", "wait=abc", "wait=nan", "wait=1&wait=2", "limit=3", "wait=1e999"] {
                let refused = try await PolicyAPITests.send(researcher, "GET", "/api/visiting/jobs/\(id)?\(query)")
                #expect(refused.status == 400 && PolicyAPITests.errorCode(refused) == "bad_request", "\(query): \(Self.text(refused))")
            }
            // Another member's job: 404, without waiting.
            let other = try await gateway.client("researcher-de")
            #expect(try await PolicyAPITests.send(other, "GET", "/api/visiting/jobs/\(id)?wait=30").status == 404)
        }
    }
}
