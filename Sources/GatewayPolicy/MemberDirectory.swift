import GatewayCore

/// The registered members, indexed by the certificate identities they use.
///
/// An immutable value: a reload builds a new directory and swaps it in.
public struct MemberDirectory: Sendable {
    public private(set) var members: [Member]
    private var byFingerprint: [String: Int] = [:]
    private var byName: [NameKey: Int] = [:]

    private struct NameKey: Hashable {
        var subject: String
        var issuer: String
    }

    /// Outcome of looking up a certificate.
    public enum Lookup: Sendable, Hashable {
        case member(Member)
        case denied(GatewayError)
    }

    /// Builds the index; two members claiming one certificate, or a repeated id, is an error.
    /// A certificate a member lists twice (fingerprints compared without case or colons) is
    /// indexed once: validation refuses the repeat, but it never makes the member unknown.
    public init(members: [Member]) throws(GatewayError) {
        self.members = members
        var ids = Set<String>()
        for (index, member) in members.enumerated() {
            guard ids.insert(member.id).inserted else {
                throw GatewayError(.invalidConfiguration, "member id \(member.id) is registered twice")
            }
            for certificate in member.certificates {
                switch certificate {
                case .fingerprint(let value):
                    let key = value.lowercased().filter { $0 != ":" }
                    if let other = byFingerprint[key], other != index {
                        throw GatewayError(.invalidConfiguration, "certificate \(key) is claimed by both \(members[other].id) and \(member.id)")
                    }
                    byFingerprint[key] = index
                case .distinguishedName(let subject, let issuer):
                    let key = NameKey(subject: subject, issuer: issuer)
                    if let other = byName[key], other != index {
                        throw GatewayError(.invalidConfiguration, "certificate subject \(subject) is claimed by both \(members[other].id) and \(member.id)")
                    }
                    byName[key] = index
                }
            }
        }
    }

    /// The member a verified certificate belongs to, or why there is none that may act.
    ///
    /// A certificate may be registered by fingerprint or by subject and issuer; if the two
    /// point at different members, it belongs to neither (`unknown_member`): one certificate
    /// never acts for two people. Suspended and revoked members are refused with
    /// `member_suspended` / `member_revoked`; a certificate that maps to nobody with
    /// `unknown_member`.
    /// Lowercase hex without colons. The TLS layer already writes fingerprints so (once per
    /// request): those are returned as they are, without a walk over their characters.
    static func normalisedFingerprint(_ fingerprint: String) -> String {
        if fingerprint.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) { return fingerprint }
        return fingerprint.lowercased().filter { $0 != ":" }
    }

    public func member(fingerprint: String, subject: String, issuer: String) -> Lookup {
        let byPrint = byFingerprint[Self.normalisedFingerprint(fingerprint)]
        let byDN = byName[NameKey(subject: subject, issuer: issuer)]
        if let byPrint, let byDN, byPrint != byDN {
            return .denied(GatewayError(.unknownMember, "this certificate is registered to two members; the secretariat must correct the registry"))
        }
        guard let index = byPrint ?? byDN else {
            return .denied(GatewayError(.unknownMember, "this certificate is not registered to any consortium member"))
        }
        let member = members[index]
        switch member.status {
        case .active: return .member(member)
        case .suspended: return .denied(GatewayError(.memberSuspended, "member \(member.id) is suspended"))
        case .revoked: return .denied(GatewayError(.memberRevoked, "member \(member.id) has been revoked"))
        }
    }
}
