import AuditLog
import Foundation
import Testing

@Suite("Audit chain")
struct AuditChainTests {
    @Test("SHA-256 of the empty input is the well-known value")
    func sha256() {
        #expect(AuditChain.hex(AuditChain.sha256([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }
}
