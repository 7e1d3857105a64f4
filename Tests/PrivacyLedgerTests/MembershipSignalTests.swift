import Foundation
import Testing
@testable import PrivacyLedger

@Suite("Membership signal: the charge formula and the presence cap")
struct MembershipSignalTests {
    /// Worked by hand: `max(2f'(1 - f'), (1 - 2f')^2) / (2 m f' (1 - f') + V)`, `f' = max(min(f, 1 - f), 1 / (2m))`.
    @Test("charge(f, m, V)", arguments: [
        (0.5, 2000, 0.0, 0.5 / 1000),          // the average 0.5 over 2·2000·0.25
        (0.5, 2000, 2.0, 0.5 / 1002),          // V adds to the denominator
        (0.1, 100, 0.0, 0.64 / 18),            // a carrier: 0.8² over 2·100·0.1·0.9
        (0.9, 100, 0.0, 0.64 / 18),            // folded to 0.1
        (0.0, 100, 0.0, 0.9801 / 0.995),       // clamped to 1/200: 0.99² / (200·0.005·0.995)
        (0.25, 8, 2.0, 0.075),                 // the average 0.375 over (3 + 2)
        (0.5, 0, 0.0, 1.0),                    // m < 1 counts as 1: 0.5 / 0.5
        (Double.nan, 100, 0.0, 0.9801 / 0.995), // NaN frequency: the rarest
        (0.5, 2000, -5.0, 0.5 / 1000),         // negative variance: exact
        (Double.infinity, 100, 0.0, 0.9801 / 0.995), // clamped to 1, folded to 0, then to 1/200
    ] as [(Double, Int, Double, Double)])
    func charge(frequency: Double, samples: Int, variance: Double, expected: Double) {
        let value = MembershipSignal.charge(frequency: frequency, cellSamples: samples, noiseVariance: variance)
        #expect(abs(value - expected) < 1e-12 * max(1, expected), "charge(\(frequency), \(samples), \(variance)) = \(value), expected \(expected)")
    }

    @Test("the presence cap", arguments: [
        (5, 0.1875, 0.1885),  // max over mu of pmf(4; mu)² / (P(N≥5) P(N<5)) = 0.18795 (by a separate grid search)
        (2, 1.995, 2.0),      // sup as mu -> 0 is 2
        (10, 0.0755, 0.0763), // 0.07590 (the same grid search)
    ] as [(Int, Double, Double)])
    func presenceCap(k: Int, low: Double, high: Double) {
        let cap = MembershipSignal.presenceCap(minimumCount: k)
        #expect(cap >= low && cap <= high, "presence cap for k = \(k) is \(cap)")
    }

    @Test("k = 1 gives no cap; the cap falls as k grows")
    func presenceCapShape() {
        #expect(MembershipSignal.presenceCap(minimumCount: 1) == .infinity)
        let caps = [2, 3, 5, 10, 50, 1000].map { MembershipSignal.presenceCap(minimumCount: $0) }
        #expect(zip(caps, caps.dropFirst()).allSatisfy { $0 > $1 }, "\(caps)")
        #expect(caps.allSatisfy { $0.isFinite && $0 > 0 })
    }
}
