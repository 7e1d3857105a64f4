import GatewayCore
import VisitingAnalyses

extension VisitingRoutes {
    /// A region an analysis counts carriers over, with what makes a variant count there.
    struct CarrierUnit {
        var parameter: String
        var name: String
        var region: GenomicRegion
        var rule: String

        /// Whether the two count carriers of exactly the same variants (or of none in common).
        func conflicts(with other: CarrierUnit) -> Bool {
            guard region.overlaps(other.region) else { return false }
            return region.chromosomeKey != other.region.chromosomeKey || region.start != other.region.start
                || region.end != other.region.end || rule != other.rule
        }
    }

    /// The carrier units of `analysis` (burden units, co-occurrence units), empty for the others.
    static func carrierUnits(_ analysis: any VisitingAnalysis) -> [CarrierUnit] {
        switch analysis {
        case let burden as Burden:
            return burden.parameters.units.enumerated().map {
                CarrierUnit(parameter: "units[\($0.offset)]", name: $0.element.name, region: $0.element.region, rule: burden.parameters.rule)
            }
        case let pairs as CoOccurrenceAnalysis:
            guard case .units(let units) = pairs.items else { return [] }
            return units.enumerated().map { CarrierUnit(parameter: "units[\($0.offset)]", name: $0.element.name, region: $0.element.region, rule: "pass") }
        default:
            return []
        }
    }

    /// Refuses a unit that overlaps, without being the same region under the same rule, a unit
    /// of the member's other jobs of the same analysis (not failed or cancelled). Carriers of a
    /// gene and of the gene and its neighbour, or of variants below 1 % and below 5 %, are
    /// ledger subjects of their own, yet their difference counts the few people who carry only
    /// what one unit adds: the rule within one job (units never overlap) holds across jobs.
    static func checkUnits(_ analysis: any VisitingAnalysis, member: String, environment: VisitingEnvironment) throws(GatewayError) {
        let units = carrierUnits(analysis)
        guard !units.isEmpty else { return }
        let name = type(of: analysis).name
        for job in try environment.store.jobs(of: member, limit: 100_000) where job.analysis == name {
            guard job.lifecycle.state != .failed && job.lifecycle.state != .cancelled,
                  let earlier = try? VisitingExecution.analysis(of: job) else { continue }
            for old in carrierUnits(earlier) {
                guard let unit = units.first(where: { $0.conflicts(with: old) }) else { continue }
                throw GatewayError(.badRequest, "\(name) parameter \(unit.parameter) (\(unit.name)) overlaps unit \(old.name) of your job \(job.id) without being the same region under the same rule; the difference of the two would count the few carriers of what one holds and the other lacks. Use the same region and rule, or a region that does not overlap")
            }
        }
    }
}
