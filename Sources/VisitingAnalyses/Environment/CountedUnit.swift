import GatewayCore
/// A region an analysis counts carriers over (a burden unit, a co-occurrence unit), with the
/// rule that makes a variant count there. Two units that overlap without being the same region
/// under the same rule must never both be released to one approval or member: each is a ledger
/// subject of its own, yet their difference counts the few people who carry only what one of
/// them adds. Within a job the parameters refuse it; across jobs the environment does.
public struct CountedUnit: Sendable, Hashable {
    /// The parameter naming it (`units[3]`).
    public var parameter: String
    public var name: String
    public var region: GenomicRegion
    /// What makes a variant count (burden's qualifying rule; `pass` for co-occurrence).
    public var rule: String

    public init(parameter: String, name: String, region: GenomicRegion, rule: String) {
        self.parameter = parameter
        self.name = name
        self.region = region
        self.rule = rule
    }
}
