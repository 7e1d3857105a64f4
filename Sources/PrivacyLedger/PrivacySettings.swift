import GatewayCore

/// The `privacy:` section of gateway.yaml: whether the disclosure ledger is on, the default
/// budgets and the differencing and presence thresholds (README "Privacy").
///
/// Budgets are in units of exposure (the squared z-shift a likelihood-ratio attacker gets
/// for one person; power at 5% false-positive rate is about `Phi(sqrt(exposure) - 1.645)`).
public struct PrivacySettings: Sendable, Hashable {
    /// Whether releases are charged at all (`privacy.enabled`).
    public var enabled: Bool
    /// The default budget of one approval (`privacy.approval_budget`, `0 < x <= 100`).
    public var approvalBudget: Double
    /// The default budget of one member (`privacy.member_budget`, `0 < x <= 100`).
    public var memberBudget: Double
    /// A new partition cell holding from 1 to this many people minus one is refused as
    /// differencing (`privacy.minimum_difference_people`, `2...1000`).
    public var minimumDifferencePeople: Int
    /// The k of disclosure control (presence is shown only for at least k carriers), which
    /// bounds what a presence-only release can reveal (``MembershipSignal/presenceCap(minimumCount:)``);
    /// `1...1000`.
    public var minimumCellCount: Int

    /// Settings with the documented defaults unless given.
    public init(enabled: Bool = true, approvalBudget: Double = 0.12, memberBudget: Double = 0.24,
                minimumDifferencePeople: Int = 5, minimumCellCount: Int = 5) {
        self.enabled = enabled
        self.approvalBudget = approvalBudget
        self.memberBudget = memberBudget
        self.minimumDifferencePeople = minimumDifferencePeople
        self.minimumCellCount = minimumCellCount
    }

    /// The largest budget any account may be given (`100`).
    public static let maximumBudget = 100.0
    /// The allowed range of ``minimumDifferencePeople``.
    public static let minimumDifferencePeopleRange = 2...1000
    /// The allowed range of ``minimumCellCount``.
    public static let minimumCellCountRange = 1...1000

    /// Whether `budget` is a valid budget: finite, above 0 and at most ``maximumBudget``.
    public static func isValidBudget(_ budget: Double) -> Bool {
        budget.isFinite && budget > 0 && budget <= maximumBudget
    }

    /// Checks every value; throws `invalid_configuration` naming the gateway.yaml key of the
    /// first one out of range.
    public func validated() throws(GatewayError) {
        for (key, value) in [("privacy.approval_budget", approvalBudget), ("privacy.member_budget", memberBudget)]
        where !Self.isValidBudget(value) {
            throw GatewayError(.invalidConfiguration, "\(key) is \(value); it must be a number above 0 and at most \(Self.maximumBudget) (default \(key == "privacy.approval_budget" ? 0.12 : 0.24))")
        }
        guard Self.minimumDifferencePeopleRange.contains(minimumDifferencePeople) else {
            throw GatewayError(.invalidConfiguration, "privacy.minimum_difference_people is \(minimumDifferencePeople); it must be a whole number from \(Self.minimumDifferencePeopleRange.lowerBound) to \(Self.minimumDifferencePeopleRange.upperBound) (default 5)")
        }
        guard Self.minimumCellCountRange.contains(minimumCellCount) else {
            throw GatewayError(.invalidConfiguration, "disclosure.minimum_cell_count is \(minimumCellCount); it must be a whole number from \(Self.minimumCellCountRange.lowerBound) to \(Self.minimumCellCountRange.upperBound) (default 5)")
        }
    }
}
