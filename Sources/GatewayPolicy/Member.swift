import GatewayCore

/// A registered consortium member: one person (or service) with exactly one role.
public struct Member: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable {
        case active, suspended, revoked
    }

    public var id: String
    public var name: String
    public var organization: String
    /// The organization's country, ISO 3166-1 alpha-2 (e.g. JP, DE, US).
    public var country: String
    public var role: Role
    public var status: Status
    /// The certificates this member authenticates with.
    public var certificates: [CertificateIdentity]

    public init(
        id: String, name: String, organization: String, country: String, role: Role,
        status: Status = .active, certificates: [CertificateIdentity]
    ) {
        self.id = id
        self.name = name
        self.organization = organization
        self.country = country
        self.role = role
        self.status = status
        self.certificates = certificates
    }
}

/// How a certificate is recognised: by its SHA-256 fingerprint, or by subject and issuer DN.
public enum CertificateIdentity: Sendable, Hashable, Codable {
    /// Lowercase hex SHA-256 of the certificate's DER.
    case fingerprint(String)
    /// RFC 2253 subject and issuer distinguished names, compared exactly.
    case distinguishedName(subject: String, issuer: String)
}
