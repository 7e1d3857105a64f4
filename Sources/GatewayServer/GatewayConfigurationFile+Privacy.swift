import GatewayCore

extension GatewayConfigurationFile {
    /// `privacy:` the disclosure ledger and count perturbation (README "Privacy").
    public struct Privacy: Sendable, Decodable, Equatable {
        public var enabled: Bool?
        public var approvalBudget: Double?
        public var memberBudget: Double?
        public var minimumDifferencePeople: Int?
        public var noiseMaximum: Int?
        public var rareFrequency: Double?
        public var frequencyPrecision: Double?
        enum CodingKeys: String, CodingKey {
            case enabled
            case approvalBudget = "approval_budget"
            case memberBudget = "member_budget"
            case minimumDifferencePeople = "minimum_difference_people"
            case noiseMaximum = "noise_maximum"
            case rareFrequency = "rare_frequency"
            case frequencyPrecision = "frequency_precision"
        }
        public init() {}

        static let keys: Set<String> = ["enabled", "approval_budget", "member_budget", "minimum_difference_people", "noise_maximum", "rare_frequency", "frequency_precision"]

        /// The privacy settings, each key range-checked; keys not set keep their defaults.
        func resolve() throws(GatewayError) -> GatewayConfiguration.Privacy {
            var privacy = GatewayConfiguration.Privacy()
            func budget(_ value: Double?, _ key: String) throws(GatewayError) -> Double? {
                guard let value else { return nil }
                guard value > 0, value <= 100 else {
                    throw GatewayError(.invalidConfiguration, "privacy.\(key) \(value) is not in (0, 100] (squared standard deviations of membership signal; the default is \(key == "approval_budget" ? GatewayConfiguration.Privacy.defaultApprovalBudget : GatewayConfiguration.Privacy.defaultMemberBudget))")
                }
                return value
            }
            if let enabled { privacy.enabled = enabled }
            if let value = try budget(approvalBudget, "approval_budget") { privacy.approvalBudget = value }
            if let value = try budget(memberBudget, "member_budget") { privacy.memberBudget = value }
            if let value = minimumDifferencePeople {
                guard (2...1000).contains(value) else {
                    throw GatewayError(.invalidConfiguration, "privacy.minimum_difference_people \(value) is not between 2 and 1000")
                }
                privacy.minimumDifferencePeople = value
            }
            if let value = noiseMaximum {
                guard (0...20).contains(value) else {
                    throw GatewayError(.invalidConfiguration, "privacy.noise_maximum \(value) is not between 0 and 20 (0: counts exact)")
                }
                privacy.noiseMaximum = value
            }
            if let value = rareFrequency {
                guard value >= 0, value <= 0.5 else {
                    throw GatewayError(.invalidConfiguration, "privacy.rare_frequency \(value) is not between 0 and 0.5 (0: every allele carried by at least k people is listed)")
                }
                privacy.rareFrequency = value
            }
            if let value = frequencyPrecision {
                guard value >= 0, value <= 0.05 else {
                    throw GatewayError(.invalidConfiguration, "privacy.frequency_precision \(value) is not between 0 and 0.05 (0: allele counts move by noise_maximum only)")
                }
                privacy.frequencyPrecision = value
            }
            return privacy
        }
    }
}

extension GatewayConfiguration {
    /// The privacy defences (README "Privacy"), all on by default.
    public struct Privacy: Sendable, Hashable {
        public static let defaultApprovalBudget = 0.12
        public static let defaultMemberBudget = 0.24
        /// false turns the disclosure ledger off (budgets and the differencing rule); for measuring attacks only.
        public var enabled = true
        /// Budget of an approval without its own `privacy_budget` in the policy.
        public var approvalBudget = defaultApprovalBudget
        /// Budget of a member over all their approvals (or their largest approval budget, if larger).
        public var memberBudget = defaultMemberBudget
        /// A cohort may differ from one an account was already answered about (for the same
        /// variant) by no people or by at least this many.
        public var minimumDifferencePeople = 5
        /// Released counts move by at most this much (cell-key perturbation); 0 leaves them exact.
        public var noiseMaximum = 2
        /// `allele-frequency` lists only alleles at least this frequent in the cohort (rarer ones
        /// single out their carriers; Beacon answers whether they exist, at its own cost); 0 lists
        /// every allele carried by at least k people.
        public var rareFrequency = 0.05
        /// An allele count behind a frequency moves by up to this share of its allele number
        /// (when that is more than `noiseMaximum`), so a frequency stays within this of the truth.
        public var frequencyPrecision = 0.01

        public init() {}
    }
}
