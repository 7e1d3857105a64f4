import Foundation
import GatewayCore
import PrivacyLedger
import VariantStore
import VisitingAnalyses

/// A job's result as the job store keeps it until it is released: the airlock-checked output,
/// the samples it was computed from (compared with the current cohort at release) and what
/// its figures tell the disclosure ledger (charged at release). Sample sets are kept once each.
struct StoredAnalysisResult: Codable, Sendable {
    struct Pool: Codable, Sendable {
        /// Index into ``sampleSets``.
        var samples: Int
        var frequency: Double
        var noiseVariance: Double
        var presenceOnly: Bool
        var presenceCharge: Double?
        var statistic: UInt8
    }

    struct Release: Codable, Sendable {
        var subject: String
        var pools: [Pool]
    }

    /// The released document (JSON).
    var output: String
    /// Index into ``sampleSets`` of the samples the result was computed from.
    var contributors: Int
    var releases: [Release]
    /// Base64 of each distinct sample set (``SampleSet/serialized()``).
    var sampleSets: [String]
    var outputs: Int
    var masked: Int
    var maskedCells: Int
    /// The airlock's outcome in a line, for the audit record.
    var summary: String
    var computedAt: Date

    init(_ outcome: AnalysisOutcome, contributors: SampleSet, computedAt: Date = Date()) {
        var sets: [SampleSet] = []
        var index: [SampleSet: Int] = [:]
        func position(_ set: SampleSet) -> Int {
            if let known = index[set] { return known }
            index[set] = sets.count
            sets.append(set)
            return sets.count - 1
        }
        self.contributors = position(contributors)
        releases = outcome.releases.map { release in
            Release(subject: release.subject, pools: release.pools.map {
                Pool(samples: position($0.samples), frequency: $0.frequency, noiseVariance: $0.noiseVariance,
                     presenceOnly: $0.presenceOnly, presenceCharge: $0.presenceCharge, statistic: $0.statistic)
            })
        }
        sampleSets = sets.map { Data($0.serialized()).base64EncodedString() }
        output = outcome.output
        outputs = outcome.outputs
        masked = outcome.masked
        maskedCells = outcome.maskedCells
        summary = outcome.summary
        self.computedAt = computedAt
    }

    /// The stored text.
    func text() throws(GatewayError) -> String {
        do { return String(decoding: try JSONEncoder().encode(self), as: UTF8.self) } catch {
            throw GatewayError(.internalError, "a visiting result cannot be encoded: \(error)")
        }
    }

    /// Reads a stored result; damage is `service_unavailable` (never a partial release).
    init(text: String) throws(GatewayError) {
        do { self = try JSONDecoder().decode(Self.self, from: Data(text.utf8)) } catch {
            throw GatewayError(.serviceUnavailable, "a stored visiting result cannot be read: \(error)")
        }
    }

    /// The sample sets, decoded.
    func decodedSampleSets() throws(GatewayError) -> [SampleSet] {
        var sets: [SampleSet] = []
        for text in sampleSets {
            guard let data = Data(base64Encoded: text), let set = try? SampleSet(serialized: [UInt8](data)) else {
                throw GatewayError(.serviceUnavailable, "a stored visiting result holds a damaged sample set")
            }
            sets.append(set)
        }
        return sets
    }

    /// The samples the result was computed from, and what it releases, for the ledger.
    func decoded() throws(GatewayError) -> (contributors: SampleSet, releases: [SubjectRelease]) {
        let sets = try decodedSampleSets()
        func set(_ index: Int) throws(GatewayError) -> SampleSet {
            guard sets.indices.contains(index) else { throw GatewayError(.serviceUnavailable, "a stored visiting result names a missing sample set") }
            return sets[index]
        }
        var releases: [SubjectRelease] = []
        for release in self.releases {
            var pools: [PoolRelease] = []
            for pool in release.pools {
                pools.append(PoolRelease(samples: try set(pool.samples), frequency: pool.frequency, noiseVariance: pool.noiseVariance,
                                         presenceOnly: pool.presenceOnly, presenceCharge: pool.presenceCharge, statistic: pool.statistic))
            }
            releases.append(SubjectRelease(subject: release.subject, pools: pools))
        }
        return (try set(contributors), releases)
    }
}
