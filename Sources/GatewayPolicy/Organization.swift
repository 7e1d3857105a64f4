import Foundation

/// A consortium organization: a university, institute or company whose members use data.
///
/// Its country decides the jurisdiction rule for every member's queries.
public struct Organization: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case academia, industry
        /// The programme's own departments (audit, secretariat) and other public bodies.
        case publicBody = "public-body"
    }

    /// Whether the organization may act in the consortium.
    public enum ConsortiumStatus: String, Sendable, Hashable, Codable, CaseIterable {
        case active, suspended, withdrawn
    }

    public var id: String
    public var name: String
    public var kind: Kind
    /// ISO 3166-1 alpha-2, e.g. `JP`, `DE`, `US`.
    public var country: String
    public var consortiumStatus: ConsortiumStatus

    public init(id: String, name: String, kind: Kind, country: String, consortiumStatus: ConsortiumStatus = .active) {
        self.id = id
        self.name = name
        self.kind = kind
        self.country = country
        self.consortiumStatus = consortiumStatus
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, name, kind, country
        case consortiumStatus = "consortium_status"
    }

    public init(from decoder: any Decoder) throws {
        try PolicyCoding.rejectUnknownKeys(decoder, CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        name = try container.decode(String.self, forKey: .name)
        kind = try PolicyCoding.decodeEnum(Kind.self, container, .kind)
        country = try container.decode(String.self, forKey: .country)
        consortiumStatus = container.contains(.consortiumStatus)
            ? try PolicyCoding.decodeEnum(ConsortiumStatus.self, container, .consortiumStatus) : .active
    }
}
