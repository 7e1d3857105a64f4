import GatewayCore
import GatewayPolicy
import PolicyStore
import Testing

private let testIssuer = "CN=Test CA,O=Consortium,C=JP"
private let testFingerprint = String(repeating: "ab", count: 32)

@Suite("Member directory")
struct MemberDirectoryTests {
    static let issuer = testIssuer
    static let fingerprint = testFingerprint

    static func directory() throws -> MemberDirectory {
        try MemberDirectory(members: [
            Member(id: "alice", name: "Alice", organization: "Kyoto University", country: "JP", role: .researcher,
                   certificates: [.distinguishedName(subject: "CN=alice,C=JP", issuer: issuer)]),
            Member(id: "bob", name: "Bob", organization: "Example Inc.", country: "US", role: .researcher,
                   certificates: [.fingerprint(fingerprint)]),
            Member(id: "carol", name: "Carol", organization: "Audit", country: "JP", role: .auditor, status: .suspended,
                   certificates: [.distinguishedName(subject: "CN=carol,C=JP", issuer: issuer)]),
            Member(id: "dave", name: "Dave", organization: "Kyoto University", country: "JP", role: .researcher, status: .revoked,
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
                Member(id: "a", name: "A", organization: "O", country: "JP", role: .researcher, certificates: [.fingerprint(Self.fingerprint)]),
                Member(id: "b", name: "B", organization: "O", country: "JP", role: .auditor, certificates: [.fingerprint(Self.fingerprint)]),
            ])
        }
    }
}

private let validRegistry = """
    members:
      - id: alice
        name: Alice
        organization: Kyoto University
        country: JP
        role: researcher
        certificates:
          - subject: "CN=alice,C=JP"
            issuer: "CN=CA"
    """

@Suite("Member registry file")
struct MemberRegistryFileTests {
    @Test("a valid registry parses")
    func valid() throws {
        let directory = try MemberRegistryFile.parse(validRegistry, source: "test.yaml")
        #expect(directory.members.map(\.id) == ["alice"])
        #expect(directory.members[0].role == .researcher)
        #expect(directory.members[0].status == .active)
    }

    @Test("bad registries name what is wrong", arguments: [
        (validRegistry.replacingOccurrences(of: "role: researcher", with: "role: wizard"), "role 'wizard'"),
        (validRegistry.replacingOccurrences(of: "country: JP", with: "country: Japan"), "country 'Japan'"),
        (validRegistry.replacingOccurrences(of: "    name: Alice\n", with: ""), "name"),
        (validRegistry.replacingOccurrences(of: "\n        issuer: \"CN=CA\"", with: ""), "needs a fingerprint, or both subject and issuer"),
        (validRegistry.replacingOccurrences(of: "role: researcher", with: "role: researcher\n    status: gone"), "status 'gone'"),
        ("members: [", "not valid"),
        (validRegistry + "\n      - fingerprint: \"xyz\"", "fingerprint 'xyz'"),
    ])
    func invalid(text: String, mention: String) {
        do {
            _ = try MemberRegistryFile.parse(text, source: "bad.yaml")
            Issue.record("expected an error mentioning \(mention)")
        } catch {
            #expect(error.code == .invalidConfiguration)
            #expect(error.message.contains("bad.yaml"))
            #expect(error.message.contains(mention), "\(error.message)")
        }
    }

    @Test("a missing file is named")
    func missingFile() {
        do {
            _ = try MemberRegistryFile.load("/nonexistent/members.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains("/nonexistent/members.yaml"))
        }
    }
}
