import Testing
@testable import PrivacyLedger

/// A hand-computed value of the charge formula: f = 0.5 over 2,000 samples, exact counts:
/// 2 * 0.5 * 0.5 / (2 * 2000 * 0.25) = 0.0005, 1/n per person of two samples.
@Test func chargeOfACommonVariant() {
    #expect(abs(MembershipSignal.charge(frequency: 0.5, cellSamples: 2000, noiseVariance: 0) - 0.0005) < 1e-12)
}
