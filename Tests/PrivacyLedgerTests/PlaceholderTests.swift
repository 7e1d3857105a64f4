import Testing
@testable import PrivacyLedger

@Test func moduleBuilds() { #expect(String(describing: PrivacyLedgerModule.self) == "PrivacyLedgerModule") }
