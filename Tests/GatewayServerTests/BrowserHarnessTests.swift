import Foundation
import GatewayTestSupport
import GatewayTLS
import Testing

/// The browser harness against a real gateway: chromium (Playwright, headless) presents the dev
/// certificates over mutual TLS, a browser without one gets nothing, the gateway's own
/// certificate is verified, and pages can be read, clicked, filled, posted and photographed.
/// The console's page tests are written with the same harness (BrowserHarness, Browser/browser.py).
/// Needs scripts/install-deps --tests; without chromium or Playwright these tests fail saying so.
/// Serialized: each test starts a browser, and several at once would only slow each other down.
@Suite("Browser harness: chromium over mutual TLS", .serialized)
struct BrowserHarnessTests {
    /// `member` of an `/api/whoami` answer shown as the page's text.
    struct WhoAmI: Decodable {
        struct Member: Decodable { var id, role: String }
        var member: Member
    }

    static func whoami(_ result: BrowserHarness.Result) throws -> WhoAmI {
        try JSONDecoder().decode(WhoAmI.self, from: Data((result.text ?? "").utf8))
    }

    @Test("researcher-jp and auditor each reach /api/whoami with their own certificate; a screenshot is a PNG")
    func certificatesInTheBrowser() async throws {
        try await TestGateway.with { gateway in
            let shots = DevPKI.temporaryFolder("browser-shots")
            let run = try await BrowserHarness.run([
                .open("/api/whoami", as: "researcher-jp"),
                .screenshot(shots + "/whoami-researcher.png", as: "researcher-jp"),
                .open("/api/whoami", as: "auditor"),
            ], against: gateway)
            let (researcher, shot, auditor) = (run.results[0], run.results[1], run.results[2])
            #expect(run.results.allSatisfy { $0.ok }, "\(run.results.compactMap(\.error))")
            #expect(researcher.status == 200 && auditor.status == 200)
            let researcherMember = try Self.whoami(researcher).member, auditorMember = try Self.whoami(auditor).member
            #expect(researcherMember.id == "researcher-jp" && researcherMember.role == "researcher")
            #expect(auditorMember.id == "auditor" && auditorMember.role == "auditor")
            let png = try Data(contentsOf: URL(fileURLWithPath: shots + "/whoami-researcher.png"))
            #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "not a PNG")
            #expect(png.count > 1000 && shot.bytes == png.count)
            // The handshakes the gateway completed were the browser's, with those certificates.
            let subjects = Set(gateway.handshakes.allCompleted.map(\.peer.subject))
            #expect(subjects.contains { $0.contains("CN=researcher-jp") } && subjects.contains { $0.contains("CN=auditor") })
        }
    }

    @Test("without a client certificate the browser gets nothing: the gateway refuses the handshake")
    func noCertificateGetsNothing() async throws {
        try await TestGateway.with { gateway in
            let run = try await BrowserHarness.run([.open("/api/whoami", as: nil).mustFail], against: gateway)
            let load = run.results[0]
            #expect(load.ok && load.text == nil, "the load succeeded: \(load.text ?? "")")
            // A network error, not a refusal of the server's certificate (chromium names the TLS 1.3
            // alert ERR_BAD_SSL_CLIENT_AUTH_CERT, or, when it reads the alert after the connection
            // closed on a loaded machine, a reset); the gateway's side names the reason below.
            let error = load.error ?? ""
            #expect(error.contains("net::ERR_") && !error.contains("ERR_CERT_"), "\(error)")
            let failure = try await gateway.handshakes.waitForFailure()
            #expect(failure.code == .noCertificate)
        }
    }

    @Test("the gateway's certificate is verified: trusting another CA and another server key, nothing loads")
    func serverCertificateIsVerified() async throws {
        try await TestGateway.with { gateway in
            // A copy of the PKI whose CA and pinned server certificate are not the gateway's.
            let other = DevPKI.temporaryFolder("browser-other-ca")
            for name in ["researcher-jp.pem", "researcher-jp.key"] {
                try FileManager.default.copyItem(atPath: gateway.pki + "/" + name, toPath: other + "/" + name)
            }
            for name in ["ca.pem", "server.pem"] {
                try FileManager.default.copyItem(atPath: gateway.pki + "/other-ca.pem", toPath: other + "/" + name)
            }
            let run = try await BrowserHarness.run([
                .open("/api/whoami", as: "researcher-jp").mustFail,
                .open("/api/whoami", as: nil).mustFail,
            ], against: gateway, pki: other)
            #expect(run.results.allSatisfy { $0.ok }, "a load succeeded: \(run.results.compactMap(\.text))")
            #expect(run.results[0].error?.contains("unable to verify") == true, "\(run.results[0].error ?? "")")
            #expect(run.results[1].error?.contains("ERR_CERT_AUTHORITY_INVALID") == true, "\(run.results[1].error ?? "")")
        }
    }

    @Test("links, forms and cross-site posts go through the harness to the gateway")
    func pageActions() async throws {
        try await TestGateway.with { gateway in
            let folder = DevPKI.temporaryFolder("browser-page")
            let page = """
                <!doctype html><html><head><title>Harness check</title></head><body>
                <h1 id="title">Harness check</h1>
                <a id="whoami" href="\(gateway.url)/api/whoami">who am I</a>
                <form id="query" method="get" action="\(gateway.url)/api/whoami">
                <input id="note" name="note"><button type="submit">Go</button></form>
                </body></html>
                """
            try page.write(toFile: folder + "/page.html", atomically: true, encoding: .utf8)
            let me = "researcher-jp", url = "file://" + folder + "/page.html"
            let run = try await BrowserHarness.run([
                .open(url, as: me),
                .text("#title", as: me),
                .count("a", as: me),
                .attribute("href", of: "#whoami", as: me),
                .click("#whoami", as: me),
                .open(url, as: me),
                .fill("#note", with: "hello", as: me),
                .submit("#query", as: me),
                .crossSitePost("/api/whoami", form: ["reason": "x"], as: me),
            ], against: gateway)
            let results = run.results
            #expect(results.allSatisfy { $0.ok }, "\(results.compactMap(\.error))")
            #expect(results[1].text == "Harness check" && results[2].count == 1)
            #expect(results[3].value == gateway.url + "/api/whoami")
            // The page is another site's (a file), so the gateway refuses what it sends to the API (BrowserOriginGuard):
            // the click, the filled form (its value in the URL) and the post all reached it.
            #expect(results[4].status == 403 && results[4].url == gateway.url + "/api/whoami")
            #expect(results[7].status == 403 && results[7].url == gateway.url + "/api/whoami?note=hello")
            #expect(results[8].status == 403 && results[8].text?.contains("cross_site_request") == true)
        }
    }
}
