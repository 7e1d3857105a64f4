import AuditLog
import Foundation
import Testing

/// Audit filter times are read strictly (issue 9): an impossible time is refused, never moved
/// to a nearby one (Foundation's ISO 8601 parser reads 25:00 as 01:00 the next day).
@Suite("Audit times")
struct AuditTimeTests {
    @Test("impossible, malformed or out-of-range times are refused", arguments: [
        "2026-11-30T25:00:00Z", "2026-11-30T24:00:00Z", "2026-11-30T05:00:60Z", "2026-11-30T05:60:00Z",
        "2026-02-30T00:00:00Z", "2026-02-29T00:00:00Z", "2026-04-31T12:00:00Z", "2026-13-01T00:00:00Z",
        "2026-11-30T05:00:00+25:00", "2026-11-30T05:00:00+09:61", "2026-11-30T05:00:00", "2026-11-30",
        "1969-12-31T23:59:59Z", "1970-01-01T08:59:59+09:00", "10000-01-01T00:00:00Z",
        "2026-11-30T05:00:00Z" + String(repeating: " ", count: 50), "yesterday", "",
    ])
    func refused(text: String) {
        #expect(AuditTime.parse(text) == nil)
    }

    @Test("valid times are read as the instant they name, at the bounds too (fractions exact in binary)", arguments: [
        ("2026-11-30T23:59:59Z", "2026-11-30T23:59:59.000Z"),
        ("2028-02-29T12:00:00.5Z", "2028-02-29T12:00:00.500Z"),
        ("2026-12-01T08:59:59.250+09:00", "2026-11-30T23:59:59.250Z"),
        ("1970-01-01T00:00:00Z", AuditTime.earliest),
        ("1970-01-01T09:00:00+09:00", AuditTime.earliest),
        ("9999-12-31T23:59:59Z", "9999-12-31T23:59:59.000Z"),
        ("2026-11-27T16:01:46.125Z", "2026-11-27T16:01:46.125Z"),
    ])
    func accepted(text: String, formatted: String) {
        #expect(AuditTime.parse(text).map(AuditTime.format) == formatted)
    }
}
