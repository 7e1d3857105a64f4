import DisclosureControl
import NIOConcurrencyHelpers
import VariantStore

extension VariantQueryService {
    /// A count of people (or of their alleles) as it may be released: perturbed by its cell key,
    /// the sum of the record keys of `contributors`, the samples it counts (README "Privacy").
    /// The same contributors, statistic and subject always give the same value.
    func released(_ count: Int, contributors: SampleSet, statistic: String, subject: String, maximumNoise: Int? = nil, poolKey: UInt64 = 0) -> Int {
        guard perturbation.isEnabled, count >= perturbation.minimumCellCount else { return count }
        return released(count, contributorsKey: cellKey(contributors), statistic: statistic, subject: subject, maximumNoise: maximumNoise, poolKey: poolKey)
    }

    /// ``released(_:contributors:statistic:subject:maximumNoise:poolKey:)`` with the contributors'
    /// cell key already known. The pool's own key (``cellKey(_:)`` of the samples counted over)
    /// and D go into the draw too: two pools that differ only by non-carriers, or the same count
    /// at another D, get independent noise.
    func released(_ count: Int, contributorsKey: UInt64, statistic: String, subject: String, maximumNoise: Int? = nil, poolKey: UInt64 = 0) -> Int {
        guard perturbation.isEnabled, count >= perturbation.minimumCellCount else { return count }
        let noise = maximumNoise ?? perturbation.maximumNoise
        return perturbation.perturb(count, cellKey: contributorsKey, statistic: "\(statistic)|\(noise)|\(poolKey)", subject: subject, maximumNoise: noise)
    }

    /// A released count (see ``released(_:contributors:statistic:subject:maximumNoise:poolKey:)``) as a
    /// disclosed cell: a suppressed cell stays suppressed.
    func released(_ cell: DisclosedCount, contributors: SampleSet, statistic: String, subject: String, maximumNoise: Int? = nil, poolKey: UInt64 = 0) -> DisclosedCount {
        guard case .value(let count) = cell else { return cell }
        return .value(released(count, contributors: contributors, statistic: statistic, subject: subject, maximumNoise: maximumNoise, poolKey: poolKey))
    }

    /// The same with the contributors' cell key already known.
    func released(_ cell: DisclosedCount, contributorsKey: UInt64, statistic: String, subject: String, maximumNoise: Int? = nil, poolKey: UInt64 = 0) -> DisclosedCount {
        guard case .value(let count) = cell else { return cell }
        return .value(released(count, contributorsKey: contributorsKey, statistic: statistic, subject: subject, maximumNoise: maximumNoise, poolKey: poolKey))
    }

    /// The cell key of `samples`: the sum of their record keys (computed once per pool per answer).
    func cellKey(_ samples: SampleSet) -> UInt64 {
        guard perturbation.isEnabled else { return 0 }
        return recordKeyTable(capacity: samples.capacity).cellKey(contributors: samples)
    }

    /// How far an allele count over `alleleNumber` alleles may move: the configured noise, or, if
    /// more, what `privacy.frequency_precision` of the allele number leaves once the allele
    /// number's own noise is allowed for (the frequency then moves by at most that much, from an
    /// allele number of 420).
    func alleleCountNoise(alleleNumber: Int) -> Int {
        guard perturbation.isEnabled else { return 0 }
        // The frequency shown is (AC + e1) / (AN + e2) with |e2| <= D: it is off by at most
        // (|e1| + D) / (AN - D), so e1 gets what is left of the precision after AN's own noise.
        let noise = perturbation.maximumNoise
        let share = Int((accounting.settings.frequencyPrecision * Double(max(0, alleleNumber - noise))).rounded(.down)) - noise
        return max(noise, share)
    }

    /// The variance of noise uniform on -D...D.
    static func variance(maximumNoise: Int) -> Double {
        let d = Double(max(0, maximumNoise))
        return d * (d + 1) / 3
    }

    /// The variance of the perturbation (0 when counts are exact), for the disclosure ledger.
    var noiseVariance: Double { perturbation.noiseVariance }

    private func recordKeyTable(capacity: Int) -> RecordKeyTable {
        if let table = recordKeys.withLockedValue({ $0 }), table.capacity >= capacity { return table }
        let table = perturbation.recordKeys(capacity: capacity)
        recordKeys.withLockedValue { $0 = table }
        return table
    }
}
