/// The airlock's rule for a model's outputs (DataSHIELD's `nfilter.glm`, SACRO/ACRO's residual
/// degrees of freedom): a fitted model's estimates leave only when it has at least
/// ``minimumResidualDegreesOfFreedom`` residual degrees of freedom and its parameters are at
/// most ``maximumParameterFraction`` of its observations. An odds ratio of a 2x2 table is the
/// logistic model of the group on one indicator: 2 parameters, n = the people of the table.
public struct ModelAirlock: Sendable, Hashable {
    /// The fewest residual degrees of freedom (n - parameters) a released model has (ACRO: 10).
    public var minimumResidualDegreesOfFreedom: Int
    /// The largest share of n its parameters may be (DataSHIELD `nfilter.glm`: 0.33).
    public var maximumParameterFraction: Double

    public init(minimumResidualDegreesOfFreedom: Int = 10, maximumParameterFraction: Double = 0.33) {
        self.minimumResidualDegreesOfFreedom = minimumResidualDegreesOfFreedom
        self.maximumParameterFraction = maximumParameterFraction
    }

    /// The parameters of the logistic model an odds ratio is.
    public static let oddsRatioParameters = 2

    /// Nothing when a model of `parameters` over `observations` may show `statistics`; else a
    /// finding withholding them.
    public func check(parameters: Int, observations: Int, statistics: [String]) -> [AirlockFinding] {
        let (residual, overflow) = observations.subtractingReportingOverflow(parameters)
        if !overflow, parameters >= 0, residual >= minimumResidualDegreesOfFreedom,
           Double(parameters) <= maximumParameterFraction * Double(observations) {
            return []
        }
        return [AirlockFinding(rule: .degreesOfFreedom, cells: statistics, outcome: .withheld,
                               reason: "a model needs at least \(minimumResidualDegreesOfFreedom) residual degrees of freedom and at most \(maximumParameterFraction) parameters per observation")]
    }
}
