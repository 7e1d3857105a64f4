import Foundation

/// Everything the committee secretariat records: organizations, members, approvals,
/// datasets, the equivalence list and consent withdrawals.
///
/// A plain value. The policy store keeps it in SQLite and changes it only in whole,
/// validated transactions (``PolicyValidation``); the gateway serves a ``PolicySnapshot``
/// made from it.
public struct PolicyState: Sendable, Hashable {
    public var organizations: [String: Organization] = [:]
    public var members: [String: Member] = [:]
    public var approvals: [String: Approval] = [:]
    public var datasets: [String: Dataset] = [:]
    /// The equivalence list, by country.
    public var jurisdictions: [String: EquivalentJurisdiction] = [:]
    /// Consent withdrawals, by participant id. Never removed.
    public var withdrawals: [String: Withdrawal] = [:]

    public init() {}
}

/// The kinds of record the policy holds, as history and errors name them.
public enum PolicyEntityKind: String, Sendable, Hashable, Codable, CaseIterable {
    case organization, member, approval, dataset, jurisdiction, withdrawal
}

/// One thing wrong with a policy: which record, which field, and what.
public struct PolicyProblem: Sendable, Hashable, CustomStringConvertible {
    public var kind: PolicyEntityKind
    public var id: String
    /// The field in the file/API spelling (`valid_until`, `scope.datasets[1]`), or nil for the record.
    public var field: String?
    public var message: String

    public init(_ kind: PolicyEntityKind, _ id: String, field: String? = nil, _ message: String) {
        self.kind = kind
        self.id = id
        self.field = field
        self.message = message
    }

    public var description: String {
        "\(kind.rawValue) \(FreeText.shown(id, limit: 80))" + (field.map { ", field \($0)" } ?? "") + ": \(message)"
    }
}
