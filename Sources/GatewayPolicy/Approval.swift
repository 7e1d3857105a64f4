import Foundation

/// A decision of the data use review committee: who may use which data, for what, until when.
///
/// Approvals are never deleted: they are suspended, reinstated or revoked, and every
/// change is kept in the policy history.
public struct Approval: Sendable, Hashable, Codable {
    /// The purposes the programme's plan names.
    public enum Purpose: String, Sendable, Hashable, Codable, CaseIterable {
        case researchThemeScreening = "research-theme-screening"
        case trialDesign = "trial-design"
        case historicalControl = "historical-control"
        case causalGeneResearch = "causal-gene-research"
        case trialRecruitment = "trial-recruitment"
        case postMarketingSurveillance = "post-marketing-surveillance"
    }

    /// The legal basis recorded for use from outside Japan and the equivalence list (APPI).
    public enum LegalBasis: String, Sendable, Hashable, Codable, CaseIterable {
        /// No basis: only samples whose donors consented to overseas provision count.
        case none
        /// The donors' consent: only samples whose donors consented to overseas provision count.
        case consent
        /// The academic-research exception: every sample counts.
        case academicResearch = "academic-research"
        /// The public-health exception: every sample counts.
        case publicHealth = "public-health"

        /// Whether this basis allows every sample to count wherever the organization is.
        public var coversAllSamples: Bool { self == .academicResearch || self == .publicHealth }
    }

    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        case active, suspended, revoked
    }

    /// What the approval covers.
    public struct Scope: Sendable, Hashable, Codable {
        /// Dataset ids; a query counts only samples of these.
        public var datasets: [String]
        /// Query kinds allowed (see ``QueryKind``).
        public var queryKinds: [QueryKind]
        /// Cancer types (NCIt CURIEs) the use is limited to; nil or empty means no limit.
        /// A type covers its narrower types (see ``DiseaseHierarchy``).
        public var cancerTypes: [String]?

        public init(datasets: [String], queryKinds: [QueryKind], cancerTypes: [String]? = nil) {
            self.datasets = datasets
            self.queryKinds = queryKinds
            self.cancerTypes = cancerTypes
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case datasets
            case queryKinds = "query_kinds"
            case cancerTypes = "cancer_types"
        }

        public init(from decoder: any Decoder) throws {
            try PolicyCoding.rejectUnknownKeys(decoder, CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            datasets = try container.decode([String].self, forKey: .datasets)
            queryKinds = try container.decode([QueryKind].self, forKey: .queryKinds)
            cancerTypes = try container.decodeIfPresent([String].self, forKey: .cancerTypes)
        }
    }

    public var id: String
    /// The committee's decision reference, e.g. `DURC-2026-014`.
    public var decisionReference: String
    public var decisionDate: Date
    public var title: String
    public var purpose: Purpose
    /// The ``Organization`` id the approval is granted to.
    public var organization: String
    /// Member ids approved to query under it (researchers of that organization).
    public var members: [String]
    public var scope: Scope
    public var commercialUse: Bool
    /// First instant of validity.
    public var validFrom: Date
    /// First instant after validity (a date-only `valid_until` means the end of that day, Japan time).
    public var validUntil: Date
    public var legalBasis: LegalBasis
    public var status: Status
    /// The committee's disclosure budget for this approval (README "Privacy"): how much
    /// membership signal its answers may give about any one person, in squared standard
    /// deviations. nil: the gateway's `privacy.approval_budget`. Raised only with a reason
    /// (`POST /api/admin/approvals/{id}/privacy-budget`), never by an amendment.
    public var privacyBudget: Double?

    /// Largest budget a policy may record: far beyond any sensible study, but finite.
    public static let maximumPrivacyBudget = 100.0

    public init(
        id: String, decisionReference: String, decisionDate: Date, title: String, purpose: Purpose,
        organization: String, members: [String], scope: Scope, commercialUse: Bool,
        validFrom: Date, validUntil: Date, legalBasis: LegalBasis = .none, status: Status = .active, privacyBudget: Double? = nil
    ) {
        self.id = id
        self.decisionReference = decisionReference
        self.decisionDate = decisionDate
        self.title = title
        self.purpose = purpose
        self.organization = organization
        self.members = members
        self.scope = scope
        self.commercialUse = commercialUse
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.legalBasis = legalBasis
        self.status = status
        self.privacyBudget = privacyBudget
    }

    /// Whether the approval is in force at `time`: active, and `validFrom <= time < validUntil`.
    public func isInForce(at time: Date) -> Bool {
        status == .active && validFrom <= time && time < validUntil
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, title, purpose, organization, members, scope, status
        case decisionReference = "decision_reference"
        case decisionDate = "decision_date"
        case commercialUse = "commercial_use"
        case validFrom = "valid_from"
        case validUntil = "valid_until"
        case legalBasis = "legal_basis"
        case privacyBudget = "privacy_budget"
    }

    public init(from decoder: any Decoder) throws {
        try PolicyCoding.rejectUnknownKeys(decoder, CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        decisionReference = try container.decode(String.self, forKey: .decisionReference)
        decisionDate = try PolicyCoding.decodeTime(container, .decisionDate)
        title = try container.decode(String.self, forKey: .title)
        purpose = try PolicyCoding.decodeEnum(Purpose.self, container, .purpose)
        organization = try container.decode(String.self, forKey: .organization)
        members = try container.decode([String].self, forKey: .members)
        scope = try container.decode(Scope.self, forKey: .scope)
        commercialUse = try container.decode(Bool.self, forKey: .commercialUse)
        validFrom = try PolicyCoding.decodeTime(container, .validFrom)
        validUntil = try PolicyCoding.decodeTime(container, .validUntil, endOfDay: true)
        legalBasis = container.contains(.legalBasis) ? try PolicyCoding.decodeEnum(LegalBasis.self, container, .legalBasis) : .none
        status = container.contains(.status) ? try PolicyCoding.decodeEnum(Status.self, container, .status) : .active
        privacyBudget = try container.decodeIfPresent(Double.self, forKey: .privacyBudget)
    }
}
