import Foundation
import GatewayCore

/// A registered consortium member: one person (or service) with exactly one role.
public struct Member: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        case active, suspended, revoked
    }

    public var id: String
    public var name: String
    /// The ``Organization`` id the member acts for.
    public var organization: String
    public var role: Role
    public var status: Status
    /// The certificates this member authenticates with.
    public var certificates: [CertificateIdentity]

    public init(
        id: String, name: String, organization: String, role: Role,
        status: Status = .active, certificates: [CertificateIdentity]
    ) {
        self.id = id
        self.name = name
        self.organization = organization
        self.role = role
        self.status = status
        self.certificates = certificates
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, name, organization, role, status, certificates
    }

    public init(from decoder: any Decoder) throws {
        try PolicyCoding.rejectUnknownKeys(decoder, CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        name = try container.decode(String.self, forKey: .name)
        organization = try container.decode(String.self, forKey: .organization)
        if (try? container.decode([String].self, forKey: .role)) != nil {
            throw DecodingError.dataCorruptedError(
                forKey: .role, in: container,
                debugDescription: "a member holds exactly one role (researcher, auditor or secretariat), not a list"
            )
        }
        role = try PolicyCoding.decodeEnum(Role.self, container, .role)
        status = container.contains(.status) ? try PolicyCoding.decodeEnum(Status.self, container, .status) : .active
        certificates = try container.decodeIfPresent([CertificateIdentity].self, forKey: .certificates) ?? []
    }
}

/// How a certificate is recognised: by its SHA-256 fingerprint, or by subject and issuer DN.
///
/// Written as `{fingerprint: "3f2a..."}` or `{subject: "CN=...", issuer: "CN=..."}`.
public enum CertificateIdentity: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Lowercase hex SHA-256 of the certificate's DER (no colons).
    case fingerprint(String)
    /// RFC 2253 subject and issuer distinguished names, compared exactly.
    case distinguishedName(subject: String, issuer: String)

    enum CodingKeys: String, CodingKey, CaseIterable {
        case fingerprint, subject, issuer
    }

    public init(from decoder: any Decoder) throws {
        try PolicyCoding.rejectUnknownKeys(decoder, CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let raw = try container.decodeIfPresent(String.self, forKey: .fingerprint) {
            let hex = raw.lowercased().filter { $0 != ":" }
            guard hex.count == 64, hex.allSatisfy(\.isHexDigit),
                  !container.contains(.subject), !container.contains(.issuer) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .fingerprint, in: container,
                    debugDescription: "'\(raw.prefix(80))' is not a SHA-256 fingerprint (64 hex digits), or is combined with subject/issuer"
                )
            }
            self = .fingerprint(hex)
        } else if let subject = try container.decodeIfPresent(String.self, forKey: .subject),
                  let issuer = try container.decodeIfPresent(String.self, forKey: .issuer),
                  !subject.isEmpty, !issuer.isEmpty {
            self = .distinguishedName(subject: subject, issuer: issuer)
        } else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath,
                debugDescription: "a certificate needs a fingerprint, or both subject and issuer"
            ))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .fingerprint(let value): try container.encode(value, forKey: .fingerprint)
        case .distinguishedName(let subject, let issuer):
            try container.encode(subject, forKey: .subject)
            try container.encode(issuer, forKey: .issuer)
        }
    }

    public var description: String {
        switch self {
        case .fingerprint(let value): "fingerprint \(value)"
        case .distinguishedName(let subject, let issuer): "subject \(subject) issued by \(issuer)"
        }
    }
}
