import Testing
@testable import PrivacyLedger

/// A hand-computed value of the charge formula: f = 0.5 over 2,000 samples, exact counts:
/// 2 * 0.5 * 0.5 / (2 * 2000 * 0.25) = 0.0005, 1/n per person of two samples.
@Test func chargeOfACommonVariant() {
    #expect(abs(MembershipSignal.charge(frequency: 0.5, cellSamples: 2000, noiseVariance: 0) - 0.0005) < 1e-12)
}

/// The threshold charge, against values worked out by hand from Poisson tails (k = 5).
@Test(arguments: [
    (0, false, 0.0, 1e-5),      // nobody carries it: hidden either way
    (1, false, 2.4e-4, 5e-5),   // P(<=3; 1) / P(<=4; 1) = 0.98101 / 0.99634
    (3, false, 0.0534, 0.003),  // P(<=3; 3) / P(<=4; 3) = 0.64723 / 0.81526
    (4, false, 0.1395, 0.005),  // P(<=3; 4) / P(<=4; 4) = 0.43347 / 0.62884
    (5, true, 0.0739, 0.004),   // P(>=4; 5) / P(>=5; 5) = 0.73497 / 0.55951
    (30, true, 0.0, 1e-6),      // far above: listed either way
])
func thresholdCharge(count: Int, above: Bool, expected: Double, tolerance: Double) {
    let value = MembershipSignal.threshold(count: count, threshold: 5, above: above)
    #expect(abs(value - expected) < tolerance, "\(value)")
}

@Test func thresholdChargeNeverTraps() {
    for count in [Int.min, -1, 0, Int.max] {
        for threshold in [Int.min, 0, 1, 5, Int.max] {
            for above in [true, false] {
                let value = MembershipSignal.threshold(count: count, threshold: threshold, shift: Int.max, above: above)
                #expect(value.isFinite && value >= 0)
            }
        }
    }
}
