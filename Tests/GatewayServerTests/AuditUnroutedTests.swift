import AuditLog
import Foundation
import GatewayTestSupport
import Testing

/// Answers the router never sees (Hummingbird's own 400 for a request it cannot parse) are
/// recorded too, before they leave.
@Suite("Audit: answers outside the router")
struct AuditUnroutedTests {
    @Test("a request that cannot be parsed gets its 400 only after a record naming the certificate is committed")
    func unparsable() async throws {
        try await TestGateway.with { gateway in
            let client = try await gateway.client("researcher-jp")
            let before = gateway.server.audit.headSequence
            try await offThread { try client.write(Array("GET /api/info HTTP/1.1\r\nHost localhost no colon\r\n\r\n".utf8)) }
            #expect(try await offThread { client.ending() } == .stillOpen, "an answer came")
            let entries = try await gateway.server.audit.database.records(AuditQuery(), after: before, limit: 10)
            let records = try entries.map { try JSONDecoder().decode(AuditRecord.self, from: Data($0.canonical.utf8)) }
            let record = try #require(records.first { $0.method == "-" })
            #expect(record.status == 400)
            #expect(record.reasons == ["bad_request"])
            #expect(record.decision == "deny")
            #expect(record.certificateSubject?.contains("CN=researcher-jp") == true)
            #expect(record.remoteAddress?.hasPrefix("127.0.0.1:") == true)
        }
    }
}
