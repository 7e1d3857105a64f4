import Foundation

/// A dataset and the donors' consent for it, as GA4GH Data Use Ontology (DUO) terms.
public struct Dataset: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var description: String?
    /// Exactly one permission term (GRU, HMB, DS, ...) and any modifiers (NCU, IRB, ...).
    public var dataUse: [DataUseTerm]

    public init(id: String, name: String, description: String? = nil, dataUse: [DataUseTerm]) {
        self.id = id
        self.name = name
        self.description = description
        self.dataUse = dataUse
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, name, description
        case dataUse = "duo"
    }

    public init(from decoder: any Decoder) throws {
        try PolicyCoding.rejectUnknownKeys(decoder, CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        name = try container.decode(String.self, forKey: .name)
        description = try container.decodeIfPresent(String.self, forKey: .description)
        dataUse = try container.decode([DataUseTerm].self, forKey: .dataUse)
    }
}

/// One DUO term on a dataset, with what the term needs to be checked.
///
/// ```yaml
/// duo:
///   - id: "DUO:0000007"          # disease specific research
///     disease: "NCIT:C9305"      # required for DS
///   - id: "DUO:0000046"          # non-commercial use only
///   - id: "DUO:0000022"          # geographical restriction
///     countries: [JP, DE]        # required for GS
/// ```
public struct DataUseTerm: Sendable, Hashable, Codable {
    /// The DUO CURIE, e.g. `DUO:0000042`.
    public var id: String
    /// Free text for people; the gateway's own label comes from ``DataUseOntology``.
    public var label: String?
    /// DS: the disease (NCIt CURIE) research must be about.
    public var disease: String?
    /// GS: the countries (ISO 3166-1 alpha-2) where the data may be used.
    public var countries: [String]?
    /// TS: the end of the time the data may be used.
    public var until: Date?
    /// US / PS / IS: the member, approval or organization ids the data is restricted to.
    public var allowed: [String]?

    public init(id: String, label: String? = nil, disease: String? = nil, countries: [String]? = nil, until: Date? = nil, allowed: [String]? = nil) {
        self.id = id
        self.label = label
        self.disease = disease
        self.countries = countries
        self.until = until
        self.allowed = allowed
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, label, disease, countries, until, allowed
    }

    public init(from decoder: any Decoder) throws {
        try PolicyCoding.rejectUnknownKeys(decoder, CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        label = try container.decodeIfPresent(String.self, forKey: .label)
        disease = try container.decodeIfPresent(String.self, forKey: .disease)
        countries = try container.decodeIfPresent([String].self, forKey: .countries)
        until = try PolicyCoding.decodeTimeIfPresent(container, .until, endOfDay: true)
        allowed = try container.decodeIfPresent([String].self, forKey: .allowed)
    }
}
