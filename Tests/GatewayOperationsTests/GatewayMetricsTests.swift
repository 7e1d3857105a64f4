import Foundation
import GatewayOperations
import Testing

@Suite("Metrics: names, labels, text format")
struct GatewayMetricsTests {
    static func text(_ metrics: GatewayMetrics) -> String { String(decoding: metrics.render(), as: UTF8.self) }

    @Test("requests are counted by route template, method, status and decision; latency by route")
    func requests() {
        let metrics = GatewayMetrics()
        for _ in 0..<3 { metrics.recordRequest(route: "/api/whoami", method: "GET", status: 200, allowed: true, nanoseconds: 700_000) }
        metrics.recordRequest(route: "/api/admin/members", method: "GET", status: 403, allowed: false, nanoseconds: 3_000_000)
        metrics.recordRequest(route: nil, method: "GET", status: 404, allowed: false, nanoseconds: 100_000)
        let text = Self.text(metrics)
        #expect(text.contains(#"genomegate_http_requests_total{route="/api/whoami",method="GET",status="200",decision="allow"} 3"#), "\(text)")
        #expect(text.contains(#"genomegate_http_requests_total{route="/api/admin/members",method="GET",status="403",decision="deny"} 1"#))
        #expect(text.contains(#"genomegate_http_requests_total{route="unrouted",method="GET",status="404",decision="deny"} 1"#))
        #expect(text.contains(#"genomegate_http_request_duration_seconds_count{route="/api/whoami"} 3"#))
        // 0.7 ms lands in the 1 ms bucket, not in the 0.5 ms one.
        #expect(text.contains(#"genomegate_http_request_duration_seconds_bucket{route="/api/whoami",le="0.0005"} 0"#), "\(text)")
        #expect(text.contains(#"genomegate_http_request_duration_seconds_bucket{route="/api/whoami",le="0.001"} 3"#))
        #expect(text.contains("# TYPE genomegate_http_requests_total counter"))
        #expect(text.contains("# TYPE genomegate_http_request_duration_seconds histogram"))
    }

    @Test("an invented method cannot add series: it is counted as `other`")
    func methodsBounded() {
        let metrics = GatewayMetrics()
        metrics.recordRequest(route: nil, method: "BREW", status: 405, allowed: false, nanoseconds: 1)
        metrics.recordRequest(route: nil, method: "X-ANYTHING", status: 405, allowed: false, nanoseconds: 1)
        let text = Self.text(metrics)
        #expect(text.contains(#"genomegate_http_requests_total{route="unrouted",method="other",status="405",decision="deny"} 2"#), "\(text)")
        #expect(!text.contains("BREW"))
    }

    @Test("handshakes by outcome, audit commits, policy version, privacy refusals, CRL gauge only once set")
    func otherMetrics() {
        let metrics = GatewayMetrics()
        metrics.recordHandshakeCompleted()
        metrics.recordHandshakeCompleted()
        metrics.recordHandshakeRefused(code: "tls_certificate_revoked")
        metrics.recordAuditCommit(records: 7, nanoseconds: 2_000_000, succeeded: true)
        metrics.recordAuditCommit(records: 3, nanoseconds: 1_000_000, succeeded: false)
        metrics.setAuditQueueDepth(5)
        metrics.setPolicyVersion(12)
        metrics.recordPrivacyRefusal(reason: "privacy_budget_exhausted")
        var text = Self.text(metrics)
        #expect(text.contains(#"genomegate_tls_handshakes_total{outcome="completed"} 2"#), "\(text)")
        #expect(text.contains(#"genomegate_tls_handshakes_total{outcome="tls_certificate_revoked"} 1"#))
        #expect(text.contains("genomegate_audit_records_committed_total 7"))
        #expect(text.contains("genomegate_audit_commit_failures_total 1"))
        #expect(text.contains("genomegate_audit_commit_duration_seconds_count 2"))
        #expect(text.contains("genomegate_audit_queue_depth 5"))
        #expect(text.contains("genomegate_policy_version 12"))
        #expect(text.contains(#"genomegate_privacy_refusals_total{reason="privacy_budget_exhausted"} 1"#))
        #expect(!text.contains("genomegate_tls_crl_next_update_seconds"), "no CRL figure before one is known")
        metrics.setCRLSecondsUntilNextUpdate(86_400)
        text = Self.text(metrics)
        #expect(text.contains("genomegate_tls_crl_next_update_seconds 86400"), "\(text)")
    }

    @Test("two gateways in one process keep their own counts")
    func separateRegistries() {
        let first = GatewayMetrics(), second = GatewayMetrics()
        first.recordHandshakeCompleted()
        #expect(Self.text(first).contains(#"genomegate_tls_handshakes_total{outcome="completed"} 1"#))
        #expect(Self.text(second).contains(#"genomegate_tls_handshakes_total{outcome="completed"} 0"#))
    }

    /// What recording costs is measured by scripts/bench-tls (CPU per audited request), not here.
    @Test("recordings from many tasks at once are all counted, on the cached handles")
    func concurrentRecording() async {
        let metrics = GatewayMetrics()
        let routes = ["/api/whoami", "/api/info", "/api/beacon/g_variants", "/api/admin/members/{id}"]
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for index in 0..<5_000 {
                        metrics.recordRequest(route: routes[(task + index) & 3], method: "GET", status: 200, allowed: true, nanoseconds: Int64(index))
                    }
                }
            }
        }
        let text = Self.text(metrics)
        for route in routes {
            #expect(text.contains(#"genomegate_http_requests_total{route="\#(route)",method="GET",status="200",decision="allow"} 10000"#), "\(route)")
            #expect(text.contains(#"genomegate_http_request_duration_seconds_count{route="\#(route)"} 10000"#), "\(route)")
        }
    }
}

@Suite("Metrics listener settings")
struct MetricsSettingsTests {
    @Test("loopback addresses", arguments: [
        ("127.0.0.1", true), ("127.1.2.3", true), ("::1", true), ("localhost", true), ("::ffff:127.0.0.1", true),
        ("0.0.0.0", false), ("::", false), ("10.0.0.5", false), ("192.168.1.1", false), ("metrics.example.org", false),
        ("128.0.0.1", false), ("::2", false), ("", false),
    ])
    func loopback(host: String, expected: Bool) {
        #expect(MetricsSettings.isLoopback(host) == expected, "\(host)")
    }
}
