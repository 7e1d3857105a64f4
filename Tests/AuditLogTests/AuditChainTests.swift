import AuditLog
import Foundation
import GatewayCore
import GatewayTestSupport
import Testing

@Suite("Audit chain")
struct AuditChainTests {
    /// 2026-11-27T16:01:46.125Z (the fraction is exact in binary).
    static let time = Date(timeIntervalSince1970: 1_795_795_306.125)

    static func refusedHandshake() -> AuditRecord {
        AuditRecord(
            time: time, requestID: nil, certificateFingerprint: nil, certificateSubject: nil, member: nil, organization: nil,
            country: nil, role: nil, remoteAddress: nil, method: "TLS", path: "-", query: nil, approval: nil, policyVersion: nil,
            decision: "deny", reasons: ["certificate_revoked"], cohortRestriction: nil, returned: nil, status: 0, bytes: 0,
            durationMicroseconds: 0
        )
    }

    @Test("SHA-256 of the empty input is the well-known value")
    func sha256() {
        #expect(AuditChain.hex(AuditChain.sha256([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test("SHA-256 of \"abc\" is the FIPS 180-2 test vector")
    func sha256abc() {
        #expect(AuditChain.hex(AuditChain.sha256(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("the genesis hash is 32 zero bytes")
    func genesis() {
        #expect(AuditChain.genesis == [UInt8](repeating: 0, count: 32))
        #expect(AuditChain.hex(AuditChain.genesis) == String(repeating: "0", count: 64))
    }

    @Test("hash = SHA-256(previous 32 bytes || canonical UTF-8), as the openssl CLI computes it", arguments: [
        "{}", #"{"member":"researcher-jp","sequence":1}"#, #"{"subject":"CN=Zürich – 東京"}"#,
    ])
    func chainHashMatchesOpenSSL(canonical: String) async throws {
        let previous = (0..<32).map { UInt8($0 * 7 % 256) }
        let file = DevPKI.temporaryFolder("chain") + "/input.bin"
        try Data(previous + Array(canonical.utf8)).write(to: URL(fileURLWithPath: file))
        let result = try await Subprocess.run(["openssl", "dgst", "-sha256", "-r", file])
        #expect(result.status == 0)
        let expected = String(result.stdout.prefix(64))
        #expect(AuditChain.hex(AuditChain.hash(previous: previous, canonical: canonical)) == expected)
    }

    @Test("a different predecessor or a one-byte change of the text changes the hash")
    func hashSensitivity() {
        let text = #"{"member":"researcher-jp","sequence":1}"#
        let base = AuditChain.hash(previous: AuditChain.genesis, canonical: text)
        var otherPrevious = AuditChain.genesis
        otherPrevious[31] = 1
        #expect(AuditChain.hash(previous: otherPrevious, canonical: text) != base)
        #expect(AuditChain.hash(previous: AuditChain.genesis, canonical: text.replacingOccurrences(of: "jp", with: "jq")) != base)
        #expect(AuditChain.hash(previous: AuditChain.genesis, canonical: text) == base)
        #expect(base.count == 32)
    }

    @Test("hex helpers", arguments: [
        ("00ff10ab", [UInt8]([0x00, 0xff, 0x10, 0xab])),
        ("00FF10AB", [0x00, 0xff, 0x10, 0xab]),
        ("", []),
    ])
    func hexRoundTrip(text: String, bytes: [UInt8]) {
        #expect(AuditChain.bytes(hex: text) == bytes)
        #expect(AuditChain.hex(bytes) == text.lowercased())
    }

    @Test("malformed hex is refused", arguments: ["0", "abc", "zz", "0g", "-1", "00 1"])
    func badHex(text: String) {
        #expect(AuditChain.bytes(hex: text) == nil)
    }

    @Test("canonical form: keys sorted, no whitespace, absent fields omitted, slashes not escaped")
    func canonicalGolden() throws {
        #expect(try Self.refusedHandshake().canonicalJSON()
            == #"{"bytes":0,"decision":"deny","duration_us":0,"method":"TLS","path":"-","reasons":["certificate_revoked"],"sequence":0,"status":0,"time":"2026-11-27T16:01:46.125Z"}"#)
        var record = Self.refusedHandshake()
        record.sequence = 7
        record.path = "/api/g_variants"
        record.returned = .init(kind: "beacon-count", contributingSamples: 58, suppressedCells: nil)
        record.member = "researcher-jp"
        #expect(try record.canonicalJSON()
            == #"{"bytes":0,"decision":"deny","duration_us":0,"member":"researcher-jp","method":"TLS","path":"/api/g_variants","reasons":["certificate_revoked"],"returned":{"contributing_samples":58,"kind":"beacon-count"},"sequence":7,"status":0,"time":"2026-11-27T16:01:46.125Z"}"#)
    }

    @Test("every field of a full record appears once; nil fields are omitted, not null")
    func canonicalFields() throws {
        let text = try AuditFixture.record(4).canonicalJSON()
        #expect(!text.contains(" ") && !text.contains("\n"), "no whitespace (the fixture's values have none)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object.keys.sorted() == ["approval", "bytes", "certificate_fingerprint", "certificate_subject", "country", "decision", "duration_us",
                                         "member", "method", "organization", "path", "policy_version", "query", "reasons", "remote_address",
                                         "request_id", "returned", "role", "sequence", "status", "time"])
        for key in object.keys {
            #expect(text.components(separatedBy: "\"\(key)\":").count == 2, "\(key) appears once")
        }
        #expect(!text.contains("cohort_restriction"))
        #expect(!text.contains("null"))
    }

    @Test("canonical keys are in sorted order, at every level",
          arguments: [1, 3, 4])
    func canonicalKeyOrder(index: Int) throws {
        var record = AuditFixture.record(index)
        record.cohortRestriction = "overseas consent only"
        let text = try record.canonicalJSON()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        var position = text.startIndex
        for key in object.keys.sorted() {
            let range = try #require(text.range(of: "\"\(key)\":", range: position..<text.endIndex), "\(key) is out of order in \(text)")
            position = range.upperBound
        }
        // The same as Foundation's sorted-keys encoding of the record.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        #expect(text == String(decoding: try encoder.encode(record), as: UTF8.self))
    }

    @Test("strings are escaped so that the text parses back to the same record", arguments: [
        #"CN=a "quoted" name,O=Org"#, #"back\slash"#, "tab\tnew\nline\rcr", "bell\u{07}nul\u{01}", "Zürich – 東京 🧬", "/slashes/",
    ])
    func canonicalEscaping(value: String) throws {
        var record = AuditFixture.record(2)
        record.certificateSubject = value
        record.query = value
        record.reasons = [value, "x"]
        let text = try record.canonicalJSON()
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 }, "control characters are escaped")
        let decoded = try JSONDecoder().decode(AuditRecord.self, from: Data(text.utf8))
        #expect(decoded == record)
        #expect(try decoded.canonicalJSON() == text)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["certificate_subject"] as? String == value)
    }

    @Test("the byte writer escapes strings exactly as JSONValue's writer does (the text the chain hashes is unchanged)", arguments: [
        "", "plain", #"CN=a "quoted" name,O=Org"#, #"back\slash"#, "tab\tnew\nline\rcr", "bell\u{07}nul\u{00}\u{01}\u{1f}\u{7f}",
        "Zürich – 東京 🧬", "/slashes/", "e\u{301}", "\u{2028}\u{2029}",
    ])
    func canonicalEscapingMatchesJSONValue(value: String) throws {
        var record = AuditFixture.record(2)
        record.certificateSubject = value
        record.reasons = [value]
        record.durationMicroseconds = -42
        var expected = ""
        JSONValue.appendString(value, to: &expected)
        let text = try record.canonicalJSON()
        #expect(text.contains(#""certificate_subject":"# + expected + #",""#))
        #expect(text.contains(#""reasons":["# + expected + "],"))
        #expect(text.contains(#""duration_us":-42,"#))
    }

    @Test("the same record always gives the same text; decoding and re-encoding is stable")
    func canonicalStable() throws {
        for index in [1, 2, 3, 50] {
            let record = AuditFixture.record(index)
            let first = try record.canonicalJSON()
            #expect(try record.canonicalJSON() == first)
            #expect(try AuditFixture.record(index).canonicalJSON() == first)
            let decoded = try JSONDecoder().decode(AuditRecord.self, from: Data(first.utf8))
            #expect(decoded == record)
            #expect(try decoded.canonicalJSON() == first)
        }
        #expect(try AuditFixture.record(1).canonicalJSON() != AuditFixture.record(2).canonicalJSON())
    }

    @Test("times are UTC with milliseconds")
    func times() throws {
        #expect(AuditTime.format(Self.time) == "2026-11-27T16:01:46.125Z")
        #expect(AuditTime.parse("2026-11-27T16:01:46.125Z") == Self.time)
        #expect(AuditTime.parse("2026-11-27T16:01:46Z") == Date(timeIntervalSince1970: 1_795_795_306))
        #expect(AuditTime.parse("2026-11-27T16:01:46.125+09:00").map(AuditTime.format) == "2026-11-27T07:01:46.125Z")
        #expect(AuditTime.parse("yesterday") == nil)
    }

    @Test("CSV rows: columns in order, RFC 4180 quoting")
    func csvRow() throws {
        var record = Self.refusedHandshake()
        record.sequence = 9
        record.certificateSubject = #"CN=a "b",O=c"#
        record.reasons = ["role_forbidden", "unknown_member"]
        let fields = record.csvRow
        #expect(fields == #"9,2026-11-27T16:01:46.125Z,,,,,,,"CN=a ""b"",O=c",,TLS,-,,,,deny,role_forbidden unknown_member,,,,,,0,0,0,,,"#)
        #expect(AuditRecord.csvColumns.count == 28)
        var formula = record
        formula.certificateSubject = "=HYPERLINK(\"x\")"
        #expect(formula.csvRow.contains(#""'=HYPERLINK(""x"")""#), "a formula is neutralised")
        #expect(AuditRecord.csvColumns.first == "sequence" && AuditRecord.csvColumns.last == "airlock")
    }

    @Test("export lines embed the canonical text verbatim, last")
    func exportLine() throws {
        var record = AuditFixture.record(3)
        record.certificateSubject = #"CN=Zürich "quoted" \ back,O=東京"#
        let canonical = try record.canonicalJSON()
        let line = AuditLine.record(sequence: 3, previousHash: String(repeating: "0", count: 64), hash: String(repeating: "1", count: 64), canonical: canonical)
        #expect(line.hasPrefix(#"{"sequence":3,"prev_hash":"0000"#))
        #expect(AuditLine.embedded("record", in: Substring(line)).map(String.init) == canonical)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["sequence"] as? Int == 3)
        #expect((object["record"] as? [String: Any])?["certificate_subject"] as? String == record.certificateSubject)
        let checkpoint = AuditLine.checkpoint(signature: "abcd", canonical: #"{"sequence":3}"#)
        #expect(checkpoint == #"{"signature":"abcd","checkpoint":{"sequence":3}}"#)
        #expect(AuditLine.embedded("checkpoint", in: Substring(checkpoint)) == #"{"sequence":3}"#)
        #expect(AuditLine.embedded("record", in: "no json") == nil)
    }
}
