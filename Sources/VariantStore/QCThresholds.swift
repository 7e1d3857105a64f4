import GatewayCore

/// The QC limits a sample must meet; the defaults are the data centre's targets.
///
/// A sample passes when mapping rate >= ``minimumMappingRate``, duplicate rate <
/// ``maximumDuplicateRate`` and mean depth >= the target for its tissue. Rates are percentages.
public struct QCThresholds: Sendable, Hashable, Codable {
    public var minimumMappingRate: Double
    /// Exclusive upper limit: a sample at exactly this rate is flagged.
    public var maximumDuplicateRate: Double
    public var minimumDepthNormal: Double
    public var minimumDepthTumour: Double

    public init(
        minimumMappingRate: Double = 99.0, maximumDuplicateRate: Double = 30.0,
        minimumDepthNormal: Double = 30.0, minimumDepthTumour: Double = 120.0
    ) {
        self.minimumMappingRate = minimumMappingRate
        self.maximumDuplicateRate = maximumDuplicateRate
        self.minimumDepthNormal = minimumDepthNormal
        self.minimumDepthTumour = minimumDepthTumour
    }

    /// Mapping >= 99.0%, duplicates < 30%, depth >= 30x (normal) / 120x (tumour).
    public static let standard = QCThresholds()
}

/// A reason a sample fails QC.
public enum QCFlag: String, Sendable, Hashable, Codable, CaseIterable {
    case lowMappingRate = "low_mapping_rate"
    case highDuplicateRate = "high_duplicate_rate"
    case lowDepth = "low_depth"
    /// The case's tumour/normal identity check failed. Always excludes every sample of the case.
    case identityMismatch = "identity_mismatch"
}

extension SampleRecord {
    /// The QC flags this sample raises on its own metrics and its own identity check.
    ///
    /// An identity mismatch excludes the whole case: use ``qcFlags(of:thresholds:)`` to flag
    /// the partner samples of a mismatched case too.
    public func qcFlags(_ thresholds: QCThresholds = .standard) -> Set<QCFlag> {
        var flags: Set<QCFlag> = []
        if !(qc.mappingRate >= thresholds.minimumMappingRate) { flags.insert(.lowMappingRate) }
        if !(qc.duplicateRate < thresholds.maximumDuplicateRate) { flags.insert(.highDuplicateRate) }
        let depthTarget = tissue == .tumour ? thresholds.minimumDepthTumour : thresholds.minimumDepthNormal
        if !(qc.meanDepth >= depthTarget) { flags.insert(.lowDepth) }
        if identityCheck == .mismatch { flags.insert(.identityMismatch) }
        return flags
    }

    /// Flags by sample index for a whole registry, with ``QCFlag/identityMismatch`` raised on
    /// every sample of a participant any of whose samples failed the identity check.
    /// Samples without flags are absent from the result.
    public static func qcFlags(of samples: [SampleRecord], thresholds: QCThresholds = .standard) -> [Int: Set<QCFlag>] {
        let mismatchedParticipants = Set(samples.filter { $0.identityCheck == .mismatch }.map(\.participantID))
        var result: [Int: Set<QCFlag>] = [:]
        for sample in samples {
            var flags = sample.qcFlags(thresholds)
            if mismatchedParticipants.contains(sample.participantID) { flags.insert(.identityMismatch) }
            if !flags.isEmpty { result[sample.index] = flags }
        }
        return result
    }
}
