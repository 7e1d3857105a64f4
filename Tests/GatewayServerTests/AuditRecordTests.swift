import AuditLog
import DisclosureControl
import Foundation
import GatewayServer
import GatewayTestSupport
import Testing

/// Reading the audit log of a running test gateway.
enum AuditProbe {
    /// Who the dev identities are, as the example policy registers them.
    struct Identity: Sendable {
        var member: String, role: String, organization: String, country: String, subject: String
    }

    static let identities: [String: Identity] = [
        "researcher-jp": .init(member: "researcher-jp", role: "researcher", organization: "kyoto-u", country: "JP",
                               subject: "CN=researcher-jp,O=Kyoto University,C=JP"),
        "auditor": .init(member: "auditor", role: "auditor", organization: "audit-department", country: "JP",
                         subject: "CN=auditor,O=GenomeGate Audit Department,C=JP"),
        "secretariat": .init(member: "secretariat", role: "secretariat", organization: "review-secretariat", country: "JP",
                             subject: "CN=secretariat,O=Data Use Review Committee Secretariat,C=JP"),
    ]

    /// The stored records after `sequence`, decoded, with their sequences.
    static func records(_ log: AuditLog, after sequence: Int) async throws -> [AuditRecord] {
        try await log.database.records(AuditQuery(), after: sequence, limit: 100_000).map { entry in
            var record = try JSONDecoder().decode(AuditRecord.self, from: Data(entry.canonical.utf8))
            record.sequence = entry.sequence
            return record
        }
    }

    /// Waits up to `seconds` for a record matching `predicate` after `sequence` (detached records are written a moment later).
    static func waitForRecord(_ log: AuditLog, after sequence: Int, seconds: Double = 5,
                              where predicate: @Sendable (AuditRecord) -> Bool) async throws -> AuditRecord {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let record = try await records(log, after: sequence).first(where: predicate) { return record }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestFailure("no matching audit record within \(seconds) s")
    }

    /// The SHA-256 fingerprint of a PEM certificate as the gateway writes it (lowercase hex, no colons).
    static func fingerprint(_ certificate: String) async throws -> String {
        let result = try await Subprocess.run(["openssl", "x509", "-in", certificate, "-noout", "-fingerprint", "-sha256"])
        guard result.status == 0, let equals = result.stdout.firstIndex(of: "=") else { throw TestFailure("openssl x509: \(result.output)") }
        return result.stdout[result.stdout.index(after: equals)...]
            .trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: ":", with: "").lowercased()
    }

    /// `a=1&b=2` for the query of `path`, sorted by name (what the record holds), or nil.
    static func normalisedQuery(_ path: String) -> String? {
        guard let mark = path.firstIndex(of: "?") else { return nil }
        return path[path.index(after: mark)...].split(separator: "&").map(String.init).sorted().joined(separator: "&")
    }

    static func pathOnly(_ path: String) -> String { String(path.prefix { $0 != "?" }) }

    /// What `returned.kind` an allowed answer of `endpoint` is summarised as.
    static func expectedKind(_ method: String, _ path: String) -> String {
        let path = pathOnly(path)
        if path.hasPrefix("/api/admin/") { return method == "GET" ? "policy-read" : "policy-change" }
        if path.hasPrefix("/api/audit/") { return "audit-export" }
        if path == "/api/datasets" || path == "/api/filtering_terms" { return "catalogue" }
        if path == "/api/aggregate/allele-frequency" { return "allele-frequency" }
        if path == "/api/aggregate/cohort-summary" { return "cohort-summary" }
        if ["/api/g_variants", "/api/individuals", "/api/biosamples"].contains(path) { return "beacon-" }
        return "service-information"
    }
}

@Suite("Audit records of requests")
struct AuditRecordTests {
    /// The audit endpoints, expected status per role (researcher, auditor, secretariat).
    static let auditEndpoints: [RoleMatrixTests.Endpoint] = [
        .init(method: "GET", path: "/api/audit/records?from_sequence=1&to_sequence=3", researcher: 403, auditor: 200, secretariat: 403),
        .init(method: "GET", path: "/api/audit/records?format=csv&to_sequence=2", researcher: 403, auditor: 200, secretariat: 403),
        .init(method: "GET", path: "/api/audit/checkpoints", researcher: 403, auditor: 200, secretariat: 403),
        .init(method: "GET", path: "/api/audit/public-key", researcher: 403, auditor: 200, secretariat: 403),
        .init(method: "GET", path: "/api/audit/records?format=xml", researcher: 403, auditor: 400, secretariat: 403),
    ]

    @Test("every endpoint x role gives exactly one record, matching the response and the caller")
    func everyEndpointRecorded() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data) { gateway in
            let log = gateway.server.audit
            let names = ["researcher-jp", "auditor", "secretariat"]
            var clients: [TestTLSClient] = []
            for name in names { clients.append(try await gateway.client(name)) }
            let started = Date().addingTimeInterval(-1)
            var seen = Set<String>()
            for endpoint in RoleMatrixTests.endpoints + Self.auditEndpoints {
                for (index, name) in names.enumerated() {
                    let client = clients[index]
                    let expected = [endpoint.researcher, endpoint.auditor, endpoint.secretariat][index]
                    let headers = endpoint.body == nil ? [] : [("Content-Type", "application/json")]
                    let body = Array((endpoint.body ?? "").utf8)
                    let head = log.headSequence
                    let response = try await offThread { try client.request(endpoint.method, endpoint.path, headers: headers, body: body) }
                    let label = "\(endpoint) as \(name)"
                    #expect(response.status == expected, "\(label)")
                    let records = try await AuditProbe.records(log, after: head)
                    try #require(records.count == 1, "\(label): \(records.count) records")
                    let record = records[0]
                    let identity = try #require(AuditProbe.identities[name])
                    let requestID = try #require(response.headers["x-request-id"], "\(label)")
                    #expect(record.requestID == requestID, "\(label)")
                    #expect(!seen.contains(requestID), "request ids are unique")
                    seen.insert(requestID)
                    #expect(record.sequence == head + 1, "\(label)")
                    #expect(record.member == identity.member, "\(label)")
                    #expect(record.role == identity.role, "\(label)")
                    #expect(record.organization == identity.organization, "\(label)")
                    #expect(record.country == identity.country, "\(label)")
                    #expect(record.certificateSubject == identity.subject, "\(label)")
                    #expect(record.certificateFingerprint?.count == 64, "\(label)")
                    #expect(record.remoteAddress?.hasPrefix("127.0.0.1:") == true, "\(label)")
                    #expect(record.method == endpoint.method, "\(label)")
                    #expect(record.path == AuditProbe.pathOnly(endpoint.path), "\(label)")
                    if endpoint.method == "POST" && endpoint.path.hasPrefix("/api/") && !endpoint.path.hasPrefix("/api/admin") && endpoint.body != nil && response.status == 200 {
                        #expect(record.query?.contains("requestedGranularity=") == true, "\(label): a Beacon POST's query is read from its body")
                    } else {
                        #expect(record.query == AuditProbe.normalisedQuery(endpoint.path), "\(label)")
                    }
                    #expect(record.status == response.status, "\(label)")
                    #expect(record.policyVersion != nil, "\(label)")
                    if let version = response.headers["x-policy-version"] { #expect(record.policyVersion.map(String.init) == version, "\(label)") }
                    let time = try #require(AuditTime.parse(record.time), "\(label): \(record.time)")
                    #expect(time >= started && time <= Date(), "\(label): \(record.time)")
                    #expect(record.durationMicroseconds >= 0)
                    if (200..<300).contains(response.status) {
                        #expect(record.decision == "allow", "\(label)")
                        #expect(record.reasons.isEmpty, "\(label): \(record.reasons)")
                        #expect(record.returned?.kind.hasPrefix(AuditProbe.expectedKind(endpoint.method, endpoint.path)) == true,
                                "\(label): \(record.returned?.kind ?? "none")")
                    } else {
                        #expect(record.decision == "deny", "\(label)")
                        #expect(record.returned?.kind == "error", "\(label)")
                        #expect(!record.reasons.isEmpty, "\(label)")
                        let code = ((try? response.json())?["error"] as? [String: Any])?["code"] as? String
                        if let code { #expect(record.reasons.contains(code), "\(label): \(record.reasons) lacks \(code)") }
                    }
                    if response.status == 403 { #expect(record.reasons.contains("role_forbidden"), "\(label): \(record.reasons)") }
                    if response.status == 404 { #expect(record.reasons.contains("not_found"), "\(label): \(record.reasons)") }
                    if let length = response.headers["content-length"].flatMap(Int.init) {
                        #expect(record.bytes == length, "\(label)")
                    }
                }
            }
            // The whole log is one valid chain.
            let entries = try await log.database.records(AuditQuery(), after: 0, limit: 100_000)
            #expect(entries.count == (RoleMatrixTests.endpoints.count + Self.auditEndpoints.count) * 3)
            let report = try AuditVerifier(publicKey: nil).verify(records: entries.map { Substring($0.line) }, recordsFile: "-", checkpoints: [], checkpointsFile: "-")
            #expect(report.records == entries.count)
        }
    }

    @Test("a data query records approval, policy version, what kind of answer left and over how many samples", arguments: [
        ("/api/biosamples?referenceName=1&start=2999&alternateBases=A&requestedGranularity=count", "beacon-count"),
        ("/api/g_variants?referenceName=1&start=2999&alternateBases=A", "beacon-boolean"),
        ("/api/aggregate/allele-frequency?referenceName=1&start=999&alternateBases=G", "allele-frequency"),
        ("/api/aggregate/cohort-summary", "cohort-summary"),
    ])
    func dataQuery(path: String, kind: String) async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data) { gateway in
            let head = gateway.server.audit.headSequence
            let response = try await gateway.get(path, as: "researcher-jp")
            #expect(response.status == 200)
            let record = try #require(try await AuditProbe.records(gateway.server.audit, after: head).first)
            #expect(record.requestID == response.headers["x-request-id"])
            #expect(record.approval == "A-2026-001")
            #expect(record.approval == response.headers["x-approval-id"])
            #expect(record.policyVersion != nil)
            #expect(record.policyVersion.map(String.init) == response.headers["x-policy-version"])
            #expect(record.policyRevision?.count == 32, "the revision names the exact policy, even after a restore")
            #expect(record.policyRevision == response.headers["x-policy-revision"])
            #expect(record.decision == "allow")
            #expect(record.returned?.kind == kind)
            #expect(record.returned?.contributingSamples == 58, "C20 never counts: 58 samples")
            // Cells reading "<5", not the "<5" the disclosure note quotes.
            let note = ((try response.json())["disclosure"] as? String) ?? ""
            let hidden = response.text.components(separatedBy: "\"<").count - 1 - (note.components(separatedBy: "\"<").count - 1)
            #expect(record.returned?.suppressedCells == hidden)
            if kind == "allele-frequency" { #expect(hidden > 0, "the colorectal tumour stratum reads <5") }
            #expect(record.cohortRestriction == nil)
            #expect(record.query == AuditProbe.normalisedQuery(path))
        }
    }

    @Test("a restricted cohort and a refused query are recorded with their restriction and reasons")
    func restrictionAndRefusal() async throws {
        let data = try BeaconCohort.makeDataFolder()
        let query = "/api/biosamples?referenceName=1&start=2999&alternateBases=A&requestedGranularity=count"
        try await TestGateway.with(dataDirectory: data, disclosure: DisclosurePolicy(minimumCohortSize: 5)) { gateway in
            let head = gateway.server.audit.headSequence
            let response = try await gateway.get(query, as: "researcher-us")
            #expect(response.status == 200)
            let record = try #require(try await AuditProbe.records(gateway.server.audit, after: head).first)
            #expect(record.member == "researcher-us" && record.country == "US" && record.organization == "example-therapeutics")
            #expect(record.cohortRestriction?.contains("overseas") == true, "\(record.cohortRestriction ?? "none")")
            #expect(record.returned?.contributingSamples == 10, "C01-C05, tumour and normal")
            #expect(record.decision == "allow")
        }
        try await TestGateway.with(dataDirectory: data) { gateway in
            let head = gateway.server.audit.headSequence
            let response = try await gateway.get(query, as: "researcher-us")
            #expect(response.status == 403)
            let record = try #require(try await AuditProbe.records(gateway.server.audit, after: head).first)
            #expect(record.decision == "deny")
            #expect(record.reasons.contains("cohort_too_small"), "\(record.reasons)")
            #expect(record.returned?.kind == "error")
            #expect(record.returned?.contributingSamples == nil, "nothing left")
            #expect(record.status == 403)
        }
    }

    @Test("a refused TLS handshake is recorded with method TLS and the certificate shown", arguments: ["stranger", "revoked", "expired"])
    func refusedHandshake(identity: String) async throws {
        try await TestGateway.with { gateway in
            let log = gateway.server.audit
            let head = log.headSequence
            let result = try await gateway.curl([gateway.url + "/api/whoami"], as: identity)
            #expect(result.status != 0)
            let failure = try await gateway.handshakes.waitForFailure()
            let record = try await AuditProbe.waitForRecord(log, after: head) { $0.method == "TLS" }
            #expect(record.requestID == nil)
            #expect(record.status == 0)
            #expect(record.path == "-")
            #expect(record.decision == "deny")
            #expect(record.reasons == [failure.code.rawValue])
            #expect(record.member == nil && record.role == nil && record.organization == nil)
            #expect(record.certificateSubject == failure.peerSubject)
            #expect(record.certificateSubject?.contains("CN=\(identity)") == true, "\(record.certificateSubject ?? "none")")
            #expect(record.certificateFingerprint == (try await AuditProbe.fingerprint("\(gateway.pki)/\(identity).pem")))
            #expect(record.remoteAddress?.contains("127.0.0.1") == true, "\(record.remoteAddress ?? "none")")
            #expect(try await AuditProbe.records(log, after: head).count == 1, "no HTTP request was recorded")
        }
    }

    @Test("a refused handshake's remote address has the same form as a request's (IP:port)")
    func refusedHandshakeAddress() async throws {
        try await TestGateway.with { gateway in
            let head = gateway.server.audit.headSequence
            _ = try await gateway.curl([gateway.url + "/api/whoami"], as: "stranger")
            let refused = try await AuditProbe.waitForRecord(gateway.server.audit, after: head) { $0.method == "TLS" }
            let answered = try await gateway.get("/api/whoami", as: "researcher-jp")
            #expect(answered.status == 200)
            let request = try await AuditProbe.waitForRecord(gateway.server.audit, after: head) { $0.method == "GET" }
            #expect(request.remoteAddress?.hasPrefix("127.0.0.1:") == true, "\(request.remoteAddress ?? "none")")
            #expect(refused.remoteAddress?.hasPrefix("127.0.0.1:") == true, "\(refused.remoteAddress ?? "none")")
        }
    }

    @Test("a handshake without a client certificate is recorded with no identity")
    func noCertificate() async throws {
        try await TestGateway.with { gateway in
            let head = gateway.server.audit.headSequence
            _ = try await gateway.curl([gateway.url + "/api/info"], as: nil)
            let record = try await AuditProbe.waitForRecord(gateway.server.audit, after: head) { $0.method == "TLS" }
            #expect(record.certificateSubject == nil && record.certificateFingerprint == nil)
            #expect(record.decision == "deny" && record.status == 0 && !record.reasons.isEmpty)
        }
    }

    @Test("an unregistered certificate is recorded with its fingerprint and unknown_member")
    func unregistered() async throws {
        try await TestGateway.with { gateway in
            let head = gateway.server.audit.headSequence
            let response = try await gateway.get("/api/whoami", as: "unregistered")
            #expect(response.status == 403)
            let records = try await AuditProbe.records(gateway.server.audit, after: head)
            try #require(records.count == 1)
            let record = records[0]
            #expect(record.requestID == response.headers["x-request-id"])
            #expect(record.certificateFingerprint == (try await AuditProbe.fingerprint(gateway.pki + "/unregistered.pem")))
            #expect(record.certificateSubject?.contains("CN=unregistered") == true)
            #expect(record.member == nil && record.role == nil && record.organization == nil && record.country == nil)
            #expect(record.reasons.contains("unknown_member"), "\(record.reasons)")
            #expect(record.decision == "deny")
            #expect(record.method == "GET" && record.path == "/api/whoami" && record.status == 403)
        }
    }

    @Test("the export ends at the head it signs first; its own request is recorded after; CSV has the header; the same range twice is identical")
    func exportEndpoint() async throws {
        try await TestGateway.with { gateway in
            let auditor = try await gateway.client("auditor")
            let researcher = try await gateway.client("researcher-jp")
            for _ in 0..<5 { _ = try await offThread { try researcher.request("GET", "/api/info") } }
            let head = gateway.server.audit.headSequence
            let export = try await offThread { try auditor.request("GET", "/api/audit/records") }
            #expect(export.status == 200)
            #expect(export.headers["content-type"]?.hasPrefix("application/x-ndjson") == true)
            let lines = export.text.split(separator: "\n")
            #expect(lines.count == head, "every record committed before the export (it ends at the head it signs first)")
            let own = try #require(try await AuditProbe.records(gateway.server.audit, after: head).first)
            #expect(own.requestID == export.headers["x-request-id"])
            #expect(own.member == "auditor" && own.path == "/api/audit/records" && own.returned?.kind == "audit-export")
            #expect(own.bytes == nil, "streamed")
            #expect(lines.last.map { $0.contains("\"request_id\":\"\(own.requestID ?? "?")\"") } == false)
            #expect(try await gateway.server.audit.database.checkpoints().last?.sequence == head, "the export signed the head")

            let csv = try await offThread { try auditor.request("GET", "/api/audit/records?format=csv&from_sequence=2&to_sequence=4") }
            #expect(csv.status == 200)
            #expect(csv.headers["content-type"]?.hasPrefix("text/csv") == true)
            let rows = csv.text.split(separator: "\n")
            #expect(rows.first.map(String.init) == AuditRecord.csvColumns.joined(separator: ","))
            #expect(rows.dropFirst().map { String($0.prefix { $0 != "," }) } == ["2", "3", "4"])
            let csvRecord = try #require(try await AuditProbe.records(gateway.server.audit, after: head + 1).first)
            #expect(csvRecord.query == "format=csv&from_sequence=2&to_sequence=4")

            for path in ["/api/audit/records?from_sequence=1&to_sequence=6", "/api/audit/records?format=csv&to_sequence=6"] {
                let first = try await offThread { try auditor.request("GET", path) }
                _ = try await offThread { try researcher.request("GET", "/api/info") }
                let second = try await offThread { try auditor.request("GET", path) }
                #expect(first.status == 200 && second.status == 200)
                #expect(first.body == second.body, "\(path)")
                #expect(first.body.count > 100)
            }
        }
    }

    @Test("export filters select exactly the records they name", arguments: [
        ("member=auditor", "auditor", nil, nil),
        ("organization=kyoto-u", nil, "kyoto-u", nil),
        ("decision=deny", nil, nil, "deny"),
        ("decision=allow&member=researcher-jp", "researcher-jp", nil, "allow"),
    ] as [(String, String?, String?, String?)])
    func exportFilters(filter: String, member: String?, organization: String?, decision: String?) async throws {
        try await TestGateway.with { gateway in
            let researcher = try await gateway.client("researcher-jp")
            let auditor = try await gateway.client("auditor")
            for path in ["/api/info", "/api/admin/members", "/api/whoami"] { _ = try await offThread { try researcher.request("GET", path) } }
            _ = try await offThread { try auditor.request("GET", "/api/datasets") }
            let head = gateway.server.audit.headSequence
            let response = try await offThread { try auditor.request("GET", "/api/audit/records?" + filter) }
            #expect(response.status == 200)
            let exported = try response.text.split(separator: "\n").map { line in
                let canonical = try #require(AuditLine.embedded("record", in: line))
                return try JSONDecoder().decode(AuditRecord.self, from: Data(canonical.utf8))
            }
            #expect(!exported.isEmpty)
            // Everything stored before the export (it ends at the head it signs), filtered the same way.
            let expected = try await AuditProbe.records(gateway.server.audit, after: 0).filter {
                $0.sequence <= head && (member == nil || $0.member == member) && (organization == nil || $0.organization == organization)
                    && (decision == nil || $0.decision == decision)
            }
            #expect(exported.map(\.requestID) == expected.map(\.requestID))
            #expect(exported.map(\.sequence) == expected.map(\.sequence))
        }
    }

    @Test("bad export parameters are a 400 bad_request, recorded", arguments: [
        "format=xml", "decision=maybe", "from_sequence=-1", "to_sequence=ten", "from_time=yesterday", "colour=blue",
    ])
    func badExportParameters(query: String) async throws {
        try await TestGateway.with { gateway in
            let head = gateway.server.audit.headSequence
            let response = try await gateway.get("/api/audit/records?" + query, as: "auditor")
            #expect(response.status == 400)
            #expect(((try response.json())["error"] as? [String: Any])?["code"] as? String == "bad_request")
            let record = try #require(try await AuditProbe.records(gateway.server.audit, after: head).first)
            #expect(record.reasons.contains("bad_request") && record.decision == "deny" && record.status == 400)
        }
    }

    @Test("the JSON Lines export verifies with the checkpoints and public key the gateway serves")
    func exportVerifies() async throws {
        try await TestGateway.with(configure: { $0.audit.checkpointEveryRecords = 5 }) { gateway in
            let researcher = try await gateway.client("researcher-jp")
            let auditor = try await gateway.client("auditor")
            for index in 0..<12 {
                _ = try await offThread { try researcher.request("GET", index.isMultiple(of: 3) ? "/api/admin/members" : "/api/info") }
            }
            // The records export signs the head (12) first and ends there; the checkpoints fetched
            // after it include that checkpoint.
            let records = try await offThread { try auditor.request("GET", "/api/audit/records") }
            let checkpoints = try await offThread { try auditor.request("GET", "/api/audit/checkpoints") }
            let key = try await offThread { try auditor.request("GET", "/api/audit/public-key") }
            #expect(checkpoints.status == 200 && records.status == 200 && key.status == 200)
            #expect(key.text == (try String(contentsOfFile: gateway.pki + "/audit-signing.pub.pem", encoding: .utf8)))
            let verifier = AuditVerifier(publicKey: try AuditSignatureVerifier(publicKeyPEM: key.text))
            let recordLines = records.text.split(separator: "\n", omittingEmptySubsequences: false)
            let checkpointLines = checkpoints.text.split(separator: "\n", omittingEmptySubsequences: false)
            let report = try verifier.verify(records: recordLines, recordsFile: "records.jsonl", checkpoints: checkpointLines,
                                             checkpointsFile: "checkpoints.jsonl", requireSignedEnd: true)
            #expect(report.records == 12, "the 12 requests before the export")
            #expect(report.firstSequence == 1 && report.lastSequence == 12)
            #expect(report.checkpoints == 3, "at 5 and 10 by count, at 12 by the export")
            #expect(report.lastCheckpointedSequence == 12)
            // A changed record in what the gateway served is caught.
            var tampered = recordLines
            tampered[1] = Substring(tampered[1].replacingOccurrences(of: "\"status\":200", with: "\"status\":500"))
            #expect(tampered[1] != recordLines[1])
            #expect(throws: AuditVerifier.Failure.self) {
                try verifier.verify(records: tampered, recordsFile: "records.jsonl", checkpoints: checkpointLines, checkpointsFile: "checkpoints.jsonl")
            }
        }
    }
}
