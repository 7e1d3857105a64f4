import Foundation
import GatewayCore
import GatewayPolicy

/// Consent withdrawals as CSV, the form hospitals report them in.
///
/// ```
/// participant_id,effective_at
/// JPWGS-000123,2026-11-20
/// JPWGS-000456,2026-11-21T10:15:00+09:00
/// ```
/// The header is required; `effective_at` is optional (no such column, or an empty field:
/// the time of recording). Every row has as many fields as the header: a row with fewer or
/// more is refused, naming its line. Participant ids never contain commas or quotes, so there is no quoting.
/// A leading UTF-8 byte order mark (spreadsheet exports write one) is skipped; lines may end
/// in LF or CRLF. Errors name the line.
public enum WithdrawalCSV {
    public static func parse(_ text: String, source: String, now: Date) throws(GatewayError) -> [Withdrawal] {
        let text = ByteOrderMark.removed(from: text)
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        if lines.last == "" { lines.removeLast() }
        guard let header = lines.first else { throw GatewayError(.invalidPolicy, "\(source): empty; the first line must be 'participant_id' or 'participant_id,effective_at'") }
        let columns = header.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard columns == ["participant_id"] || columns == ["participant_id", "effective_at"] else {
            throw GatewayError(.invalidPolicy, "\(source) line 1: the header must be 'participant_id' or 'participant_id,effective_at', not '\(header.prefix(80))'")
        }
        var withdrawals: [Withdrawal] = []
        for (offset, line) in lines.enumerated().dropFirst() where !line.isEmpty {
            let number = offset + 1
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == columns.count else {
                throw GatewayError(.invalidPolicy, "\(source) line \(number): \(fields.count) field\(fields.count == 1 ? "" : "s"), the header has \(columns.count)")
            }
            let id = fields[0]
            guard PolicyValidation.isParticipantID(id) else {
                throw GatewayError(.invalidPolicy, "\(source) line \(number), field participant_id: '\(id.prefix(80))' must be 1 to 128 printable ASCII characters without commas or quotes")
            }
            var effective = now
            if fields.count > 1, !fields[1].isEmpty {
                guard let parsed = PolicyTime.parse(fields[1]) else {
                    throw GatewayError(.invalidPolicy, "\(source) line \(number), field effective_at: '\(fields[1].prefix(40))' is not a date (2026-11-20) or an RFC 3339 time")
                }
                effective = parsed
            }
            withdrawals.append(Withdrawal(participantID: id, effectiveAt: effective))
        }
        return withdrawals
    }
}
