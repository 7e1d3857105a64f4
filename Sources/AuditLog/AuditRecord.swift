import Foundation
import GatewayCore

/// One access to the gateway, allowed or denied: who, what, under which approval and policy,
/// what was decided and what kind of answer left. Never the data itself.
///
/// Its canonical form (``canonicalJSON()``: sorted keys, no whitespace, absent fields
/// omitted) is what the hash chain covers; exports carry that text verbatim.
public struct AuditRecord: Sendable, Hashable, Codable {
    /// What left, in summary: the kind of answer and its size in people and hidden cells.
    public struct Returned: Sendable, Hashable, Codable {
        /// `beacon-count`, `allele-frequency`, `policy-change`, `audit-export`, `error`, ...
        public var kind: String
        /// Samples the answer was computed over (after every restriction).
        public var contributingSamples: Int?
        /// Cells shown as "<k" or withheld.
        public var suppressedCells: Int?
        /// What the answer cost the approval's disclosure budget, in millionths (README
        /// "Privacy"); absent when the ledger is off or the answer released nothing new.
        public var privacyChargeMicro: Int?
        /// A visiting analysis's airlock outcome: `released 37 of 40 outputs; masked 3 (threshold 2, ...)`.
        public var airlock: String?

        public init(kind: String, contributingSamples: Int? = nil, suppressedCells: Int? = nil, privacyChargeMicro: Int? = nil,
                    airlock: String? = nil) {
            self.airlock = airlock
            self.kind = kind
            self.contributingSamples = contributingSamples
            self.suppressedCells = suppressedCells
            self.privacyChargeMicro = privacyChargeMicro
        }

        enum CodingKeys: String, CodingKey {
            case kind
            case contributingSamples = "contributing_samples"
            case suppressedCells = "suppressed_cells"
            case privacyChargeMicro = "privacy_charge_micro"
            case airlock
        }
    }

    /// Contiguous from 1; assigned by the writer.
    public var sequence: Int = 0
    /// UTC, milliseconds: `2026-11-27T16:01:46.123Z`.
    public var time: String
    /// Also returned to the client as `X-Request-Id`; nil for a refused TLS handshake.
    public var requestID: String?
    public var certificateFingerprint: String?
    public var certificateSubject: String?
    public var member: String?
    public var organization: String?
    public var country: String?
    public var role: String?
    public var remoteAddress: String?
    /// HTTP method, or `TLS` for a refused handshake.
    public var method: String
    /// The path without the query.
    public var path: String
    /// Query parameters sorted by name, percent-decoded: `a=1&b=2`.
    public var query: String?
    public var approval: String?
    public var policyVersion: Int?
    /// The policy version's random revision (32 hex digits): which policy decided, even after
    /// a restore of the policy store reused the number. Absent in records written before it existed.
    public var policyRevision: String?
    /// `allow` or `deny`.
    public var decision: String
    public var reasons: [String]
    public var cohortRestriction: String?
    /// For a policy change: what changed (its summary) and the version it produced.
    public var change: String?
    public var returned: Returned?
    /// HTTP status; 0 for a refused handshake.
    public var status: Int
    /// Body bytes, nil when streamed.
    public var bytes: Int?
    public var durationMicroseconds: Int

    public init(
        time: Date, requestID: String?, certificateFingerprint: String?, certificateSubject: String?,
        member: String?, organization: String?, country: String?, role: String?, remoteAddress: String?,
        method: String, path: String, query: String?, approval: String?, policyVersion: Int?,
        decision: String, reasons: [String], cohortRestriction: String?, change: String? = nil, returned: Returned?,
        status: Int, bytes: Int?, durationMicroseconds: Int, policyRevision: String? = nil
    ) {
        self.time = AuditTime.format(time)
        self.requestID = requestID
        self.certificateFingerprint = certificateFingerprint
        self.certificateSubject = certificateSubject
        self.member = member
        self.organization = organization
        self.country = country
        self.role = role
        self.remoteAddress = remoteAddress
        self.method = method
        self.path = path
        self.query = query
        self.approval = approval
        self.policyVersion = policyVersion
        self.policyRevision = policyRevision.flatMap { $0.isEmpty ? nil : $0 }
        self.decision = decision
        self.reasons = reasons
        self.cohortRestriction = cohortRestriction
        self.change = change
        self.returned = returned
        self.status = status
        self.bytes = bytes
        self.durationMicroseconds = durationMicroseconds
    }

    enum CodingKeys: String, CodingKey {
        case sequence, time, member, organization, country, role, method, path, query, approval, decision, reasons, returned, status, bytes, change
        case requestID = "request_id"
        case certificateFingerprint = "certificate_fingerprint"
        case certificateSubject = "certificate_subject"
        case remoteAddress = "remote_address"
        case policyVersion = "policy_version"
        case policyRevision = "policy_revision"
        case cohortRestriction = "cohort_restriction"
        case durationMicroseconds = "duration_us"
    }

    /// The canonical text the chain hashes: JSON, keys sorted, no whitespace, absent fields
    /// omitted, strings escaped minimally (`"`, `\`, control characters). Written by hand: it
    /// runs once per request on the answer's path.
    public func canonicalJSON() throws -> String {
        var json = CanonicalJSON()
        json.field("approval", approval)
        json.field("bytes", bytes)
        json.field("certificate_fingerprint", certificateFingerprint)
        json.field("change", change)
        json.field("certificate_subject", certificateSubject)
        json.field("cohort_restriction", cohortRestriction)
        json.field("country", country)
        json.field("decision", decision)
        json.field("duration_us", durationMicroseconds)
        json.field("member", member)
        json.field("method", method)
        json.field("organization", organization)
        json.field("path", path)
        json.field("policy_revision", policyRevision)
        json.field("policy_version", policyVersion)
        json.field("query", query)
        json.field("reasons", reasons)
        json.field("remote_address", remoteAddress)
        json.field("request_id", requestID)
        if let returned {
            json.openObject("returned")
            json.field("airlock", returned.airlock)
            json.field("contributing_samples", returned.contributingSamples)
            json.field("kind", returned.kind)
            json.field("privacy_charge_micro", returned.privacyChargeMicro)
            json.field("suppressed_cells", returned.suppressedCells)
            json.closeObject()
        }
        json.field("role", role)
        json.field("sequence", sequence)
        json.field("status", status)
        json.field("time", time)
        return json.finished()
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// Field names in the order of the CSV export.
    public static let csvColumns = [
        "sequence", "time", "request_id", "member", "organization", "country", "role", "certificate_fingerprint",
        "certificate_subject", "remote_address", "method", "path", "query", "approval", "policy_version", "decision",
        "reasons", "cohort_restriction", "change", "returned_kind", "contributing_samples", "suppressed_cells", "status", "bytes", "duration_us",
        "policy_revision", "privacy_charge_micro", "airlock",
    ]

    /// The record's CSV row (RFC 4180 quoting).
    public var csvRow: String {
        let fields: [String?] = [
            String(sequence), time, requestID, member, organization, country, role, certificateFingerprint,
            certificateSubject, remoteAddress, method, path, query, approval, policyVersion.map(String.init), decision,
            reasons.joined(separator: " "), cohortRestriction, change, returned?.kind, returned?.contributingSamples.map(String.init),
            returned?.suppressedCells.map(String.init), String(status), bytes.map(String.init), String(durationMicroseconds),
            policyRevision, returned?.privacyChargeMicro.map(String.init), returned?.airlock,
        ]
        return fields.map { AuditCSV.quote($0 ?? "") }.joined(separator: ",")
    }
}

/// Times as the audit log writes them: UTC with milliseconds, `2026-11-27T16:01:46.123Z`.
public enum AuditTime {
    public static func format(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var seconds = time_t(milliseconds / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let year = Int(parts.tm_year) + 1900
        if (0...9999).contains(year), milliseconds >= 0 {
            // Once per request: written digit by digit into the string's own storage.
            let millisecond = Int(milliseconds % 1000)
            return String(unsafeUninitializedCapacity: 24) { text in
                var position = 0
                func put(_ value: Int, _ width: Int, _ separator: UInt8) {
                    var rest = value
                    for digit in stride(from: width - 1, through: 0, by: -1) {
                        text[position + digit] = UInt8(ascii: "0") + UInt8(rest % 10)
                        rest /= 10
                    }
                    text[position + width] = separator
                    position += width + 1
                }
                put(year, 4, UInt8(ascii: "-"))
                put(Int(parts.tm_mon) + 1, 2, UInt8(ascii: "-"))
                put(Int(parts.tm_mday), 2, UInt8(ascii: "T"))
                put(Int(parts.tm_hour), 2, UInt8(ascii: ":"))
                put(Int(parts.tm_min), 2, UInt8(ascii: ":"))
                put(Int(parts.tm_sec), 2, UInt8(ascii: "."))
                put(millisecond, 3, UInt8(ascii: "Z"))
                return position
            }
        }
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return pad(parts.tm_year + 1900, 4) + "-" + pad(parts.tm_mon + 1, 2) + "-" + pad(parts.tm_mday, 2) + "T"
            + pad(parts.tm_hour, 2) + ":" + pad(parts.tm_min, 2) + ":" + pad(parts.tm_sec, 2) + "."
            + pad(Int32(milliseconds % 1000), 3) + "Z"
    }

    /// The earliest and latest times a record can carry or a filter can name: a record's time
    /// is four-digit-year text, compared as text, so a year past 9999 would sort before 2026.
    public static let earliest = "1970-01-01T00:00:00.000Z"
    public static let latest = "9999-12-31T23:59:59.999Z"

    /// An RFC 3339 time within ``earliest``...``latest``, every field in range (``RFC3339``:
    /// `2026-11-30T25:00:00Z` or `...T05:00:60Z` is refused, never read as a nearby time), or nil.
    public static func parse(_ text: String) -> Date? {
        guard text.utf8.count <= 64 else { return nil }
        guard let date = RFC3339.parse(text), date.timeIntervalSince1970 >= 0, date.timeIntervalSince1970 < 253_402_300_800 else { return nil }
        return date
    }
}

/// A JSON object written field by field, in the order given (callers give sorted keys), as
/// UTF-8 bytes: once per request on the writer's path, so no `String` is grown piece by piece.
/// Strings are escaped as ``JSONValue/appendString(_:to:)`` escapes them (`"`, `\`, control
/// characters), so the text is byte for byte what that writer gives.
struct CanonicalJSON {
    private var bytes: [UInt8] = []
    private var first = true

    init() {
        bytes.reserveCapacity(1024)
        bytes.append(UInt8(ascii: "{"))
    }

    private mutating func key(_ name: StaticString) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func field(_ name: StaticString, _ value: String?) {
        guard let value else { return }
        key(name)
        appendString(value)
    }

    mutating func field(_ name: StaticString, _ value: Int?) {
        guard let value else { return }
        key(name)
        appendInteger(value)
    }

    mutating func field(_ name: StaticString, _ values: [String]) {
        key(name)
        bytes.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            appendString(value)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// Opens a nested object under `name`; its fields follow, then ``closeObject()``.
    mutating func openObject(_ name: StaticString) {
        key(name)
        bytes.append(UInt8(ascii: "{"))
        first = true
    }

    mutating func closeObject() {
        bytes.append(UInt8(ascii: "}"))
        first = false
    }

    func finished() -> String {
        var bytes = self.bytes
        bytes.append(UInt8(ascii: "}"))
        return String(decoding: bytes, as: UTF8.self)
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    private mutating func appendInteger(_ value: Int) {
        guard value != 0 else { bytes.append(UInt8(ascii: "0")); return }
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            while magnitude > 0 {
                buffer[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            }
            for index in stride(from: count - 1, through: 0, by: -1) { bytes.append(buffer[index]) }
        }
    }

    private mutating func appendString(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            // Most values need no escape: one copy.
            if !utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
                bytes.append(contentsOf: utf8)
                return
            }
            for byte in utf8 {
                switch byte {
                case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\\")); bytes.append(byte)
                case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\")); bytes.append(byte)
                case UInt8(ascii: "\n"): bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "n"))
                case UInt8(ascii: "\r"): bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "r"))
                case UInt8(ascii: "\t"): bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "t"))
                case 0..<0x20:
                    bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                              Self.hexDigits[Int(byte >> 4)], Self.hexDigits[Int(byte & 0x0f)]])
                default: bytes.append(byte)
                }
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

enum AuditCSV {
    /// RFC 4180 quoting; a field a spreadsheet would run as a formula (`=`, `+`, `-`, `@`,
    /// tab, CR at the start; a lone `-` is left alone) gets a leading `'` so opening the
    /// export never executes it.
    static func quote(_ field: String) -> String {
        var field = field
        if let first = field.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first), field != "-" { field = "'" + field }
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
