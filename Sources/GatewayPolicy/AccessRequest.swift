import Foundation
import GatewayCore

/// What a caller asks to do, for ``PolicyEngine/decide(_:in:)``.
public struct AccessRequest: Sendable {
    /// The kinds of action, each allowed to one set of roles.
    public enum Action: Sendable, Hashable {
        /// Service documents and the caller's own identity (every role).
        case readServiceInformation
        /// Dataset descriptions and filtering terms, no counts (researchers and the secretariat).
        case readCatalogue
        /// Recording the committee's decisions, members, the equivalence list, withdrawals (secretariat).
        case administerPolicy
        /// Reading and exporting the audit log (auditors).
        case readAudit
        /// A question about the data, under an approval (researchers).
        case query(DataQuery)

        /// The roles that may take this action.
        public var allowedRoles: Set<Role> {
            switch self {
            case .readServiceInformation: Set(Role.allCases)
            case .readCatalogue: [.researcher, .secretariat]
            case .administerPolicy: [.secretariat]
            case .readAudit: [.auditor]
            case .query: [.researcher]
            }
        }
    }

    public var member: Member
    public var action: Action
    /// The time the request arrived; validity and effective dates are judged at it.
    public var time: Date

    public init(member: Member, action: Action, time: Date) {
        self.member = member
        self.action = action
        self.time = time
    }
}

/// A question about the data: its kind, the approval it is made under and what it selects.
public struct DataQuery: Sendable, Hashable {
    public var kind: QueryKind
    /// The approval named by the request (`X-Approval-Id` or `approval`), or nil for the default.
    public var approvalID: String?
    /// Datasets the request names; empty means every dataset the approval covers.
    public var datasets: [String]
    /// Cancer types (NCIt CURIEs) the request's filters select; empty means none named.
    public var cancerTypes: [String]

    public init(kind: QueryKind, approvalID: String? = nil, datasets: [String] = [], cancerTypes: [String] = []) {
        self.kind = kind
        self.approvalID = approvalID
        self.datasets = datasets
        self.cancerTypes = cancerTypes
    }
}
