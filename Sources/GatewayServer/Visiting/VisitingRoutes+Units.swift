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
        let name = type(of: analysis).name
        guard let conflict = try store.conflictingUnit(analysis.countedUnits, analysis: name, approval: approval, member: member) else { return }
        let whose = conflict.member == member ? "your job \(conflict.job)" : "a job under approval \(approval)"
        throw GatewayError(.badRequest, "\(name) parameter \(conflict.unit.parameter) (\(conflict.unit.name)) overlaps unit \(conflict.storedName) of \(whose) without being the same region under the same rule; the difference of the two would count the few carriers of what one holds and the other lacks. Use the same region and rule, or a region that does not overlap")
    }
}
