import Testing
@testable import PrivacyLedger

/// A hand-computed value of the charge formula: f = 0.5 over 2,000 samples, exact counts:
/// (2 - 1)^2 / (2 * 2000 * 0.25) = 0.001.
@Test func chargeOfACommonVariant() {
    #expect(abs(MembershipSignal.charge(frequency: 0.5, cellSamples: 2000, noiseVariance: 0) - 0.001) < 1e-12)
}
