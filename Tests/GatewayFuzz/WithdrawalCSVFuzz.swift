import Foundation
import GatewayCore
import GatewayPolicy
import PolicyStore

/// Consent withdrawals as CSV (`withdrawals.csv`, `POST /api/admin/withdrawals` with text/csv).
enum WithdrawalCSVFuzz {
    static let now = Date(timeIntervalSince1970: 1_780_000_000)

    static let target = FuzzTarget(name: "withdrawal-csv") { data in
        guard let text = data.utf8Text else { return }
        guard let withdrawals = try? WithdrawalCSV.parse(text, source: "fuzz.csv", now: now) else { return }
        // Written back (times in the store's RFC 3339 form), the list reads as the same withdrawals.
        let lines = withdrawals.map { "\($0.participantID),\(PolicyJSON.timestamp($0.effectiveAt))" }
        let written = (["participant_id,effective_at"] + lines).joined(separator: "\n") + "\n"
        do throws(GatewayError) {
            let again = try WithdrawalCSV.parse(written, source: "rewritten.csv", now: now)
            guard again.map(\.participantID) == withdrawals.map(\.participantID),
                  zip(again, withdrawals).allSatisfy({ abs($0.effectiveAt.timeIntervalSince($1.effectiveAt)) < 0.001 }) else {
                fuzzFailure("rewritten CSV reads differently:\n\(written)")
            }
        } catch {
            fuzzFailure("rewritten CSV is refused: \(error.message)\n\(written)")
        }
    }
}
