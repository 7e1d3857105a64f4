import GatewayCore

/// Cell-key perturbation of released counts (the ABS/ONS method).
///
/// Every sample index has a secret 64-bit *record key* (SipHash-2-4 of the index under the
/// first half of the secret). A count's *cell key* is the wrapping sum of the record keys of
/// the samples contributing to it, so it depends only on *which* samples contribute, not on
/// how the question was phrased. The noise added to the count is drawn uniformly from
/// `-D...D` by SipHash-2-4 (second half of the secret) of the cell key, the statistic's name
/// and the subject. Hence:
/// - the same contributors, statistic and subject always get the same noise: repeating or
///   rephrasing a question cannot average the noise away;
/// - two cohorts that differ by even one contributor get independent noise, so their
///   difference no longer reads that person's contribution exactly;
/// - without the secret, neither record keys nor noise can be predicted.
///
/// Counts of 0 stay 0 and counts in `1..<k` are returned unchanged (callers suppress them);
/// a count `n >= k` becomes `max(k, n + e)`. The noise variance is `D(D + 1)/3`
/// (``noiseVariance``), which the disclosure ledger adds to a release's precision.
/// Nothing here traps: all hash arithmetic wraps and results are clamped.
public struct CellKeyPerturbation: Sendable {
    /// The secret's length in bytes.
    public static let secretLength = 32
    /// The accepted range of ``maximumNoise`` (gateway.yaml `privacy.noise_maximum`).
    public static let maximumNoiseRange = 0...20
    /// The accepted range of ``minimumCellCount`` (gateway.yaml `disclosure.minimum_cell_count`).
    public static let minimumCellCountRange = 2...1000

    /// D: the noise is uniform on `-D...D`; 0 switches perturbation off.
    public let maximumNoise: Int
    /// k: counts in `1..<k` are left for the caller to suppress, and no perturbed count
    /// of at least k is released below k.
    public let minimumCellCount: Int
    let recordKeyHash: SipHash24
    private let noiseHash: SipHash24

    /// Perturbation keyed by `secret` (``secretLength`` bytes, see ``loadOrCreateSecret(at:)``).
    ///
    /// - Throws: `invalid_configuration` naming the setting when the secret is not 32 bytes,
    ///   `maximumNoise` is outside ``maximumNoiseRange`` or `minimumCellCount` outside
    ///   ``minimumCellCountRange``.
    public init(secret: [UInt8], maximumNoise: Int = 2, minimumCellCount: Int = 5) throws(GatewayError) {
        guard secret.count == Self.secretLength else {
            throw GatewayError(.invalidConfiguration, "the privacy key has \(secret.count) bytes; it must be exactly \(Self.secretLength) random bytes (the file <data>/privacy.key)")
        }
        guard Self.maximumNoiseRange.contains(maximumNoise) else {
            throw GatewayError(.invalidConfiguration, "privacy.noise_maximum \(maximumNoise) is not between \(Self.maximumNoiseRange.lowerBound) and \(Self.maximumNoiseRange.upperBound) (0 switches count perturbation off; the default is 2)")
        }
        guard Self.minimumCellCountRange.contains(minimumCellCount) else {
            throw GatewayError(.invalidConfiguration, "disclosure.minimum_cell_count \(minimumCellCount) is not between \(Self.minimumCellCountRange.lowerBound) and \(Self.minimumCellCountRange.upperBound)")
        }
        self.maximumNoise = maximumNoise
        self.minimumCellCount = minimumCellCount
        // Checked length above, so both halves are 16 bytes.
        self.recordKeyHash = SipHash24(key: secret[0..<16])!
        self.noiseHash = SipHash24(key: secret[16..<32])!
    }

    /// Whether counts are perturbed at all (D > 0).
    public var isEnabled: Bool { maximumNoise > 0 }

    /// The variance of the noise, `D(D + 1)/3` (0 when off); the uniform distribution on
    /// `-D...D` has exactly this variance.
    public var noiseVariance: Double {
        let d = Double(maximumNoise)
        return d * (d + 1) / 3
    }

    /// The secret record key of one sample index.
    public func recordKey(ofSample index: Int) -> UInt64 {
        recordKeyHash.hash(word: UInt64(bitPattern: Int64(index)))
    }

    /// The cell key of a count: the wrapping sum of its contributors' record keys.
    ///
    /// Order does not matter; each index should appear once (a repeated index counts twice).
    /// For many cells over one cohort, precompute ``recordKeys(capacity:)``.
    public func cellKey(contributors: some Sequence<Int>) -> UInt64 {
        contributors.reduce(0) { $0 &+ recordKey(ofSample: $1) }
    }

    /// The record keys of sample indexes `0..<capacity` computed once (capacity is clamped to
    /// `0...RecordKeyTable.maximumCapacity`; indexes beyond it are hashed when met).
    public func recordKeys(capacity: Int) -> RecordKeyTable {
        RecordKeyTable(hash: recordKeyHash, capacity: capacity)
    }

    /// The noise `e` in `-D...D` for one statistic of one subject over the cell `cellKey`:
    /// uniform over the keyed hash of (cell key, statistic, subject). 0 when off.
    public func noise(cellKey: UInt64, statistic: String, subject: String) -> Int {
        noise(cellKey: cellKey, statistic: statistic, subject: subject, maximumNoise: maximumNoise)
    }

    /// The noise in `-D...D` for a wider `maximumNoise` D than the configured one (a frequency's
    /// allele count may move by a share of its allele number); 0 when D is 0 or perturbation is off.
    public func noise(cellKey: UInt64, statistic: String, subject: String, maximumNoise: Int) -> Int {
        guard self.maximumNoise > 0, maximumNoise > 0 else { return 0 }
        let maximumNoise = min(maximumNoise, Int(UInt32.max))
        var state = SipHash24.State(noiseHash)
        state.append(word: cellKey)
        state.append(lengthPrefixed: statistic)
        state.append(lengthPrefixed: subject)
        let draw = state.finalize()
        // Multiply-shift maps the 64-bit draw onto 0..<2D+1; the bias is below 2^-58.
        let width = UInt64(2 * maximumNoise + 1)
        let offset = Int(draw.multipliedFullWidth(by: width).high)
        return offset - maximumNoise
    }

    /// The count to release in place of `count`.
    ///
    /// - `count` < k (0, or 1..<k which the caller suppresses): returned unchanged.
    /// - `count` >= k: `max(k, count + e)` with `e` = ``noise(cellKey:statistic:subject:)``,
    ///   clamped to `Int.max`.
    ///
    /// - Parameters:
    ///   - cellKey: ``cellKey(contributors:)`` of the samples counted.
    ///   - statistic: what is counted (e.g. "carriers", "alleleCount"), so different
    ///     statistics over the same samples get independent noise.
    ///   - subject: what the count is about (e.g. "chr1:12345:A:G", "summary").
    public func perturb(_ count: Int, cellKey: UInt64, statistic: String, subject: String) -> Int {
        perturb(count, cellKey: cellKey, statistic: statistic, subject: subject, maximumNoise: maximumNoise)
    }

    /// ``perturb(_:cellKey:statistic:subject:)`` with noise in `-D...D` for `maximumNoise` D
    /// (clamped to 0...2^32 - 1): 0 leaves the count exact, as does perturbation being off.
    public func perturb(_ count: Int, cellKey: UInt64, statistic: String, subject: String, maximumNoise: Int) -> Int {
        guard self.maximumNoise > 0, maximumNoise > 0, count >= minimumCellCount else { return count }
        let e = noise(cellKey: cellKey, statistic: statistic, subject: subject, maximumNoise: maximumNoise)
        let (sum, overflow) = count.addingReportingOverflow(e)
        return overflow ? Int.max : max(minimumCellCount, sum)
    }
}
