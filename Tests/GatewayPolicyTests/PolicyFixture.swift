import Foundation
import GatewayCore
import GatewayPolicy

/// A policy built in code for the engine and validation tests.
///
/// ``valid`` passes ``PolicyValidation`` (a test checks that); ``engineSnapshot`` adds the
/// few inconsistent records only a decision can meet (a member whose organization is not
/// registered, an approval naming a member of another organization).
enum PolicyFixture {
    // MARK: Times

    static func time(_ text: String, endOfDay: Bool = false) -> Date {
        guard let date = PolicyTime.parse(text, endOfDay: endOfDay) else { fatalError("bad fixture time \(text)") }
        return date
    }

    /// The time requests are decided at unless a test says otherwise.
    static let now = time("2027-06-01T03:00:00Z")
    /// 2026-04-01 00:00 JST.
    static let validFrom = time("2026-04-01")
    /// 2030-03-31 inclusive: 2030-04-01 00:00 JST.
    static let validUntil = time("2030-03-31", endOfDay: true)
    /// A-EXPIRED ends at the end of 2027-03-31 JST = 2027-03-31T15:00:00Z.
    static let expiredUntil = time("2027-03-31", endOfDay: true)
    /// A-FUTURE starts 2028-04-01 JST.
    static let futureFrom = time("2028-04-01")
    /// GB's recognition ends with 2026-12-31 JST (2026-12-31T15:00:00Z).
    static let gbUntil = time("2026-12-31", endOfDay: true)
    /// KR's recognition starts 2028-01-01 JST (2027-12-31T15:00:00Z).
    static let krFrom = time("2028-01-01")

    // MARK: DUO and NCIt terms

    enum DUO {
        static let nres = "DUO:0000004", gru = "DUO:0000042", hmb = "DUO:0000006", ds = "DUO:0000007"
        static let poa = "DUO:0000011", cc = "DUO:0000043", rs = "DUO:0000012", nmds = "DUO:0000015"
        static let gso = "DUO:0000016", npuncu = "DUO:0000018", pub = "DUO:0000019", col = "DUO:0000020"
        static let irb = "DUO:0000021", gs = "DUO:0000022", mor = "DUO:0000024", ts = "DUO:0000025"
        static let us = "DUO:0000026", ps = "DUO:0000027", `is` = "DUO:0000028", rtn = "DUO:0000029"
        static let npoa = "DUO:0000044", npu = "DUO:0000045", ncu = "DUO:0000046"
    }

    enum NCIT {
        static let neoplasm = "NCIT:C3262"
        static let malignantNeoplasm = "NCIT:C9305"
        static let carcinoma = "NCIT:C2916"
        static let adenocarcinoma = "NCIT:C2852"
        static let breastCarcinoma = "NCIT:C4872"
        static let lungCarcinoma = "NCIT:C4878"
        static let pancreaticAdenocarcinoma = "NCIT:C8294"
        static let malignantGlioma = "NCIT:C4822"
        static let glioblastoma = "NCIT:C3058"
    }

    // MARK: Builders

    static func certificate(_ memberID: String) -> CertificateIdentity {
        .distinguishedName(subject: "CN=\(memberID),O=Test,C=JP", issuer: "CN=Test CA,O=Consortium,C=JP")
    }

    static func organization(_ id: String, _ kind: Organization.Kind, _ country: String,
                             _ status: Organization.ConsortiumStatus = .active) -> Organization {
        Organization(id: id, name: "Organization \(id)", kind: kind, country: country, consortiumStatus: status)
    }

    static func member(_ id: String, _ organization: String, _ role: Role = .researcher, _ status: Member.Status = .active) -> Member {
        Member(id: id, name: "Member \(id)", organization: organization, role: role, status: status, certificates: [certificate(id)])
    }

    static func dataset(_ id: String, _ terms: [DataUseTerm]) -> Dataset {
        Dataset(id: id, name: "Dataset \(id)", dataUse: terms)
    }

    static func term(_ id: String) -> DataUseTerm { DataUseTerm(id: id) }

    static func approval(
        _ id: String, _ organization: String, _ members: [String],
        datasets: [String] = ["gru"], kinds: [QueryKind] = [.beaconCount, .alleleFrequency], cancerTypes: [String]? = nil,
        commercial: Bool = false, basis: Approval.LegalBasis = .none, status: Approval.Status = .active,
        from: Date = validFrom, until: Date = validUntil
    ) -> Approval {
        Approval(
            id: id, decisionReference: "DURC-\(id)", decisionDate: time("2026-03-15"), title: "Approval \(id)",
            purpose: .causalGeneResearch, organization: organization, members: members,
            scope: .init(datasets: datasets, queryKinds: kinds, cancerTypes: cancerTypes), commercialUse: commercial,
            validFrom: from, validUntil: until, legalBasis: basis, status: status
        )
    }

    // MARK: The policy

    static let valid: PolicyState = {
        var state = PolicyState()
        for organization in [
            organization("jp-uni", .academia, "JP"),
            organization("jp-co", .industry, "JP"),
            organization("de-uni", .academia, "DE"),
            organization("gb-uni", .academia, "GB"),
            organization("kr-uni", .academia, "KR"),
            organization("us-uni", .academia, "US"),
            organization("us-co", .industry, "US"),
            organization("org-suspended", .academia, "JP", .suspended),
            organization("org-withdrawn", .academia, "JP", .withdrawn),
            organization("audit", .publicBody, "JP"),
            organization("secretariat-office", .publicBody, "JP"),
        ] { state.organizations[organization.id] = organization }

        for member in [
            member("r-jp", "jp-uni"),
            member("r-two", "jp-uni"),
            member("r-none", "jp-uni"),
            member("r-mixed", "jp-uni"),
            member("r-all-out", "jp-uni"),
            member("r-susp-appr", "jp-uni"),
            member("r-revoked-appr", "jp-uni"),
            member("r-future", "jp-uni"),
            member("r-expired", "jp-uni"),
            member("r-jp-comm", "jp-uni"),
            member("r-jp-co", "jp-co"),
            member("r-de", "de-uni"),
            member("r-gb", "gb-uni"),
            member("r-kr", "kr-uni"),
            member("r-us-uni", "us-uni"),
            member("r-us-co", "us-co"),
            member("m-suspended", "jp-uni", .researcher, .suspended),
            member("m-revoked", "jp-uni", .researcher, .revoked),
            member("r-org-suspended", "org-suspended"),
            member("r-org-withdrawn", "org-withdrawn"),
            member("auditor", "audit", .auditor),
            member("secretariat", "secretariat-office", .secretariat),
        ] { state.members[member.id] = member }

        for dataset in [
            dataset("gru", [term(DUO.gru)]),
            dataset("hmb", [term(DUO.hmb), term(DUO.irb)]),
            dataset("nres", [term(DUO.nres)]),
            dataset("ncu", [term(DUO.gru), term(DUO.ncu)]),
            dataset("npu", [term(DUO.gru), term(DUO.npu)]),
            dataset("npuncu", [term(DUO.hmb), term(DUO.npuncu)]),
            dataset("ds-carcinoma", [DataUseTerm(id: DUO.ds, disease: NCIT.carcinoma)]),
            dataset("poa", [term(DUO.poa)]),
            dataset("cc", [term(DUO.cc)]),
            dataset("rs", [term(DUO.gru), term(DUO.rs)]),
        ] { state.datasets[dataset.id] = dataset }

        for approval in [
            approval("A-JP", "jp-uni", ["r-jp"], datasets: ["gru", "hmb", "ncu", "npu", "npuncu"]),
            approval("A-JP-CARCINOMA", "jp-uni", ["r-two"], datasets: ["gru", "ds-carcinoma"], cancerTypes: [NCIT.carcinoma]),
            approval("A-JP-TWO", "jp-uni", ["r-two"], datasets: ["gru", "hmb"]),
            approval("A-MIXED-OK", "jp-uni", ["r-mixed"]),
            approval("A-MIXED-EXPIRED", "jp-uni", ["r-mixed"], until: expiredUntil),
            approval("A-MIXED-SUSPENDED", "jp-uni", ["r-mixed"], status: .suspended),
            approval("A-ALL-OUT-1", "jp-uni", ["r-all-out"], status: .revoked),
            approval("A-ALL-OUT-2", "jp-uni", ["r-all-out"], until: expiredUntil),
            approval("A-SUSPENDED", "jp-uni", ["r-susp-appr"], status: .suspended),
            approval("A-REVOKED", "jp-uni", ["r-revoked-appr"], status: .revoked),
            approval("A-FUTURE", "jp-uni", ["r-future"], from: futureFrom),
            approval("A-EXPIRED", "jp-uni", ["r-expired"], until: expiredUntil),
            approval("A-JP-COMMERCIAL", "jp-uni", ["r-jp-comm"], datasets: ["gru", "ncu", "npu", "npuncu"], commercial: true),
            approval("A-JP-COMMERCIAL-NC", "jp-uni", ["r-jp-comm"], datasets: ["ncu", "npu"], commercial: true),
            approval("A-JP-CO", "jp-co", ["r-jp-co"], datasets: ["gru", "ncu", "npuncu"]),
            approval("A-DE", "de-uni", ["r-de"]),
            approval("A-GB", "gb-uni", ["r-gb"]),
            approval("A-KR", "kr-uni", ["r-kr"]),
            approval("A-US-NONE", "us-uni", ["r-us-uni"], basis: .none),
            approval("A-US-CONSENT", "us-uni", ["r-us-uni"], basis: .consent),
            approval("A-US-ACADEMIC", "us-uni", ["r-us-uni"], basis: .academicResearch),
            approval("A-US-PUBLIC", "us-uni", ["r-us-uni"], basis: .publicHealth),
            approval("A-US-CO", "us-co", ["r-us-co"], datasets: ["gru", "hmb", "ncu"], commercial: true),
        ] { state.approvals[approval.id] = approval }

        for entry in [
            EquivalentJurisdiction(country: "DE", name: "Germany", effectiveFrom: time("2019-01-23")),
            EquivalentJurisdiction(country: "GB", name: "United Kingdom", effectiveFrom: time("2019-01-23"), effectiveUntil: gbUntil),
            EquivalentJurisdiction(country: "KR", name: "Korea", effectiveFrom: krFrom),
        ] { state.jurisdictions[entry.country] = entry }

        for id in ["P-0001", "P-0002", "P-0003"] {
            state.withdrawals[id] = Withdrawal(participantID: id, effectiveAt: time("2027-01-10"), recordedAt: time("2027-01-11"))
        }
        return state
    }()

    /// ``valid`` plus records only a decision meets: r-orphan's organization is not registered;
    /// A-CROSS is de-uni's but names r-jp (of jp-uni).
    static let engineState: PolicyState = {
        var state = valid
        state.members["r-orphan"] = member("r-orphan", "nowhere-u")
        state.approvals["A-CROSS"] = approval("A-CROSS", "de-uni", ["r-jp"])
        return state
    }()

    static let engineVersion = 7

    static func snapshot(_ state: PolicyState = engineState, version: Int = engineVersion) -> PolicySnapshot {
        do { return try PolicySnapshot(version: version, state: state) } catch { fatalError("fixture snapshot: \(error)") }
    }

    static let engineSnapshot = snapshot()
}
