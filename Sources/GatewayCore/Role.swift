/// The one role a consortium member holds.
///
/// Roles never overlap: the secretariat cannot read data, an auditor cannot
/// change approvals, a researcher can do neither.
public enum Role: String, Sendable, Hashable, Codable, CaseIterable {
    /// Queries aggregate data under a committee approval.
    case researcher
    /// Reads and exports the audit log; nothing else.
    case auditor
    /// Records the committee's decisions and consent withdrawals; reads no data.
    case secretariat
}
