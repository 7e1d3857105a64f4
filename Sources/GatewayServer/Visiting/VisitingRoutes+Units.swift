import GatewayCore
import VisitingAnalyses

extension VisitingRoutes {
    /// Refuses a counted unit (``CountedUnit``) that overlaps, without being the same region
    /// under the same rule, a unit of an earlier job of the same analysis under the same
    /// approval (by any of its members) or by the same member (under any approval), unless that
    /// job failed or was cancelled. Carriers of a gene and of the gene and its neighbour, or of
    /// variants below 1 % and below 5 %, are ledger subjects of their own, yet their difference
    /// counts the few people who carry only what one unit adds: the rule within one job (units
    /// never overlap) holds across jobs. Runs under the job runner's submission lock.
    static func checkUnits(_ analysis: any VisitingAnalysis, member: String, approval: String, in store: JobStore) throws(GatewayError) {
        let units = analysis.countedUnits
        guard !units.isEmpty else { return }
        let name = type(of: analysis).name
        for job in try store.jobs(of: name, approval: approval, orMember: member) {
            guard let earlier = try? VisitingExecution.analysis(of: job) else { continue }
            for old in earlier.countedUnits {
                guard let unit = units.first(where: { $0.conflicts(with: old) }) else { continue }
                let whose = job.member == member ? "your job \(job.id)" : "a job under approval \(approval)"
                throw GatewayError(.badRequest, "\(name) parameter \(unit.parameter) (\(unit.name)) overlaps unit \(old.name) of \(whose) without being the same region under the same rule; the difference of the two would count the few carriers of what one holds and the other lacks. Use the same region and rule, or a region that does not overlap")
            }
        }
    }
}
