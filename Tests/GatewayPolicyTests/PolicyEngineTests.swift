import Foundation
import GatewayCore
import GatewayPolicy
import Testing

private typealias F = PolicyFixture

/// Decides `action` for fixture member `memberID` at `time` on `snapshot`.
private func decide(
    _ memberID: String, _ action: AccessRequest.Action, at time: Date = F.now, in snapshot: PolicySnapshot = F.engineSnapshot
) throws -> AccessDecision {
    let member = try #require(snapshot.state.members[memberID], "no fixture member \(memberID)")
    return PolicyEngine().decide(AccessRequest(member: member, action: action, time: time), in: snapshot)
}

private func query(
    _ approval: String? = nil, kind: QueryKind = .beaconCount, datasets: [String] = [], cancerTypes: [String] = []
) -> AccessRequest.Action {
    .query(DataQuery(kind: kind, approvalID: approval, datasets: datasets, cancerTypes: cancerTypes))
}

private func codes(_ decision: AccessDecision) -> [String] { decision.reasons.map(\.code.rawValue) }

/// A denial's reasons, and its gateway error carrying the first as its code and all as reasons.
private func expectDenied(_ decision: AccessDecision, _ expected: [String], sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(codes(decision) == expected, "\(decision.reasons)", sourceLocation: sourceLocation)
    #expect(!decision.isAllowed, sourceLocation: sourceLocation)
    #expect(decision.restriction == nil, sourceLocation: sourceLocation)
    #expect(decision.error?.code.rawValue == expected.first, sourceLocation: sourceLocation)
    #expect(decision.error?.reasons.map(\.rawValue) == expected, sourceLocation: sourceLocation)
    #expect(decision.policyVersion == F.engineVersion, sourceLocation: sourceLocation)
}

@Suite("Policy engine")
struct PolicyEngineTests {
    static let everyAction: [AccessRequest.Action] = [
        .readServiceInformation, .readCatalogue, .administerPolicy, .readAudit, query("A-JP"),
    ]

    // MARK: 1. Identity

    @Test("identity: suspended, revoked or organization-less members and inactive organizations are refused for every action",
          arguments: [
              ("m-suspended", "member_suspended"),
              ("m-revoked", "member_revoked"),
              ("r-org-suspended", "organization_suspended"),
              ("r-org-withdrawn", "organization_suspended"),
              ("r-orphan", "unknown_member"),
          ], everyAction)
    func identity(_ refusal: (member: String, code: String), action: AccessRequest.Action) throws {
        expectDenied(try decide(refusal.member, action), [refusal.code])
    }

    // MARK: 2. Role

    @Test("role: each role may take exactly its actions", arguments: [
        (Role.researcher, 0, true), (.researcher, 1, true), (.researcher, 2, false), (.researcher, 3, false), (.researcher, 4, true),
        (.auditor, 0, true), (.auditor, 1, false), (.auditor, 2, false), (.auditor, 3, true), (.auditor, 4, false),
        (.secretariat, 0, true), (.secretariat, 1, true), (.secretariat, 2, true), (.secretariat, 3, false), (.secretariat, 4, false),
    ])
    func role(role: Role, actionIndex: Int, allowed: Bool) throws {
        let member = switch role {
        case .researcher: "r-jp"
        case .auditor: "auditor"
        case .secretariat: "secretariat"
        }
        let action = Self.everyAction[actionIndex]
        let decision = try decide(member, action)
        if allowed {
            #expect(decision.isAllowed, "\(decision.reasons)")
            #expect(decision.error == nil)
            #expect(decision.policyVersion == F.engineVersion)
            if case .query = action { #expect(decision.restriction != nil) } else { #expect(decision.restriction == nil) }
        } else {
            expectDenied(decision, ["role_forbidden"])
            #expect(decision.reasons[0].message.contains(role.rawValue))
        }
    }

    @Test("role is checked before the approval: an auditor's query under a missing approval is role_forbidden")
    func roleBeforeApproval() throws {
        expectDenied(try decide("auditor", query("A-NOPE")), ["role_forbidden"])
    }

    // MARK: 3. Approval

    @Test("approval resolution", arguments: [
        // member, named approval, expected: "allow:ID" or reason codes
        ("r-jp", nil, "allow:A-JP"),                 // its only usable approval (A-CROSS names it but is de-uni's)
        ("r-jp", "A-JP", "allow:A-JP"),
        ("r-jp", "A-NOPE", "no_approval"),
        ("r-none", nil, "no_approval"),
        ("r-two", nil, "approval_ambiguous"),
        ("r-two", "A-JP-TWO", "allow:A-JP-TWO"),
        ("r-two", "A-JP-CARCINOMA", "allow:A-JP-CARCINOMA"),
        ("r-jp", "A-JP-TWO", "no_approval"),     // same organization, not named
        ("r-jp", "A-DE", "no_approval"),         // another organization's approval
        ("r-jp", "A-CROSS", "no_approval"),      // names r-jp but belongs to de-uni
        ("r-mixed", nil, "allow:A-MIXED-OK"),        // the one usable among expired and suspended ones
        ("r-mixed", "A-MIXED-EXPIRED", "approval_expired"),
        ("r-mixed", "A-MIXED-SUSPENDED", "approval_suspended"),
        ("r-all-out", nil, "no_approval"),           // two approvals, none usable
        ("r-susp-appr", nil, "approval_suspended"),  // the only approval says why
        ("r-susp-appr", "A-SUSPENDED", "approval_suspended"),
        ("r-revoked-appr", nil, "approval_revoked"),
        ("r-revoked-appr", "A-REVOKED", "approval_revoked"),
        ("r-future", nil, "approval_not_yet_valid"),
        ("r-future", "A-FUTURE", "approval_not_yet_valid"),
        ("r-expired", nil, "approval_expired"),
        ("r-expired", "A-EXPIRED", "approval_expired"),
    ] as [(String, String?, String)])
    func approval(member: String, named: String?, expected: String) throws {
        let decision = try decide(member, query(named))
        if expected.hasPrefix("allow:") {
            #expect(decision.isAllowed, "\(decision.reasons)")
            #expect(decision.approvalID == String(expected.dropFirst("allow:".count)))
            #expect(decision.restriction != nil)
        } else {
            expectDenied(decision, [expected])
            #expect(decision.approvalID == named)
        }
    }

    @Test("validity boundaries: valid from validFrom inclusive, expired at validUntil exactly", arguments: [
        (F.validFrom.addingTimeInterval(-0.001), "approval_not_yet_valid"),
        (F.validFrom, "allow"),
        (F.validFrom.addingTimeInterval(1), "allow"),
        (F.expiredUntil.addingTimeInterval(-0.001), "allow"),
        (F.expiredUntil, "approval_expired"),
        (F.expiredUntil.addingTimeInterval(86_400), "approval_expired"),
    ], [nil, "A-EXPIRED"] as [String?])
    func validityBoundaries(_ boundary: (time: Date, expected: String), named: String?) throws {
        #expect(F.expiredUntil == F.time("2027-03-31T15:00:00Z"))
        let expected = boundary.expected
        let decision = try decide("r-expired", query(named), at: boundary.time)
        if expected == "allow" {
            #expect(decision.isAllowed, "\(decision.reasons)")
            #expect(decision.approvalID == "A-EXPIRED")
        } else {
            expectDenied(decision, [expected])
        }
    }

    @Test("a suspended approval that has also expired gives both reasons; the error's code is the first")
    func severalStandingReasons() throws {
        let decision = try decide("r-susp-appr", query("A-SUSPENDED"), at: F.validUntil)
        expectDenied(decision, ["approval_suspended", "approval_expired"])
        #expect(decision.error?.message.contains("suspended") == true)
        #expect(decision.error?.message.contains("expired") == true)
    }

    // MARK: Scope

    @Test("scope: query kind, datasets and cancer types (a narrower type is within a broader approved one)", arguments: [
        // approval, kind, datasets, cancer types, expected codes (empty: allowed)
        ("A-JP-CARCINOMA", QueryKind.beaconCount, [String](), [String](), [String]()),
        ("A-JP-CARCINOMA", .alleleFrequency, ["gru"], [F.NCIT.carcinoma], []),
        ("A-JP-CARCINOMA", .beaconCount, [], [F.NCIT.breastCarcinoma], []),
        ("A-JP-CARCINOMA", .beaconCount, [], [F.NCIT.pancreaticAdenocarcinoma], []),     // two levels narrower
        ("A-JP-CARCINOMA", .beaconCount, [], [F.NCIT.breastCarcinoma, F.NCIT.lungCarcinoma], []),
        ("A-JP-CARCINOMA", .cohortSummary, [], [], ["out_of_scope_query"]),
        ("A-JP-CARCINOMA", QueryKind.analysis("signatures")!, [], [], ["out_of_scope_query"]),
        ("A-JP-CARCINOMA", .beaconCount, ["hmb"], [], ["out_of_scope_dataset"]),
        ("A-JP-CARCINOMA", .beaconCount, ["gru", "hmb", "nres"], [], ["out_of_scope_dataset", "out_of_scope_dataset"]),
        ("A-JP-CARCINOMA", .beaconCount, [], [F.NCIT.malignantNeoplasm], ["out_of_scope_cancer_type"]),  // broader
        ("A-JP-CARCINOMA", .beaconCount, [], [F.NCIT.glioblastoma], ["out_of_scope_cancer_type"]),       // sibling branch
        ("A-JP-CARCINOMA", .beaconCount, [], ["NCIT:C99999"], ["out_of_scope_cancer_type"]),             // unknown term
        ("A-JP-CARCINOMA", .beaconCount, [], [F.NCIT.breastCarcinoma, F.NCIT.glioblastoma], ["out_of_scope_cancer_type"]),
        ("A-JP-CARCINOMA", .cohortSummary, ["hmb"], [F.NCIT.glioblastoma],
         ["out_of_scope_query", "out_of_scope_dataset", "out_of_scope_cancer_type"]),
        ("A-JP-TWO", .beaconCount, [], [F.NCIT.glioblastoma], []),                                        // no cancer limit
        ("A-JP-TWO", .beaconCount, [], [F.NCIT.neoplasm], []),
    ])
    func scope(approval: String, kind: QueryKind, datasets: [String], cancerTypes: [String], expected: [String]) throws {
        let decision = try decide("r-two", query(approval, kind: kind, datasets: datasets, cancerTypes: cancerTypes))
        #expect(decision.approvalID == approval)
        if expected.isEmpty {
            #expect(decision.isAllowed, "\(decision.reasons)")
        } else {
            expectDenied(decision, expected)
        }
    }

    @Test("an approval limited to carcinoma restricts the cohort to carcinoma and its narrower types, and says so")
    func cancerTypeRestriction() throws {
        let decision = try decide("r-two", query("A-JP-CARCINOMA"))
        let restriction = try #require(decision.restriction)
        #expect(restriction.cancerTypes == [F.NCIT.carcinoma])
        #expect(restriction.allowsCancerType(F.NCIT.carcinoma))
        #expect(restriction.allowsCancerType(F.NCIT.breastCarcinoma))
        #expect(restriction.allowsCancerType(F.NCIT.pancreaticAdenocarcinoma))
        #expect(!restriction.allowsCancerType(F.NCIT.glioblastoma))
        #expect(!restriction.allowsCancerType(F.NCIT.malignantNeoplasm))
        #expect(restriction.notes.contains { $0.contains("Only cancer types within \(F.NCIT.carcinoma)") })
        #expect(restriction.datasets == ["gru", "ds-carcinoma"])

        let unlimited = try #require(try decide("r-two", query("A-JP-TWO")).restriction)
        #expect(unlimited.cancerTypes == nil)
        #expect(unlimited.allowsCancerType(F.NCIT.glioblastoma))
        #expect(!unlimited.notes.contains { $0.contains("Only cancer types") })
    }

    // MARK: 4. Consent

    @Test("consent with the approval's datasets: named incompatible ones deny, implied ones are left out", arguments: [
        // member, approval, named datasets, expected datasets (allowed) or nil, expected codes, left-out datasets
        ("r-jp", "A-JP", [String](), Set(["gru", "hmb", "ncu", "npu", "npuncu"]) as Set<String>?, [String](), [String]()),
        ("r-jp-comm", "A-JP-COMMERCIAL", [], ["gru"], [], ["ncu", "npu", "npuncu"]),
        ("r-jp-comm", "A-JP-COMMERCIAL", ["gru"], ["gru"], [], []),
        ("r-jp-comm", "A-JP-COMMERCIAL", ["gru", "ncu"], nil, ["purpose_incompatible_with_consent"], []),
        ("r-jp-comm", "A-JP-COMMERCIAL", ["npu", "npuncu"], nil,
         ["purpose_incompatible_with_consent", "purpose_incompatible_with_consent"], []),
        ("r-jp-comm", "A-JP-COMMERCIAL-NC", [], nil, ["purpose_incompatible_with_consent"], []),          // all left out
        ("r-jp-co", "A-JP-CO", [], ["gru"], [], ["ncu", "npuncu"]),                                       // industry, non-commercial purpose
        ("r-jp-co", "A-JP-CO", ["ncu"], nil, ["purpose_incompatible_with_consent"], []),
        ("r-us-co", "A-US-CO", [], ["gru", "hmb"], [], ["ncu"]),
        ("r-two", "A-JP-CARCINOMA", ["ds-carcinoma"], ["ds-carcinoma"], [], []),                       // DS within the approval
        ("r-two", "A-JP-TWO", [], ["gru", "hmb"], [], []),
    ] as [(String, String, [String], Set<String>?, [String], [String])])
    func consentOfApprovalDatasets(member: String, approval: String, named: [String], datasets: Set<String>?,
                                   expected: [String], leftOut: [String]) throws {
        let decision = try decide(member, query(approval, datasets: named))
        #expect(decision.approvalID == approval)
        if let datasets {
            let restriction = try #require(decision.restriction, "\(decision.reasons)")
            #expect(restriction.datasets == datasets)
            let notes = restriction.notes.filter { $0.contains("is left out") }
            #expect(notes.count == leftOut.count, "\(notes)")
            for id in leftOut { #expect(notes.contains { $0.hasPrefix("Dataset \(id) is left out") }, "\(id): \(notes)") }
        } else {
            expectDenied(decision, expected)
            if named.isEmpty { #expect(decision.reasons[0].message.contains("no dataset of approval \(approval)")) }
        }
    }

    struct ConsentCase: Sendable, CustomTestStringConvertible {
        var name: String
        var terms: [DataUseTerm]
        var commercial = false
        var kind = Organization.Kind.academia
        var country = "JP"
        var cancerTypes: [String]? = nil
        var compatible: Bool
        var testDescription: String { name }
    }

    static let consentCases: [ConsentCase] = {
        typealias D = F.DUO
        typealias N = F.NCIT
        let t = F.term
        return [
            ConsentCase(name: "GRU", terms: [t(D.gru)], compatible: true),
            ConsentCase(name: "HMB", terms: [t(D.hmb)], compatible: true),
            ConsentCase(name: "NRES", terms: [t(D.nres)], compatible: true),
            ConsentCase(name: "GRU commercial", terms: [t(D.gru)], commercial: true, kind: .industry, compatible: true),
            ConsentCase(name: "NCU academia", terms: [t(D.gru), t(D.ncu)], compatible: true),
            ConsentCase(name: "NCU commercial approval", terms: [t(D.gru), t(D.ncu)], commercial: true, compatible: false),
            ConsentCase(name: "NCU industry", terms: [t(D.gru), t(D.ncu)], kind: .industry, compatible: false),
            ConsentCase(name: "NCU public body", terms: [t(D.gru), t(D.ncu)], kind: .publicBody, compatible: true),
            ConsentCase(name: "NPU academia", terms: [t(D.gru), t(D.npu)], compatible: true),
            ConsentCase(name: "NPU commercial approval", terms: [t(D.gru), t(D.npu)], commercial: true, compatible: false),
            ConsentCase(name: "NPU industry", terms: [t(D.gru), t(D.npu)], kind: .industry, compatible: false),
            ConsentCase(name: "NPUNCU academia", terms: [t(D.hmb), t(D.npuncu)], compatible: true),
            ConsentCase(name: "NPUNCU commercial approval", terms: [t(D.hmb), t(D.npuncu)], commercial: true, compatible: false),
            ConsentCase(name: "NPUNCU industry", terms: [t(D.hmb), t(D.npuncu)], kind: .industry, compatible: false),
            ConsentCase(name: "DS carcinoma, approval carcinoma", terms: [DataUseTerm(id: D.ds, disease: N.carcinoma)],
                        cancerTypes: [N.carcinoma], compatible: true),
            ConsentCase(name: "DS carcinoma, approval breast+lung carcinoma", terms: [DataUseTerm(id: D.ds, disease: N.carcinoma)],
                        cancerTypes: [N.breastCarcinoma, N.lungCarcinoma], compatible: true),
            ConsentCase(name: "DS carcinoma, approval malignant neoplasm (broader)", terms: [DataUseTerm(id: D.ds, disease: N.carcinoma)],
                        cancerTypes: [N.malignantNeoplasm], compatible: false),
            ConsentCase(name: "DS carcinoma, approval breast carcinoma + glioblastoma", terms: [DataUseTerm(id: D.ds, disease: N.carcinoma)],
                        cancerTypes: [N.breastCarcinoma, N.glioblastoma], compatible: false),
            ConsentCase(name: "DS carcinoma, approval without cancer types", terms: [DataUseTerm(id: D.ds, disease: N.carcinoma)],
                        compatible: false),
            ConsentCase(name: "DS carcinoma, approval with empty cancer types", terms: [DataUseTerm(id: D.ds, disease: N.carcinoma)],
                        cancerTypes: [], compatible: false),
            ConsentCase(name: "DS without disease", terms: [t(D.ds)], cancerTypes: [N.carcinoma], compatible: false),
            ConsentCase(name: "POA", terms: [t(D.poa)], compatible: false),
            ConsentCase(name: "CC", terms: [t(D.cc)], compatible: false),
            ConsentCase(name: "RS", terms: [t(D.gru), t(D.rs)], compatible: false),
            ConsentCase(name: "GS JP, organization in JP", terms: [t(D.gru), DataUseTerm(id: D.gs, countries: ["JP", "DE"])], compatible: true),
            ConsentCase(name: "GS DE, organization in JP", terms: [t(D.gru), DataUseTerm(id: D.gs, countries: ["DE"])], compatible: false),
            ConsentCase(name: "GS without countries", terms: [t(D.gru), t(D.gs)], compatible: false),
            ConsentCase(name: "TS until later", terms: [t(D.gru), DataUseTerm(id: D.ts, until: F.now.addingTimeInterval(1))], compatible: true),
            ConsentCase(name: "TS until exactly now", terms: [t(D.gru), DataUseTerm(id: D.ts, until: F.now)], compatible: false),
            ConsentCase(name: "TS ended", terms: [t(D.gru), DataUseTerm(id: D.ts, until: F.time("2027-01-01"))], compatible: false),
            ConsentCase(name: "US naming the member", terms: [t(D.gru), DataUseTerm(id: D.us, allowed: ["r-1"])], compatible: true),
            ConsentCase(name: "US naming another member", terms: [t(D.gru), DataUseTerm(id: D.us, allowed: ["r-2"])], compatible: false),
            ConsentCase(name: "US naming the organization", terms: [t(D.gru), DataUseTerm(id: D.us, allowed: ["org-1"])], compatible: false),
            ConsentCase(name: "PS naming the approval", terms: [t(D.gru), DataUseTerm(id: D.ps, allowed: ["A-1"])], compatible: true),
            ConsentCase(name: "PS naming another approval", terms: [t(D.gru), DataUseTerm(id: D.ps, allowed: ["A-2"])], compatible: false),
            ConsentCase(name: "IS naming the organization", terms: [t(D.gru), DataUseTerm(id: D.is, allowed: ["org-1"])], compatible: true),
            ConsentCase(name: "IS naming another organization", terms: [t(D.gru), DataUseTerm(id: D.is, allowed: ["org-2"])], compatible: false),
            ConsentCase(name: "IS without ids", terms: [t(D.gru), t(D.is)], compatible: false),
            ConsentCase(name: "obligations IRB PUB COL MOR RTN", terms: [t(D.hmb), t(D.irb), t(D.pub), t(D.col), t(D.mor), t(D.rtn)],
                        compatible: true),
            ConsentCase(name: "NMDS GSO NPOA", terms: [t(D.gru), t(D.nmds), t(D.gso), t(D.npoa)], compatible: true),
            ConsentCase(name: "unknown term", terms: [t(D.gru), t("DUO:9999999")], compatible: false),
        ]
    }()

    /// One organization, member, dataset and approval: the dataset carries `terms`.
    static func consentSnapshot(_ c: ConsentCase) -> PolicySnapshot {
        var state = PolicyState()
        state.organizations["org-1"] = F.organization("org-1", c.kind, c.country)
        state.members["r-1"] = F.member("r-1", "org-1")
        state.datasets["d"] = F.dataset("d", c.terms)
        state.approvals["A-1"] = F.approval("A-1", "org-1", ["r-1"], datasets: ["d"], cancerTypes: c.cancerTypes, commercial: c.commercial)
        return F.snapshot(state, version: 3)
    }

    @Test("consent: each DUO term against the approval and organization", arguments: consentCases)
    func consentTerm(_ c: ConsentCase) throws {
        let snapshot = Self.consentSnapshot(c)
        let named = try decide("r-1", query(datasets: ["d"]), in: snapshot)
        let implied = try decide("r-1", query(), in: snapshot)
        if c.compatible {
            #expect(named.isAllowed, "\(named.reasons)")
            #expect(named.restriction?.datasets == ["d"])
            #expect(implied.restriction?.datasets == ["d"])
        } else {
            #expect(codes(named) == ["purpose_incompatible_with_consent"])
            #expect(named.reasons.first?.message.contains("dataset d is") == true, "\(named.reasons)")
            // Implied, the only dataset is left out: nothing remains, so the query is refused too.
            #expect(codes(implied) == ["purpose_incompatible_with_consent"])
            #expect(implied.policyVersion == 3)
        }
        // Compatibility does not depend on how the dataset was chosen.
        #expect(named.isAllowed == implied.isAllowed)
    }

    @Test("the term (the NCU dataset's) is the one named in the refusal")
    func consentMessageNamesTerm() throws {
        let decision = try decide("r-jp-comm", query("A-JP-COMMERCIAL", datasets: ["ncu"]))
        let message = try #require(decision.reasons.first?.message)
        #expect(message.contains("NCU"))
        #expect(message.contains(F.DUO.ncu))
    }

    // MARK: 5. Jurisdiction

    @Test("jurisdiction: Japan and effective equivalence-list countries count every sample; others only with an exception",
          arguments: [
              // member, approval, time, overseas consent only, note says
              ("r-jp", "A-JP", F.now, false, nil),
              ("r-jp-co", "A-JP-CO", F.now, false, nil),
              ("r-de", "A-DE", F.now, false, nil),
              ("r-gb", "A-GB", F.now, true, "records no exception"),                                // recognition ended
              ("r-gb", "A-GB", F.gbUntil.addingTimeInterval(-0.001), false, nil),
              ("r-gb", "A-GB", F.gbUntil, true, "is in GB"),
              ("r-kr", "A-KR", F.now, true, "is in KR"),                                            // recognition not yet begun
              ("r-kr", "A-KR", F.krFrom.addingTimeInterval(-0.001), true, "records no exception"),
              ("r-kr", "A-KR", F.krFrom, false, nil),
              ("r-us-uni", "A-US-NONE", F.now, true, "records no exception"),
              ("r-us-uni", "A-US-CONSENT", F.now, true, "records the donors' consent"),
              ("r-us-uni", "A-US-ACADEMIC", F.now, false, nil),
              ("r-us-uni", "A-US-PUBLIC", F.now, false, nil),
              ("r-us-co", "A-US-CO", F.now, true, "organization us-co is in US"),
          ] as [(String, String, Date, Bool, String?)])
    func jurisdiction(member: String, approval: String, time: Date, restricted: Bool, note: String?) throws {
        let decision = try decide(member, query(approval), at: time)
        let restriction = try #require(decision.restriction, "\(decision.reasons)")
        #expect(restriction.overseasConsentOnly == restricted)
        let overseasNotes = restriction.notes.filter { $0.hasPrefix("Only samples whose donors consented to provision overseas") }
        #expect(overseasNotes.count == (restricted ? 1 : 0), "\(restriction.notes)")
        if let note { #expect(overseasNotes.first?.contains(note) == true, "\(overseasNotes)") }
    }

    // MARK: 6. Withdrawal and version

    @Test("withdrawn participants of the snapshot never count", arguments: ["r-jp", "r-us-uni", "r-two"])
    func withdrawals(member: String) throws {
        let approval = ["r-jp": "A-JP", "r-us-uni": "A-US-NONE", "r-two": "A-JP-CARCINOMA"][member]
        let restriction = try #require(try decide(member, query(approval)).restriction)
        #expect(restriction.withdrawnParticipants == F.engineSnapshot.withdrawnParticipants)
        #expect(restriction.withdrawnParticipants == ["P-0001", "P-0002", "P-0003"])
    }

    @Test("a snapshot without withdrawals restricts nobody")
    func noWithdrawals() throws {
        var state = F.engineState
        state.withdrawals = [:]
        let restriction = try #require(try decide("r-jp", query(), in: F.snapshot(state)).restriction)
        #expect(restriction.withdrawnParticipants.isEmpty)
    }

    @Test("the decision carries the snapshot's policy version, allowed or denied", arguments: [0, 1, 42, 9_999])
    func policyVersion(version: Int) throws {
        let snapshot = F.snapshot(version: version)
        for (member, action, allowed) in [
            ("r-jp", query(), true),
            ("auditor", AccessRequest.Action.readAudit, true),
            ("auditor", query(), false),
            ("r-none", query(), false),
            ("m-suspended", .readServiceInformation, false),
            ("r-jp-comm", query("A-JP-COMMERCIAL-NC"), false),
        ] {
            let decision = try decide(member, action, in: snapshot)
            #expect(decision.isAllowed == allowed, "\(member): \(decision.reasons)")
            #expect(decision.policyVersion == version)
        }
    }

    @Test("stages stop at the first that fails: a revoked member's out-of-scope query gives only member_revoked")
    func firstFailingStageOnly() throws {
        expectDenied(try decide("m-revoked", query("A-NOPE", kind: .cohortSummary)), ["member_revoked"])
        // Approval problems come before scope problems.
        expectDenied(try decide("r-expired", query("A-EXPIRED", kind: .cohortSummary, datasets: ["poa"])), ["approval_expired"])
        // Scope problems come before consent problems.
        expectDenied(try decide("r-jp-comm", query("A-JP-COMMERCIAL", kind: .cohortSummary, datasets: ["ncu"])), ["out_of_scope_query"])
    }

    @Test("the fixture policy is valid, so every decision above is made on a policy the store would accept")
    func fixtureIsValid() {
        #expect(PolicyValidation.problems(in: F.valid) == [])
    }
}
