import Foundation
import GatewayCore
import GatewayPolicy
import PolicyStore
import Testing

private typealias F = PolicyFixture

@Suite("Policy validation")
struct PolicyValidationTests {
    /// One way to break the valid fixture, and the one problem it must cause.
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var kind: PolicyEntityKind
        var id: String
        var field: String?
        var says: String
        /// Problems in all (some defects cause a second one).
        var count = 1
        var edit: @Sendable (inout PolicyState) -> Void
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "unknown country code", kind: .organization, id: "jp-uni", field: "country", says: "'XX' is not an ISO 3166-1") {
            $0.organizations["jp-uni"]?.country = "XX"
        },
        Case(name: "lower-case country code", kind: .organization, id: "de-uni", field: "country", says: "'de' is not") {
            $0.organizations["de-uni"]?.country = "de"
        },
        Case(name: "alpha-3 country code", kind: .organization, id: "de-uni", field: "country", says: "'DEU' is not") {
            $0.organizations["de-uni"]?.country = "DEU"
        },
        Case(name: "unknown DUO code", kind: .dataset, id: "ncu", field: "duo", says: "unknown DUO term 'DUO:9999999'") {
            $0.datasets["ncu"]?.dataUse.append(DataUseTerm(id: "DUO:9999999"))
        },
        Case(name: "DUO code not a CURIE", kind: .dataset, id: "gru", field: "duo", says: "unknown DUO term 'GRU'") {
            $0.datasets["gru"]?.dataUse = [DataUseTerm(id: F.DUO.gru), DataUseTerm(id: "GRU")]
        },
        Case(name: "no DUO permission term", kind: .dataset, id: "ncu", field: "duo", says: "exactly one DUO permission term") {
            $0.datasets["ncu"]?.dataUse = [DataUseTerm(id: F.DUO.ncu), DataUseTerm(id: F.DUO.irb)]
        },
        Case(name: "no DUO term at all", kind: .dataset, id: "gru", field: "duo", says: "it has 0") {
            $0.datasets["gru"]?.dataUse = []
        },
        Case(name: "two DUO permission terms", kind: .dataset, id: "gru", field: "duo", says: "it has 2") {
            $0.datasets["gru"]?.dataUse = [DataUseTerm(id: F.DUO.gru), DataUseTerm(id: F.DUO.hmb)]
        },
        Case(name: "a DUO term listed twice", kind: .dataset, id: "ncu", field: "duo", says: "NCU (DUO:0000046) is listed twice") {
            $0.datasets["ncu"]?.dataUse.append(DataUseTerm(id: F.DUO.ncu))
        },
        Case(name: "DS without disease", kind: .dataset, id: "ds-carcinoma", field: "duo", says: "DS (DUO:0000007) needs a 'disease'") {
            $0.datasets["ds-carcinoma"]?.dataUse = [DataUseTerm(id: F.DUO.ds)]
        },
        Case(name: "GS without countries", kind: .dataset, id: "gru", field: "duo", says: "GS (DUO:0000022) needs 'countries'") {
            $0.datasets["gru"]?.dataUse.append(DataUseTerm(id: F.DUO.gs, countries: []))
        },
        Case(name: "GS with a bad country", kind: .dataset, id: "gru", field: "duo", says: "'Japan' is not an ISO 3166-1") {
            $0.datasets["gru"]?.dataUse.append(DataUseTerm(id: F.DUO.gs, countries: ["JP", "Japan"]))
        },
        Case(name: "TS without until", kind: .dataset, id: "gru", field: "duo", says: "TS (DUO:0000025) needs 'until'") {
            $0.datasets["gru"]?.dataUse.append(DataUseTerm(id: F.DUO.ts))
        },
        Case(name: "US without allowed ids", kind: .dataset, id: "gru", field: "duo", says: "US (DUO:0000026) needs 'allowed' ids") {
            $0.datasets["gru"]?.dataUse.append(DataUseTerm(id: F.DUO.us, allowed: []))
        },
        Case(name: "valid_until before valid_from", kind: .approval, id: "A-JP", field: "valid_until", says: "ends before") {
            $0.approvals["A-JP"]?.validUntil = F.validFrom.addingTimeInterval(-86_400)
        },
        Case(name: "valid_until equal to valid_from", kind: .approval, id: "A-JP", field: "valid_until", says: "ends before (or when)") {
            $0.approvals["A-JP"]?.validUntil = F.validFrom
        },
        Case(name: "approval member of another organization", kind: .approval, id: "A-DE", field: "members[0]",
             says: "member r-jp belongs to jp-uni, not de-uni") {
            $0.approvals["A-DE"]?.members = ["r-jp"]
        },
        Case(name: "approval member who is an auditor", kind: .approval, id: "A-JP", field: "members[1]",
             says: "is auditor; only researchers") {
            $0.members["auditor"]?.organization = "jp-uni"
            $0.approvals["A-JP"]?.members = ["r-jp", "auditor"]
        },
        Case(name: "approval member who is the secretariat", kind: .approval, id: "A-JP", field: "members[0]",
             says: "is secretariat; only researchers") {
            $0.members["secretariat"]?.organization = "jp-uni"
            $0.approvals["A-JP"]?.members = ["secretariat"]
        },
        Case(name: "approval naming an unknown member", kind: .approval, id: "A-JP", field: "members[1]", says: "no member 'ghost'") {
            $0.approvals["A-JP"]?.members.append("ghost")
        },
        Case(name: "approval naming no member", kind: .approval, id: "A-JP", field: "members", says: "names no member") {
            $0.approvals["A-JP"]?.members = []
        },
        Case(name: "approval naming an unknown dataset", kind: .approval, id: "A-JP", field: "scope.datasets[1]",
             says: "no dataset 'missing-ds'") {
            $0.approvals["A-JP"]?.scope.datasets = ["gru", "missing-ds"]
        },
        Case(name: "approval of an unknown organization (its member then belongs elsewhere)", kind: .approval, id: "A-DE",
             field: "organization", says: "no organization 'de-u'", count: 2) {
            $0.approvals["A-DE"]?.organization = "de-u"
        },
        Case(name: "approval without query kinds", kind: .approval, id: "A-JP", field: "scope.query_kinds", says: "names no query kind") {
            $0.approvals["A-JP"]?.scope.queryKinds = []
        },
        Case(name: "approval cancer type not a CURIE", kind: .approval, id: "A-JP-CARCINOMA", field: "scope.cancer_types[0]",
             says: "'breast cancer' is not an ontology term") {
            $0.approvals["A-JP-CARCINOMA"]?.scope.cancerTypes = ["breast cancer"]
            $0.datasets["ds-carcinoma"] = nil
            $0.approvals["A-JP-CARCINOMA"]?.scope.datasets = ["gru"]
        },
        Case(name: "academic-research basis with commercial use", kind: .approval, id: "A-US-ACADEMIC", field: "legal_basis",
             says: "does not cover commercial use") {
            $0.approvals["A-US-ACADEMIC"]?.commercialUse = true
        },
        Case(name: "one certificate on two members", kind: .member, id: "r-two", field: "certificates[0]",
             says: "already belongs to member r-jp") {
            $0.members["r-two"]?.certificates = [F.certificate("r-jp")]
        },
        Case(name: "a certificate listed twice", kind: .member, id: "r-jp", field: "certificates", says: "the certificate (subject CN=r-jp,O=Test,C=JP issued by CN=Test CA,O=Consortium,C=JP) is listed twice") {
            $0.members["r-jp"]?.certificates = [F.certificate("r-jp"), F.certificate("r-jp")]
        },
        Case(name: "an active member without certificates", kind: .member, id: "r-none", field: "certificates", says: "lists no certificate") {
            $0.members["r-none"]?.certificates = []
        },
        Case(name: "member of an unknown organization", kind: .member, id: "r-none", field: "organization", says: "no organization 'nowhere'") {
            $0.members["r-none"]?.organization = "nowhere"
        },
        Case(name: "JP in the equivalence list", kind: .jurisdiction, id: "JP", field: "country", says: "home jurisdiction") {
            $0.jurisdictions["JP"] = EquivalentJurisdiction(country: "JP", effectiveFrom: F.validFrom)
        },
        Case(name: "unknown country in the equivalence list", kind: .jurisdiction, id: "EU", field: "country", says: "'EU' is not") {
            $0.jurisdictions["EU"] = EquivalentJurisdiction(country: "EU", effectiveFrom: F.validFrom)
        },
        Case(name: "equivalence ending before it starts", kind: .jurisdiction, id: "DE", field: "effective_until", says: "ends before") {
            $0.jurisdictions["DE"]?.effectiveUntil = F.time("2019-01-22")
        },
        Case(name: "bad organization id", kind: .organization, id: "kyoto u", field: "id", says: "must be 1 to 64 letters") {
            $0.organizations["kyoto u"] = F.organization("kyoto u", .academia, "JP")
        },
        Case(name: "bad member id", kind: .member, id: "r/jp", field: "id", says: "must be 1 to 64 letters") {
            $0.members["r/jp"] = Member(id: "r/jp", name: "R", organization: "jp-uni", role: .researcher,
                                        certificates: [F.certificate("r/jp")])
        },
        Case(name: "too long approval id", kind: .approval, id: String(repeating: "A", count: 65), field: "id", says: "1 to 64") {
            let id = String(repeating: "A", count: 65)
            $0.approvals[id] = F.approval(id, "jp-uni", ["r-none"])
        },
        Case(name: "non-ASCII dataset id", kind: .dataset, id: "データ", field: "id", says: "must be 1 to 64 letters") {
            $0.datasets["データ"] = F.dataset("データ", [F.term(F.DUO.gru)])
        },
        Case(name: "empty dataset name", kind: .dataset, id: "gru", field: "name", says: "is empty") {
            $0.datasets["gru"]?.name = ""
        },
        Case(name: "withdrawal id with a comma", kind: .withdrawal, id: "P-1,2", field: "participant_id", says: "without commas") {
            $0.withdrawals["P-1,2"] = Withdrawal(participantID: "P-1,2", effectiveAt: F.now)
        },
        Case(name: "withdrawal id with a quote", kind: .withdrawal, id: "\"P-9\"", field: "participant_id", says: "quotes") {
            $0.withdrawals["\"P-9\""] = Withdrawal(participantID: "\"P-9\"", effectiveAt: F.now)
        },
    ]

    @Test("the valid fixture has no problems")
    func validFixture() {
        #expect(PolicyValidation.problems(in: F.valid).isEmpty)
    }

    @Test("each defect is reported once, naming record, id and field", arguments: cases)
    func defect(_ c: Case) {
        var state = F.valid
        c.edit(&state)
        let problems = PolicyValidation.problems(in: state)
        #expect(problems.count == c.count, "\(problems)")
        let problem = problems.first { $0.kind == c.kind && $0.id == c.id && $0.field == c.field }
        #expect(problem?.kind == c.kind)
        #expect(problem?.id == c.id)
        #expect(problem?.field == c.field)
        #expect(problem?.message.contains(c.says) == true, "\(problem?.message ?? "none")")
        if let field = c.field { #expect(problem?.description.contains("field \(field)") == true) }
    }

    @Test("identifier rules", arguments: [
        ("a", true), ("A-2026-001", true), ("x.y_z-1", true), (String(repeating: "a", count: 64), true),
        ("", false), (String(repeating: "a", count: 65), false), ("a b", false), ("a/b", false), ("ä", false), ("a:b", false),
    ])
    func identifiers(text: String, valid: Bool) {
        #expect(PolicyValidation.isIdentifier(text) == valid)
    }

    @Test("participant id rules", arguments: [
        ("JPWGS-000123", true), ("P 1", true), (String(repeating: "p", count: 128), true),
        ("", false), (" P1", false), ("P1 ", false), ("P,1", false), ("P\"1", false), ("P\t1", false),
        (String(repeating: "p", count: 129), false),
    ])
    func participantIDs(text: String, valid: Bool) {
        #expect(PolicyValidation.isParticipantID(text) == valid)
    }
}

// MARK: - Strict decoding

@Suite("Strict policy decoding")
struct PolicyDecodingTests {
    static var approval: [String: Any] { [
        "id": "A-1", "decision_reference": "DURC-1", "decision_date": "2026-03-15", "title": "T",
        "purpose": "trial-design", "organization": "jp-uni", "members": ["r-jp"],
        "scope": ["datasets": ["gru"], "query_kinds": ["beacon-count"]],
        "commercial_use": false, "valid_from": "2026-04-01", "valid_until": "2027-03-31",
    ] }

    static var member: [String: Any] { [
        "id": "r-1", "name": "R", "organization": "jp-uni", "role": "researcher",
        "certificates": [["subject": "CN=r", "issuer": "CN=CA"]],
    ] }

    static func json(_ object: [String: Any]) throws -> Data {
        try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }

    static func decodeApproval(_ edit: (inout [String: Any]) -> Void) throws -> Approval {
        var object = approval
        edit(&object)
        return try PolicyJSON.decode(Approval.self, from: try json(object), what: "approval")
    }

    @Test("the base documents decode, with defaults for legal_basis and status")
    func baseDecodes() throws {
        let approval = try Self.decodeApproval { _ in }
        #expect(approval.legalBasis == .none)
        #expect(approval.status == .active)
        #expect(approval.scope.cancerTypes == nil)
        let member = try PolicyJSON.decode(Member.self, from: try Self.json(Self.member), what: "member")
        #expect(member.role == .researcher)
        #expect(member.status == .active)
    }

    @Test("an approval with a misspelt or unknown field is refused, naming the field", arguments: [
        // edit: replace key `from` by `to` (nil: remove), at top level or in scope; expected fields mentioned
        ("valid_until", "valid_untill", false, "field valid_untill: unknown field 'valid_untill'"),
        ("legal_basis", "legalBasis", false, "unknown field 'legalBasis'"),
        ("title", "titel", false, "unknown field 'titel'"),
        ("query_kinds", "query_kind", true, "field scope.query_kind: unknown field 'query_kind'"),
        ("cancer_types", "cancer_type", true, "field scope.cancer_type"),
    ])
    func unknownField(from: String, to: String, inScope: Bool, expected: String) throws {
        let error = #expect(throws: GatewayError.self) {
            try Self.decodeApproval { object in
                if inScope {
                    var scope = object["scope"] as! [String: Any]
                    scope[to] = scope.removeValue(forKey: from) ?? ["NCIT:C4872"]
                    object["scope"] = scope
                } else {
                    object[to] = object.removeValue(forKey: from) ?? "academic-research"
                }
            }
        }
        #expect(error?.code == .invalidPolicy)
        #expect(error?.message.contains(expected) == true, "\(error?.message ?? "")")
    }

    /// A JSON value from its text (`"trial"`, `["a"]`, `false`).
    static func value(_ json: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed])
    }

    @Test("bad values are refused, naming the field", arguments: [
        ("purpose", #""trial""#, "field purpose"),
        ("status", #""paused""#, "field status"),
        ("legal_basis", #""research""#, "field legal_basis"),
        ("valid_until", #""2027-02-30""#, "field valid_until"),
        ("valid_from", #""01/04/2027""#, "field valid_from"),
        ("valid_from", #""2027-04-31""#, "field valid_from"),
        ("commercial_use", #""no""#, "field commercial_use"),
        ("members", #""r-jp""#, "field members"),
        ("scope", #"{"datasets":["gru"],"query_kinds":["beacon"]}"#, "field scope.query_kinds[0]"),
        ("scope", #"{"datasets":["gru"]}"#, "field scope.query_kinds: missing field 'query_kinds'"),
    ])
    func badValue(key: String, json: String, expected: String) throws {
        let value = try Self.value(json)
        let error = #expect(throws: GatewayError.self) {
            try Self.decodeApproval { $0[key] = value }
        }
        #expect(error?.code == .invalidPolicy)
        #expect(error?.message.contains(expected) == true, "\(error?.message ?? "")")
    }

    @Test("a member holds exactly one role", arguments: [
        (#"["researcher","auditor"]"#, "exactly one role"),
        (#"["researcher"]"#, "exactly one role"),
        (#""admin""#, "is not one of: researcher, auditor, secretariat"),
    ])
    func memberRoles(role: String, expected: String) throws {
        var object = Self.member
        object["role"] = try Self.value(role)
        let data = try Self.json(object)
        let error = #expect(throws: GatewayError.self) { try PolicyJSON.decode(Member.self, from: data, what: "member") }
        #expect(error?.code == .invalidPolicy)
        #expect(error?.message.contains("field role") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains(expected) == true, "\(error?.message ?? "")")
    }

    @Test("a member with an unknown field (roles) is refused")
    func memberUnknownField() throws {
        var object = Self.member
        object["roles"] = ["researcher"]
        let data = try Self.json(object)
        let error = #expect(throws: GatewayError.self) { try PolicyJSON.decode(Member.self, from: data, what: "member") }
        #expect(error?.message.contains("unknown field 'roles'") == true, "\(error?.message ?? "")")
    }

    @Test("dataset terms, organizations and certificates are strict too", arguments: [
        ("dataset", #"{"id":"d","name":"D","duo":[{"id":"DUO:0000007","diseases":"NCIT:C2916"}]}"#, "field duo[0].diseases"),
        ("dataset", #"{"id":"d","name":"D","duo_codes":[]}"#, "unknown field 'duo_codes'"),
        ("organization", #"{"id":"o","name":"O","kind":"academia","country":"JP","status":"active"}"#, "unknown field 'status'"),
        ("organization", #"{"id":"o","name":"O","kind":"university","country":"JP"}"#, "field kind"),
        ("certificate", #"{"fingerprint":"abcd"}"#, "not a SHA-256 fingerprint"),
        ("certificate", #"{"subject":"CN=a"}"#, "needs a fingerprint, or both subject and issuer"),
        ("jurisdiction", #"{"country":"DE","effective_since":"2019-01-23"}"#, "unknown field 'effective_since'"),
        ("withdrawal", #"{"participant_id":"P1","effective_at":"2026-11-20","reason":"x"}"#, "unknown field 'reason'"),
    ])
    func otherRecords(kind: String, json: String, expected: String) throws {
        let data = Data(json.utf8)
        let error = #expect(throws: GatewayError.self) {
            switch kind {
            case "dataset": _ = try PolicyJSON.decode(Dataset.self, from: data, what: kind)
            case "organization": _ = try PolicyJSON.decode(Organization.self, from: data, what: kind)
            case "certificate": _ = try PolicyJSON.decode(CertificateIdentity.self, from: data, what: kind)
            case "jurisdiction": _ = try PolicyJSON.decode(EquivalentJurisdiction.self, from: data, what: kind)
            default: _ = try PolicyJSON.decode(Withdrawal.self, from: data, what: kind)
            }
        }
        #expect(error?.code == .invalidPolicy)
        #expect(error?.message.contains(expected) == true, "\(error?.message ?? "")")
    }

    @Test("dates: a date-only start is that day's start in Japan; a date-only end is the start of the next day in Japan",
          arguments: [
              ("valid_from", "2026-04-01", "2026-03-31T15:00:00Z"),
              ("valid_until", "2027-03-31", "2027-03-31T15:00:00Z"),
              ("valid_until", "2027-12-31", "2027-12-31T15:00:00Z"),
              ("valid_until", "2028-02-29", "2028-02-29T15:00:00Z"),
              ("decision_date", "2026-03-15", "2026-03-14T15:00:00Z"),
              ("valid_until", "2027-03-31T09:00:00+09:00", "2027-03-31T00:00:00Z"),  // a time is taken as is
              ("valid_until", "2027-03-31T23:59:59Z", "2027-03-31T23:59:59Z"),
              ("valid_from", "2026-04-01T00:00:00.250Z", "2026-04-01T00:00:00.250Z"),
          ])
    func dates(key: String, text: String, expected: String) throws {
        let approval = try Self.decodeApproval { $0[key] = text }
        let date: Date = switch key {
        case "valid_from": approval.validFrom
        case "valid_until": approval.validUntil
        default: approval.decisionDate
        }
        let wanted = try #require(try? Date(expected, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: expected.contains("."))))
        #expect(abs(date.timeIntervalSince(wanted)) < 0.0005, "\(date) != \(wanted)")
    }

    @Test("a date-only valid_until of 2027-03-31 is in force through that whole day in Japan")
    func validUntilWholeDay() throws {
        let approval = try Self.decodeApproval { $0["valid_until"] = "2027-03-31" }
        #expect(approval.validUntil == F.time("2027-03-31T15:00:00Z"))
        #expect(approval.isInForce(at: F.time("2027-03-31T23:59:59+09:00")))
        #expect(!approval.isInForce(at: F.time("2027-04-01T00:00:00+09:00")))
        #expect(approval.isInForce(at: F.time("2026-04-01T00:00:00+09:00")))
        #expect(!approval.isInForce(at: F.time("2026-03-31T23:59:59+09:00")))
    }

    @Test("end dates of terms and the equivalence list are inclusive days too")
    func otherEndDates() throws {
        let term = try PolicyJSON.decode(DataUseTerm.self, from: Data(#"{"id":"DUO:0000025","until":"2027-03-31"}"#.utf8), what: "term")
        #expect(term.until == F.time("2027-03-31T15:00:00Z"))
        let entry = try PolicyJSON.decode(
            EquivalentJurisdiction.self,
            from: Data(#"{"country":"GB","effective_from":"2019-01-23","effective_until":"2026-12-31"}"#.utf8), what: "entry")
        #expect(entry.effectiveFrom == F.time("2019-01-22T15:00:00Z"))
        #expect(entry.effectiveUntil == F.time("2026-12-31T15:00:00Z"))
    }

    @Test("PolicyTime.parse", arguments: [
        ("2026-04-01", false, "2026-03-31T15:00:00Z" as String?),
        ("2026-04-01", true, "2026-04-01T15:00:00Z"),
        (" 2026-04-01 ", false, "2026-03-31T15:00:00Z"),
        ("2026-04-01T09:00:00Z", true, "2026-04-01T09:00:00Z"),
        ("2026-02-30", false, nil),
        ("2026-4-1", false, nil),
        ("01/04/2026", false, nil),
        ("tomorrow", false, nil),
        ("", false, nil),
    ] as [(String, Bool, String?)])
    func parse(text: String, endOfDay: Bool, expected: String?) {
        let parsed = PolicyTime.parse(text, endOfDay: endOfDay)
        #expect(parsed == expected.flatMap { try? Date($0, strategy: .iso8601) })
        if expected != nil { #expect(parsed != nil) }
    }

    @Test("a date-only value is exactly YYYY-MM-DD: other separators or digit counts are refused",
          arguments: ["2026/04/01", "2026.04.01", "2026 04 01", "2026-4-011"])
    func strictDateOnly(text: String) throws {
        #expect(PolicyTime.parse(text) == nil)
        #expect(PolicyTime.parse(text, endOfDay: true) == nil)
        #expect(throws: GatewayError.self) { try Self.decodeApproval { $0["valid_until"] = text } }
    }

    @Test("a stored approval round-trips through the store's JSON unchanged", arguments: Array(F.valid.approvals.keys.sorted()))
    func roundTrip(id: String) throws {
        let approval = try #require(F.valid.approvals[id])
        let decoded = try PolicyJSON.decode(Approval.self, from: Data(try PolicyJSON.encode(approval).utf8), what: "approval")
        #expect(decoded == approval)
    }
}
