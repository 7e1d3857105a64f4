import Foundation
import GatewayServer
import GatewayTestSupport
import GRDB
import Testing

/// The metrics and health listener of a real gateway (README "Metrics and health").
@Suite("Operations: metrics and health of a running gateway")
struct OperationsTests {
    static func scrape(_ port: Int?, _ path: String) async throws -> PlainHTTP.Response {
        let port = try #require(port, "the gateway was started without its operations listener")
        return try await offThread { try PlainHTTP.request(port: port, "GET", path) }
    }

    /// A metric's value in the text format, by its full series text (name and labels).
    static func value(_ series: String, in text: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1))
        }
        return nil
    }

    @Test("requests over mTLS move the counters and histograms, labelled by route template; no member, organization or person is named")
    func metricsAfterRequests() async throws {
        try await TestGateway.with(withOperations: true) { gateway in
            let jp = try await gateway.client("researcher-jp")
            for _ in 0..<3 { #expect(try await offThread { try jp.request("GET", "/api/whoami").status } == 200) }
            // Denied by role: a researcher on the secretariat's API.
            #expect(try await offThread { try jp.request("GET", "/api/admin/approvals").status } == 403)
            // No such route, with a member's id in the path: counted as unrouted, the path is not kept.
            #expect(try await offThread { try jp.request("GET", "/api/nothing-here/researcher-jp").status } == 404)
            // A parameterised route is counted by its template.
            let secretariat = try await gateway.client("secretariat")
            #expect(try await offThread { try secretariat.request("GET", "/api/admin/members/researcher-de").status } == 200)
            // A refused handshake.
            await #expect(throws: (any Error).self) { try await gateway.requestOnNewConnection("/api/whoami", as: "revoked") }

            // The refusal is counted on the server's side of the handshake, which may end just after the client's.
            var scraped = try await Self.scrape(gateway.operationsPort, "/metrics")
            for _ in 0..<50 where !scraped.body.contains("tls_certificate_revoked") {
                try await Task.sleep(for: .milliseconds(20))
                scraped = try await Self.scrape(gateway.operationsPort, "/metrics")
            }
            #expect(scraped.status == 200)
            let text = scraped.body
            #expect(Self.value(#"genomegate_http_requests_total{route="/api/whoami",method="GET",status="200",decision="allow"}"#, in: text) == 3, "\(text)")
            #expect(Self.value(#"genomegate_http_request_duration_seconds_count{route="/api/whoami"}"#, in: text) == 3)
            #expect(Self.value(#"genomegate_http_requests_total{route="/api/admin/approvals",method="GET",status="403",decision="deny"}"#, in: text) == 1)
            #expect(Self.value(#"genomegate_http_requests_total{route="unrouted",method="GET",status="404",decision="deny"}"#, in: text) == 1)
            let memberRoute = try #require(text.split(separator: "\n").first { $0.hasPrefix(#"genomegate_http_requests_total{route="/api/admin/members/"#) })
            #expect(memberRoute.contains("{") && memberRoute.contains(#"status="200",decision="allow"} 1"#), "\(memberRoute)")
            #expect((Self.value(#"genomegate_tls_handshakes_total{outcome="completed"}"#, in: text) ?? 0) >= 2)
            #expect(Self.value(#"genomegate_tls_handshakes_total{outcome="tls_certificate_revoked"}"#, in: text) == 1, "\(text)")
            #expect((Self.value("genomegate_audit_records_committed_total", in: text) ?? 0) >= 6)
            #expect((Self.value("genomegate_audit_commit_duration_seconds_count", in: text) ?? 0) >= 1)
            #expect(Self.value("genomegate_audit_commit_failures_total", in: text) == 0)
            #expect(Self.value("genomegate_audit_queue_depth", in: text) != nil)
            #expect(Self.value("genomegate_policy_version", in: text) == Double(gateway.server.policy.database.snapshot.version))
            #expect(Self.value("genomegate_policy_version", in: text) ?? 0 >= 1)
            // The dev CRL's nextUpdate, counted down at the scrape: positive, and no further off than the CRL says.
            let crlNextUpdate = try #require(gateway.server.contexts.crlNextUpdate)
            let crlSeconds = try #require(Self.value("genomegate_tls_crl_next_update_seconds", in: text), "\(text)")
            #expect(crlSeconds > 0 && abs(crlSeconds - crlNextUpdate.timeIntervalSinceNow) < 60, "\(crlSeconds)")
            // Nothing names a member, an organization or a person, nor a certificate subject.
            for name in ["researcher-jp", "researcher-de", "kyoto-u", "heidelberg-u", "Hanako", "Sato", "Kyoto", "CN=", "O=", "\"revoked\"", "Revoked Example"] {
                #expect(!text.contains(name), "\(name) appears in the metrics")
            }
        }
    }

    @Test("healthz answers while serving; readyz is 503 naming the variant store while it cannot be read, 200 once it can")
    func readinessOfVariantStore() async throws {
        try await TestGateway.with(withOperations: true) { gateway in
            let health = try await Self.scrape(gateway.operationsPort, "/healthz")
            #expect(health.status == 200 && health.body == "ok\n")
            #expect(try await Self.scrape(gateway.operationsPort, "/readyz").status == 200)

            // The sample table goes away under the gateway (as a broken restore would leave it).
            let store = try DatabaseQueue(path: gateway.server.configuration.dataDirectory + "/variants.sqlite")
            try await store.write { db in try db.execute(sql: "ALTER TABLE sample RENAME TO sample_away") }
            let unready = try await Self.scrape(gateway.operationsPort, "/readyz")
            #expect(unready.status == 503)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(unready.body.utf8)) as? [String: Any])
            #expect(object["status"] as? String == "unready")
            #expect(object["failing"] as? [String] == ["variants"], "\(unready.body)")
            #expect(((object["detail"] as? [String: String])?["variants"] ?? "").contains("sample"), "\(unready.body)")

            try await store.write { db in try db.execute(sql: "ALTER TABLE sample_away RENAME TO sample") }
            #expect(try await Self.scrape(gateway.operationsPort, "/readyz").status == 200)
        }
    }

    @Test("readyz is 503 naming the audit log while its store cannot be written, and ready again once it can")
    func readinessOfAuditLog() async throws {
        let prlimit = ["/usr/bin/prlimit", "/bin/prlimit"].first { FileManager.default.isExecutableFile(atPath: $0) }
        try #require(prlimit != nil, "prlimit (util-linux) is needed")
        let pki = try await DevPKI.shared()
        let data = try CommandLineTests.dataWithPolicy("operations-audit")
        let process = try ChildProcess([CommandLineTests.binary, "serve"] + CommandLineTests.flags(pki, data: data) + ["--log-level", "error"], output: true)
        defer { if process.isRunning { process.terminate() } }
        let ready = try await CommandLineTests.firstLine(process)
        let port = try #require(Int(ready.split(separator: ":")[3].split(separator: " ")[0]), "\(ready)")
        let metricsURL = try #require(ready.range(of: "metrics and health on http://127.0.0.1:"), "\(ready)")
        let metricsPort = try #require(Int(ready[metricsURL.upperBound...]), "\(ready)")
        let client = try await offThread { try TestTLSClient(port: port, pki: pki, identity: "researcher-jp") }
        #expect(try await offThread { try client.request("GET", "/api/whoami").status } == 200)
        #expect(try await Self.scrape(metricsPort, "/readyz").status == 200)

        // The WAL can no longer grow: the next commit fails, the answer is withheld.
        let size = try #require(try FileManager.default.attributesOfItem(atPath: data + "/audit.sqlite-wal")[.size] as? Int)
        let pid = String(process.processIdentifier)
        #expect(try await Subprocess.run([prlimit!, "--pid", pid, "--fsize=\(size):"]).status == 0)
        #expect(try await offThread { try client.request("GET", "/api/whoami").status } == 503)
        let unready = try await Self.scrape(metricsPort, "/readyz")
        #expect(unready.status == 503)
        #expect(unready.body.contains(#""failing":["audit"]"#), "\(unready.body)")
        let metrics = try await Self.scrape(metricsPort, "/metrics")
        #expect((Self.value("genomegate_audit_commit_failures_total", in: metrics.body) ?? 0) >= 1, "\(metrics.body)")
        #expect(Self.value(#"genomegate_http_requests_total{route="/api/whoami",method="GET",status="503",decision="deny"}"#, in: metrics.body) == 1)

        #expect(try await Subprocess.run([prlimit!, "--pid", pid, "--fsize=unlimited:"]).status == 0)
        #expect(try await offThread { try client.request("GET", "/api/whoami").status } == 200)
        #expect(try await Self.scrape(metricsPort, "/readyz").status == 200)
        process.terminate()
        try await offThread { process.waitUntilExit() }
        #expect(process.terminationStatus == 0)
    }

    @Test("--log-format json: every stderr line is a JSON object; each request has an access entry with id, member, route, status, duration")
    func jsonAccessLog() async throws {
        let pki = try await DevPKI.shared()
        let data = try CommandLineTests.dataWithPolicy("operations-log")
        let process = try ChildProcess([CommandLineTests.binary, "serve"] + CommandLineTests.flags(pki, data: data) + ["--log-format", "json"],
                                       output: true, error: true)
        defer { if process.isRunning { process.terminate() } }
        let ready = try await CommandLineTests.firstLine(process)
        let port = try #require(Int(ready.split(separator: ":")[3].split(separator: " ")[0]), "\(ready)")
        let answer = try await offThread { try TestTLSClient(port: port, pki: pki, identity: "researcher-jp").request("GET", "/api/whoami") }
        #expect(answer.status == 200)
        let id = try #require(answer.headers["x-request-id"])
        process.terminate()
        try await offThread { process.waitUntilExit() }
        let stderr = try #require(process.standardError)
        let text = String(decoding: try stderr.readToEnd() ?? Data(), as: UTF8.self)
        let lines = text.split(separator: "\n")
        #expect(lines.count >= 3, "\(text)")
        var access: [String: Any]?
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not JSON: \(line)")
            #expect(object["timestamp"] is String && object["level"] is String && object["label"] is String && object["message"] is String)
            let metadata = object["metadata"] as? [String: Any]
            if object["message"] as? String == "request", metadata?["request.id"] as? String == id { access = metadata }
        }
        let entry = try #require(access, "no access entry for \(id) in \(text)")
        #expect(entry["member"] as? String == "researcher-jp")
        #expect(entry["route"] as? String == "/api/whoami")
        #expect(entry["status"] as? String == "200")
        #expect(entry["decision"] as? String == "allow")
        #expect(Double(entry["duration_ms"] as? String ?? "") != nil, "\(entry)")
    }

    @Test("the disclosure ledger's refusals are counted by reason")
    func privacyRefusals() async throws {
        let data = try BeaconCohort.makeDataFolder()
        var privacy = GatewayConfiguration.Privacy()
        privacy.approvalBudget = 0.1
        try await TestGateway.with(dataDirectory: data, privacy: privacy) { gateway in
            let researcher = try await gateway.client("researcher-jp")
            let ledger = PrivacyLedgerGatewayTests.self
            #expect(try await PolicyAPITests.send(researcher, "GET", ledger.common).status == 200)
            let differencing = try await PolicyAPITests.send(researcher, "GET", ledger.common + "&filters=genomegate:qc-pass")
            #expect(ledger.code(differencing) == "differencing_refused")
            #expect(try await PolicyAPITests.send(researcher, "GET", ledger.other).status == 200)
            #expect(try await PolicyAPITests.send(researcher, "GET", ledger.stratified).status == 200)
            let refused = try await PolicyAPITests.send(researcher, "GET", "/api/aggregate/allele-frequency?referenceName=1&start=1999&alternateBases=T&strata=false")
            #expect(ledger.code(refused) == "privacy_budget_exhausted")
            let text = String(decoding: gateway.server.metrics.render(), as: UTF8.self)
            #expect(Self.value(#"genomegate_privacy_refusals_total{reason="differencing_refused"}"#, in: text) == 1, "\(text)")
            #expect(Self.value(#"genomegate_privacy_refusals_total{reason="privacy_budget_exhausted"}"#, in: text) == 1)
            #expect(Self.value(#"genomegate_http_requests_total{route="/api/aggregate/allele-frequency",method="GET",status="429",decision="deny"}"#, in: text) == 1)
        }
    }

    @Test("metrics settings: a non-loopback address needs allow_remote (named in the error); enabled: false serves none", arguments: [
        ("metrics:\n  listen: 0.0.0.0:9464\n", "metrics.allow_remote"),
        ("metrics:\n  listen: 192.168.1.10:0\n", "metrics.allow_remote"),
        ("metrics:\n  listen: nonsense\n", "metrics.listen 'nonsense'"),
        ("metrics:\n  listen: 127.0.0.1:9464\n  allow_remote: maybe\n", "allow_remote"),
        ("metrics:\n  port: 9464\n", "metrics.port"),
    ])
    func badMetricsSettings(yaml: String, mention: String) async throws {
        let pki = try await DevPKI.shared()
        let folder = DevPKI.temporaryFolder("metrics-config")
        try yaml.write(toFile: folder + "/gateway.yaml", atomically: true, encoding: .utf8)
        // The flags without --metrics-listen, so the file's value is the one judged.
        let flags = Array(CommandLineTests.flags(pki, data: try CommandLineTests.dataWithPolicy("metrics-config")).dropLast(2))
        let result = try await Subprocess.run([CommandLineTests.binary, "serve", "--config", folder + "/gateway.yaml"] + flags)
        #expect(result.status != 0)
        #expect(result.stderr.contains(mention), "\(result.stderr)")
        #expect(!result.stdout.contains("listening on"))
    }

    @Test("metrics settings that are accepted: allow_remote for a non-loopback address; enabled: false")
    func acceptedMetricsSettings() throws {
        let base = "listen: 127.0.0.1:0\ntls: {certificate: a, private_key: b, client_ca: c}\ndata_dir: d\naudit: {signing_key: k}\n"
        let remote = try GatewayConfigurationFile.parse(base + "metrics:\n  listen: 0.0.0.0:0\n  allow_remote: true\n", path: "t").resolve()
        #expect(remote.metrics.host == "0.0.0.0" && remote.metrics.allowRemote && remote.metrics.enabled)
        let off = try GatewayConfigurationFile.parse(base + "metrics:\n  enabled: false\n  listen: 0.0.0.0:9464\n", path: "t").resolve()
        #expect(!off.metrics.enabled)
        let standard = try GatewayConfigurationFile.parse(base, path: "t").resolve()
        #expect(standard.metrics.enabled && standard.metrics.host == "127.0.0.1" && standard.metrics.port == 9464)
    }
}
