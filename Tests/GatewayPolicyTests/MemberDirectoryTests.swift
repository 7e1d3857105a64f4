import GatewayCore
import GatewayPolicy
import Testing

private let testIssuer = "CN=Test CA,O=Consortium,C=JP"
private let testFingerprint = String(repeating: "ab", count: 32)

@Suite("Member directory")
struct MemberDirectoryTests {
    static let issuer = testIssuer
    static let fingerprint = testFingerprint

    static func directory() throws -> MemberDirectory {
        try MemberDirectory(members: [
            Member(id: "alice", name: "Alice", organization: "Kyoto University", role: .researcher,
                   certificates: [.distinguishedName(subject: "CN=alice,C=JP", issuer: issuer)]),
            Member(id: "bob", name: "Bob", organization: "Example Inc.", role: .researcher,
                   certificates: [.fingerprint(fingerprint)]),
            Member(id: "carol", name: "Carol", organization: "Audit", role: .auditor, status: .suspended,
                   certificates: [.distinguishedName(subject: "CN=carol,C=JP", issuer: issuer)]),
            Member(id: "dave", name: "Dave", organization: "Kyoto University", role: .researcher, status: .revoked,
                   certificates: [.distinguishedName(subject: "CN=dave,C=JP", issuer: issuer)]),
        ])
    }

    @Test("lookups", arguments: [
        // fingerprint, subject, issuer, expected member id or error code
        ("00", "CN=alice,C=JP", testIssuer, "alice"),
        (testFingerprint, "CN=whoever", "CN=other", "bob"),
        (testFingerprint.uppercased(), "CN=whoever", "CN=other", "bob"),
        ("00", "CN=alice,C=JP", "CN=Another CA,C=JP", "unknown_member"),
        ("00", "CN=alice,C=DE", testIssuer, "unknown_member"),
        ("00", "CN=carol,C=JP", testIssuer, "member_suspended"),
        ("00", "CN=dave,C=JP", testIssuer, "member_revoked"),
    ])
    func lookup(fingerprint: String, subject: String, issuer: String, expected: String) throws {
        switch try Self.directory().member(fingerprint: fingerprint, subject: subject, issuer: issuer) {
        case .member(let member): #expect(member.id == expected)
        case .denied(let error): #expect(error.code.rawValue == expected)
        }
    }

    @Test("one certificate claimed by two members is refused")
    func duplicateCertificate() {
        #expect(throws: GatewayError.self) {
            try MemberDirectory(members: [
                Member(id: "a", name: "A", organization: "O", role: .researcher, certificates: [.fingerprint(Self.fingerprint)]),
                Member(id: "b", name: "B", organization: "O", role: .auditor, certificates: [.fingerprint(Self.fingerprint)]),
            ])
        }
    }
}
