import Foundation
import GatewayCore
import GatewayPolicy
import Testing

/// Times are read strictly (issue 9): an impossible time is refused, never moved to a nearby
/// one as Foundation's lenient ISO 8601 parser does (2026-02-30 -> 2 March, 25:00 -> 01:00).
@Suite("Strict RFC 3339 times")
struct StrictTimeTests {
    @Test("valid RFC 3339 times are read as the instant they name", arguments: [
        ("2026-04-01T09:00:00Z", 1_775_034_000.0),
        ("2026-04-01t09:00:00z", 1_775_034_000.0),
        ("2026-04-01T18:00:00+09:00", 1_775_034_000.0),
        ("2026-04-01T08:30:00-00:30", 1_775_034_000.0),
        ("2026-04-01T09:00:00.250Z", 1_775_034_000.25),
        ("2026-04-01T09:00:00.123456789Z", 1_775_034_000.123456789),
        ("2028-02-29T00:00:00Z", 1_835_395_200.0),
        ("2000-02-29T23:59:59Z", 951_868_799.0),
        ("1970-01-01T00:00:00Z", 0.0),
        ("9999-12-31T23:59:59Z", 253_402_300_799.0),
        ("2026-12-31T23:59:59+23:59", 1_798_675_259.0),
    ])
    func valid(text: String, seconds: Double) throws {
        let parsed = try #require(RFC3339.parse(text))
        #expect(abs(parsed.timeIntervalSince1970 - seconds) < 0.000_001)
        // And the same instant Foundation reads from it (for the forms it reads correctly).
        if let foundation = try? Date(text.uppercased(), strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: text.contains("."))) {
            #expect(abs(foundation.timeIntervalSince(parsed)) < 0.001)
        }
    }

    @Test("impossible or malformed times are refused", arguments: [
        "2026-02-30T00:00:00Z",       // no 30 February
        "2026-02-29T00:00:00Z",       // 2026 is no leap year
        "1900-02-29T00:00:00Z",       // a century is no leap year unless divisible by 400
        "2026-04-31T00:00:00Z",       // April has 30 days
        "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z", "2026-01-00T00:00:00Z", "2026-01-32T00:00:00Z",
        "2030-03-31T25:00:00Z", "2030-03-31T24:00:00Z", "2026-11-30T05:60:00Z", "2026-11-30T05:00:60Z",
        "2026-11-30T05:00:00+24:00", "2026-11-30T05:00:00+09:60", "2026-11-30T05:00:00+0900", "2026-11-30T05:00:00+9:00",
        "2026-11-30T05:00:00", "2026-11-30T05:00Z", "2026-11-30 05:00:00Z", "20261130T050000Z",
        "2026-11-30T05:00:00.Z", "2026-11-30T05:00:00.1234567890Z", "2026-11-30T05:00:00ZZ", " 2026-11-30T05:00:00Z",
        "2026-11-30T05:00:00Z ", "+2026-11-30T05:00:00Z", "２０２６-11-30T05:00:00Z", "", "yesterday",
    ])
    func invalid(text: String) {
        #expect(RFC3339.parse(text) == nil)
        #expect(PolicyTime.parse(text) == nil || text != text.trimmingCharacters(in: .whitespaces), "policy times read the same RFC 3339 rule")
    }

    @Test("policy times: dates and RFC 3339 times, never a nearby time", arguments: [
        ("2026-02-30T00:00:00Z", nil as String?),
        ("2030-03-31T25:00:00Z", nil),
        ("2026-11-20T05:00:60Z", nil),
        ("2026-02-29", nil),
        ("2028-02-29", "2028-02-28T15:00:00Z"),
        ("2026-11-21T10:15:00+09:00", "2026-11-21T01:15:00Z"),
        // Found by fuzzing: before 1888 (Japan's local mean time) and 1582 (Julian calendar) a
        // stored date was read back as another day (1009-01-23 as 1009-01-16).
        ("1009-01-23", nil), ("0052-11-01", nil), ("1969-12-31T23:59:59Z", nil),
        ("1970-01-01T00:00:00Z", "1970-01-01T00:00:00Z"), ("9999-12-31", "9999-12-30T15:00:00Z"),
    ])
    func policyTime(text: String, expected: String?) {
        #expect(PolicyTime.parse(text) == expected.flatMap(RFC3339.parse))
    }

    @Test("an approval amended with an impossible valid_from is refused, naming the field", arguments: [
        "2026-02-30T00:00:00Z", "2030-03-31T25:00:00Z", "2026-04-01T00:00:60Z",
    ])
    func approvalField(text: String) throws {
        let error = #expect(throws: GatewayError.self) {
            try PolicyDecodingTests.decodeApproval { $0["valid_from"] = text }
        }
        #expect(error?.message.contains("valid_from") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("is not a date") == true, "\(error?.message ?? "")")
    }
}
