import Foundation
import Testing
@testable import PrivacyLedger

/// The stored form of a charge's exposure deltas: round trips exactly, refuses damage.
@Suite("Exposure record encoding")
struct ExposureEncodingTests {
    static let cases: [[AccountPlan.Delta]] = [
        [],
        [.init(person: .mapped(0), amount: 0.001)],
        (0..<1000).map { .init(person: .mapped($0 * 3), amount: $0 % 16 == 0 ? 0.25 : 1.0 / 3) },
        [.init(person: .mapped(1 << 30), amount: 5e-300), .init(person: .unmapped(sample: 7), amount: 2),
         .init(person: .mapped(2), amount: 2), .init(person: .unmapped(sample: 0), amount: .leastNonzeroMagnitude)],
    ]

    @Test("encode then decode gives the identical deltas", arguments: cases)
    func roundTrip(deltas: [AccountPlan.Delta]) throws {
        let bytes = [UInt8](LedgerDatabase.encode(deltas))
        #expect(try LedgerDatabase.decode(bytes, charge: 1) == deltas)
    }

    @Test("people charged alike take about a byte each")
    func compact() {
        #expect(LedgerDatabase.encode((0..<1000).map { .init(person: .mapped($0), amount: 0.002) }).count < 1100)
    }

    @Test("a damaged record is refused", arguments: [
        [0x00],                          // "same" flag... clear, but no amount follows
        [0x01],                          // "same" with nothing before
        [0x80, 0x80],                    // a varint that never ends
        [0x00, 1, 2, 3],                 // a truncated amount
        [0x00, 0, 0, 0, 0, 0, 0, 0xF8, 0x7F],   // NaN
        [0x00, 0, 0, 0, 0, 0, 0, 0xF0, 0xBF],   // -1
    ] as [[UInt8]])
    func damaged(bytes: [UInt8]) {
        #expect(throws: LedgerDamage.self) { try LedgerDatabase.decode(bytes, charge: 9) }
    }
}
