import Foundation
import GatewayCore
import GatewayPolicy
import Yams

/// Reads the member registry from YAML (see policy/members.yaml).
///
/// ```yaml
/// members:
///   - id: researcher-jp
///     name: Hanako Sato
///     organization: Kyoto University
///     country: JP
///     role: researcher
///     status: active            # optional; active, suspended or revoked
///     certificates:
///       - fingerprint: "3f2a..."  # SHA-256 of the DER, hex
///       - subject: "CN=researcher-jp,O=Kyoto University,C=JP"
///         issuer: "CN=GenomeGate Dev Consortium CA,O=GenomeGate Consortium,C=JP"
/// ```
/// Every error names the file, the member and the field.
public enum MemberRegistryFile {
    private struct Document: Decodable {
        var members: [Entry]
    }

    private struct Entry: Decodable {
        var id: String
        var name: String
        var organization: String
        var country: String
        var role: String
        var status: String?
        var certificates: [Certificate]
    }

    private struct Certificate: Decodable {
        var fingerprint: String?
        var subject: String?
        var issuer: String?
    }

    /// Loads and validates the registry at `path`.
    public static func load(_ path: String) throws(GatewayError) -> MemberDirectory {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw GatewayError(.invalidConfiguration, "member registry \(path) cannot be read: \(error.localizedDescription)")
        }
        return try parse(text, source: path)
    }

    /// Parses registry YAML; `source` names it in errors.
    public static func parse(_ text: String, source: String) throws(GatewayError) -> MemberDirectory {
        let document: Document
        do {
            document = try YAMLDecoder().decode(Document.self, from: text)
        } catch {
            throw GatewayError(.invalidConfiguration, "member registry \(source) is not valid: \(YAMLErrorText.describe(error))")
        }
        var members: [Member] = []
        for (index, entry) in document.members.enumerated() {
            let label = "member registry \(source), member #\(index + 1) (\(entry.id))"
            guard !entry.id.isEmpty else { throw GatewayError(.invalidConfiguration, "\(label): id is empty") }
            guard let role = Role(rawValue: entry.role) else {
                throw GatewayError(.invalidConfiguration, "\(label): role '\(entry.role)' is not one of researcher, auditor, secretariat")
            }
            guard entry.country.count == 2, entry.country.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
                throw GatewayError(.invalidConfiguration, "\(label): country '\(entry.country)' is not an ISO 3166-1 alpha-2 code such as JP")
            }
            let status: Member.Status
            if let raw = entry.status {
                guard let parsed = Member.Status(rawValue: raw) else {
                    throw GatewayError(.invalidConfiguration, "\(label): status '\(raw)' is not one of active, suspended, revoked")
                }
                status = parsed
            } else {
                status = .active
            }
            guard !entry.certificates.isEmpty else {
                throw GatewayError(.invalidConfiguration, "\(label): no certificates listed")
            }
            var certificates: [CertificateIdentity] = []
            for certificate in entry.certificates {
                if let fingerprint = certificate.fingerprint {
                    let hex = fingerprint.lowercased().filter { $0 != ":" }
                    guard hex.count == 64, hex.allSatisfy(\.isHexDigit) else {
                        throw GatewayError(.invalidConfiguration, "\(label): fingerprint '\(fingerprint)' is not a SHA-256 hex digest")
                    }
                    certificates.append(.fingerprint(hex))
                } else if let subject = certificate.subject, let issuer = certificate.issuer, !subject.isEmpty, !issuer.isEmpty {
                    certificates.append(.distinguishedName(subject: subject, issuer: issuer))
                } else {
                    throw GatewayError(.invalidConfiguration, "\(label): a certificate needs a fingerprint, or both subject and issuer")
                }
            }
            members.append(Member(id: entry.id, name: entry.name, organization: entry.organization,
                                  country: entry.country, role: role, status: status, certificates: certificates))
        }
        return try MemberDirectory(members: members)
    }
}

/// Turns Yams and Decodable errors into one line that names the key or line.
public enum YAMLErrorText {
    public static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "missing key '\(path(context.codingPath + [key]))'"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "wrong type at '\(path(context.codingPath))': \(context.debugDescription)"
        case DecodingError.dataCorrupted(let context):
            return "bad value at '\(path(context.codingPath))': \(context.debugDescription)"
        case let error as YamlError:
            return "\(error)".replacingOccurrences(of: "\n", with: " ")
        default:
            return "\(error)"
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
}
