import Foundation
import GatewayTestSupport
import Hummingbird
import NIOConcurrencyHelpers
import Testing

/// Members authenticate by client certificate and are answered, over real TLS on loopback.
@Suite("Mutual TLS: accepted clients")
struct MutualTLSTests {
    @Test("researcher-jp over TLS 1.3 (curl) gets its member id from /api/whoami")
    func tls13WithCurl() async throws {
        try await TestGateway.with { gateway in
            let result = try await gateway.curl(["--tlsv1.3", "-w", "\n%{http_code}", gateway.url + "/api/whoami"], as: "researcher-jp")
            #expect(result.status == 0, "\(result.stderr)")
            let lines = result.stdout.split(separator: "\n")
            #expect(lines.last == "200")
            let body = try #require(try JSONSerialization.jsonObject(with: Data(lines.first!.utf8)) as? [String: Any])
            let member = try #require(body["member"] as? [String: Any])
            #expect(member["id"] as? String == "researcher-jp")
            #expect(member["role"] as? String == "researcher")
            #expect((body["tls"] as? [String: Any])?["version"] as? String == "TLSv1.3")
            let certificate = try #require(body["certificate"] as? [String: Any])
            #expect(certificate["subject"] as? String == "CN=researcher-jp,O=Kyoto University,C=JP")
            #expect(certificate["country"] as? String == "JP")
            #expect((certificate["fingerprintSha256"] as? String)?.count == 64)
        }
    }

    @Test("researcher-jp over TLS 1.2 (curl), ECDHE with an AEAD suite")
    func tls12WithCurl() async throws {
        try await TestGateway.with { gateway in
            let result = try await gateway.curl(["--tlsv1.2", "--tls-max", "1.2", gateway.url + "/api/whoami"], as: "researcher-jp")
            #expect(result.status == 0, "\(result.stderr)")
            let tls = try #require((try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])?["tls"] as? [String: Any])
            #expect(tls["version"] as? String == "TLSv1.2")
            let suite = try #require(tls["cipherSuite"] as? String)
            #expect(suite.hasPrefix("ECDHE-") && (suite.contains("GCM") || suite.contains("CHACHA20")))
        }
    }

    @Test("our own OpenSSL client, both protocol versions", arguments: [TestTLSClient.tls13, TestTLSClient.tls12])
    func ownClient(version: Int32) async throws {
        try await TestGateway.with { gateway in
            let client = try await gateway.client("researcher-jp", tlsVersion: version)
            let response = try await offThread { try client.request("GET", "/api/whoami") }
            #expect(response.status == 200)
            #expect(((try response.json())["member"] as? [String: Any])?["id"] as? String == "researcher-jp")
            #expect(response.headers["x-request-id"]?.count == 32)
        }
    }

    @Test("an RSA-2048 client certificate works (researcher-gb)")
    func rsaClient() async throws {
        try await TestGateway.with { gateway in
            let response = try await gateway.get("/api/whoami", as: "researcher-gb")
            #expect(response.status == 200)
            #expect(((try response.json())["member"] as? [String: Any])?["id"] as? String == "researcher-gb")
        }
    }

    @Test("a member registered by fingerprint is recognised (researcher-us)")
    func fingerprintMapping() async throws {
        try await TestGateway.with { gateway in
            let response = try await gateway.get("/api/whoami", as: "researcher-us")
            #expect(response.status == 200)
            let member = try #require((try response.json())["member"] as? [String: Any])
            #expect(member["id"] as? String == "researcher-us")
            #expect(member["country"] as? String == "US")
        }
    }

    @Test("every role may read /api/info", arguments: ["researcher-de", "auditor", "secretariat"])
    func infoForEveryRole(identity: String) async throws {
        try await TestGateway.with { gateway in
            let response = try await gateway.get("/api/info", as: identity)
            #expect(response.status == 200)
            #expect(((try response.json())["meta"] as? [String: Any])?["beaconId"] as? String == "jp.genomegate.beacon")
        }
    }

    @Test("1,000 requests on one keep-alive connection all answer 200")
    func thousandOnOneConnection() async throws {
        try await TestGateway.with { gateway in
            let client = try await gateway.client("researcher-jp")
            let statuses = try await offThread {
                try (0..<1000).map { index in try client.request("GET", index.isMultiple(of: 2) ? "/api/whoami" : "/api/info").status }
            }
            #expect(statuses.count == 1000)
            #expect(statuses.allSatisfy { $0 == 200 })
            #expect(gateway.handshakes.allCompleted.count == 1)
        }
    }

    @Test("100 concurrent connections x 20 requests all answer 200")
    func concurrentConnections() async throws {
        try await TestGateway.with { gateway in
            let port = gateway.port, pki = gateway.pki
            let statuses = try await withThrowingTaskGroup(of: [Int].self) { group in
                for index in 0..<100 {
                    let identity = ["researcher-jp", "researcher-de", "researcher-gb", "auditor"][index % 4]
                    group.addTask {
                        try await offThread {
                            let client = try TestTLSClient(port: port, pki: pki, identity: identity)
                            return try (0..<20).map { _ in try client.request("GET", "/api/whoami").status }
                        }
                    }
                }
                return try await group.reduce(into: [Int]()) { $0 += $1 }
            }
            #expect(statuses.count == 2000)
            #expect(statuses.allSatisfy { $0 == 200 })
        }
    }

    @Test("a 10 MB response arrives whole")
    func largeResponse() async throws {
        let size = 10 * 1024 * 1024
        let payload = ByteBuffer(bytes: (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 11) })
        try await TestGateway.with(routes: { router in
            router.get("/test/large", access: .research) { _, _ in
                Response(status: .ok, headers: [.contentType: "application/octet-stream"], body: .init(byteBuffer: payload))
            }
        }) { gateway in
            let client = try await gateway.client("researcher-jp")
            let response = try await offThread { try client.request("GET", "/test/large") }
            #expect(response.status == 200)
            #expect(response.body.count == size)
            #expect(response.body == Array(buffer: payload))
            // The connection is still usable afterwards.
            #expect(try await offThread { try client.request("GET", "/api/whoami").status } == 200)
        }
    }

    @Test("TLS 1.3 session resumption: a returning client skips the full handshake")
    func sessionResumption() async throws {
        try await TestGateway.with { gateway in
            let session = DevPKI.temporaryFolder("session") + "/session.pem"
            let request = Array("GET /api/whoami HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".utf8)
            let base = ["openssl", "s_client", "-connect", "127.0.0.1:\(gateway.port)", "-CAfile", gateway.pki + "/ca.pem",
                        "-cert", gateway.pki + "/researcher-jp.pem", "-key", gateway.pki + "/researcher-jp.key", "-ign_eof"]
            let first = try await Subprocess.run(base + ["-sess_out", session], input: request)
            #expect(first.stdout.contains("\"sessionResumed\":false"))
            let second = try await Subprocess.run(base + ["-sess_in", session], input: request)
            #expect(second.stdout.contains("Reused, TLSv1.3"), "\(second.stdout.prefix(400))")
            #expect(second.stdout.contains("\"sessionResumed\":true"))
            #expect(second.stdout.contains("\"id\":\"researcher-jp\""))
        }
    }

    @Test("the server sends its certificate file's chain as it is, and one reusable session ticket per full handshake")
    func chainAndTicket() async throws {
        try await TestGateway.with { gateway in
            let session = DevPKI.temporaryFolder("ticket") + "/session.pem"
            let request = Array("GET /api/whoami HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".utf8)
            let base = ["openssl", "s_client", "-connect", "127.0.0.1:\(gateway.port)", "-CAfile", gateway.pki + "/ca.pem",
                        "-cert", gateway.pki + "/researcher-jp.pem", "-key", gateway.pki + "/researcher-jp.key", "-ign_eof"]
            let first = try await Subprocess.run(base + ["-showcerts", "-msg", "-sess_out", session], input: request)
            let certificatesSent = first.stdout.split(whereSeparator: \.isNewline).filter { $0.hasPrefix(" 0 s:") || $0.hasPrefix(" 1 s:") }
            #expect(certificatesSent.count == 1, "server.pem holds the leaf only; no CA may be appended: \(certificatesSent)")
            #expect(first.stdout.components(separatedBy: "NewSessionTicket").count - 1 == 1, "one ticket per full handshake")
            for _ in 0..<2 {
                let resumed = try await Subprocess.run(base + ["-sess_in", session], input: request)
                #expect(resumed.stdout.contains("Reused, TLSv1.3"), "the ticket resumes again: \(resumed.stdout.prefix(300))")
            }
        }
    }

    @Test("headers that claim a certificate identity are ignored")
    func impersonationHeadersIgnored() async throws {
        try await TestGateway.with { gateway in
            let response = try await gateway.get("/api/whoami", as: "researcher-jp", headers: [
                ("X-SSL-Client-DN", "CN=auditor,O=GenomeGate Audit Department,C=JP"),
                ("X-Forwarded-Client-Cert", "Hash=abc;Subject=\"CN=secretariat\""),
                ("X-Member-Id", "auditor"),
            ])
            #expect(response.status == 200)
            #expect(((try response.json())["member"] as? [String: Any])?["id"] as? String == "researcher-jp")
        }
    }

    @Test("the server ends a connection with close_notify")
    func closeNotify() async throws {
        try await TestGateway.with { gateway in
            let client = try await gateway.client("researcher-jp")
            let response = try await offThread { try client.request("GET", "/api/whoami", headers: [("Connection", "close")]) }
            #expect(response.status == 200)
            #expect(try await offThread { client.ending() } == .closeNotify)
        }
    }

    @Test("unknown paths answer 404 with a JSON error")
    func unknownPath() async throws {
        try await TestGateway.with { gateway in
            let response = try await gateway.get("/api/nothing-here", as: "researcher-jp")
            #expect(response.status == 404)
            #expect(response.headers["content-type"]?.hasPrefix("application/json") == true)
            let error = try #require((try response.json())["error"] as? [String: Any])
            #expect(error["code"] as? String == "not_found")
            #expect((error["message"] as? String)?.isEmpty == false)
        }
    }
}
