import AuditLog
import Foundation
import GatewayCore
import GatewayTestSupport
import Testing

@Suite("Audit signer")
struct AuditSignerTests {
    static let message = #"{"head_hash":"00","key_id":"k","previous_signature":"","sequence":5,"time":"2026-11-27T16:01:46.125Z"}"#

    @Test("sign then verify with the public key round-trips", arguments: ["ed25519", "ecdsa"])
    func roundTrip(algorithm: String) async throws {
        let signer = try await AuditFixture.makeSigner(algorithm)
        let signature = try signer.sign(Self.message)
        #expect(!signature.isEmpty)
        if algorithm == "ed25519" { #expect(signature.count == 64) }
        let verifier = try AuditSignatureVerifier(publicKeyPEM: signer.publicKeyPEM)
        #expect(verifier.verify(Self.message, signature: signature))
        #expect(verifier.keyID == signer.keyID)
        #expect(signer.keyID.count == 32, "16 bytes of SHA-256, hex")
        #expect(signer.publicKeyPEM.hasPrefix("-----BEGIN PUBLIC KEY-----"))
    }

    @Test("an altered message, an altered signature or another key does not verify", arguments: ["ed25519", "ecdsa"])
    func refusals(algorithm: String) async throws {
        let signer = try await AuditFixture.makeSigner(algorithm)
        let other = try await AuditFixture.makeSigner(algorithm)
        let signature = try signer.sign(Self.message)
        let verifier = try AuditSignatureVerifier(publicKeyPEM: signer.publicKeyPEM)
        #expect(!verifier.verify(Self.message.replacingOccurrences(of: "\"sequence\":5", with: "\"sequence\":6"), signature: signature))
        #expect(!verifier.verify(Self.message + " ", signature: signature))
        var flipped = signature
        flipped[flipped.count / 2] ^= 0x01
        #expect(!verifier.verify(Self.message, signature: flipped))
        #expect(!verifier.verify(Self.message, signature: []))
        #expect(!verifier.verify(Self.message, signature: Array(signature.dropLast())))
        let otherVerifier = try AuditSignatureVerifier(publicKeyPEM: other.publicKeyPEM)
        #expect(!otherVerifier.verify(Self.message, signature: signature))
        #expect(otherVerifier.verify(Self.message, signature: try other.sign(Self.message)))
        #expect(other.keyID != signer.keyID)
    }

    @Test("the public key matches the one openssl derives from the private key")
    func publicKeyMatchesOpenSSL() async throws {
        let path = try await AuditFixture.makeKey()
        let signer = try AuditSigner(privateKeyPath: path)
        let result = try await Subprocess.run(["openssl", "pkey", "-in", path, "-pubout"])
        #expect(result.status == 0)
        #expect(signer.publicKeyPEM == result.stdout)
        // A signature made by the openssl CLI verifies with the same public key.
        let folder = DevPKI.temporaryFolder("sig")
        try Self.message.write(toFile: folder + "/message", atomically: true, encoding: .utf8)
        let signed = try await Subprocess.run(["openssl", "pkeyutl", "-sign", "-rawin", "-inkey", path, "-in", folder + "/message", "-out", folder + "/signature"])
        #expect(signed.status == 0, "\(signed.output)")
        let cliSignature = try [UInt8](Data(contentsOf: URL(fileURLWithPath: folder + "/signature")))
        #expect(try AuditSignatureVerifier(publicKeyPEM: signer.publicKeyPEM).verify(Self.message, signature: cliSignature))
    }

    @Test("an unreadable, non-PEM or RSA key is refused as invalid configuration")
    func badKeys() async throws {
        let folder = DevPKI.temporaryFolder("bad-key")
        try "not a key".write(toFile: folder + "/garbage.key", atomically: true, encoding: .utf8)
        let rsa = try await AuditFixture.makeKey("rsa")
        for path in [folder + "/missing.key", folder + "/garbage.key", rsa] {
            #expect(throws: GatewayError.self, "\(path)") { try AuditSigner(privateKeyPath: path) }
            do {
                _ = try AuditSigner(privateKeyPath: path)
            } catch {
                #expect(error.code == .invalidConfiguration)
            }
        }
        #expect(throws: GatewayError.self) { try AuditSignatureVerifier(publicKeyPEM: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n") }
    }
}
