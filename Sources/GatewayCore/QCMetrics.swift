/// Sequencing quality of one sample, as the data centre measured it (the sample sheet's
/// mapping_rate, duplicate_rate, mean_insert_size and mean_depth columns).
public struct QCMetrics: Sendable, Hashable, Codable {
    /// Mapped reads, in percent (e.g. 99.9).
    public var mappingRate: Double
    /// Duplicate reads, in percent (e.g. 12.7).
    public var duplicateRate: Double
    /// Mean insert size in base pairs.
    public var meanInsertSize: Double
    /// Mean depth of coverage (e.g. 31.5 for 31.5x).
    public var meanDepth: Double

    public init(mappingRate: Double, duplicateRate: Double, meanInsertSize: Double, meanDepth: Double) {
        self.mappingRate = mappingRate
        self.duplicateRate = duplicateRate
        self.meanInsertSize = meanInsertSize
        self.meanDepth = meanDepth
    }
}
