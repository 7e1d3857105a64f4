import GatewayCore
import GRDB

extension JobStore {
    /// A stored unit that a new one conflicts with, and whose job it belongs to.
    public struct UnitConflict: Sendable, Hashable {
        /// The new unit.
        public var unit: CountedUnit
        /// The stored unit's name, and its job's id and member.
        public var storedName: String
        public var job: String
        public var member: String
    }

    /// The first of `units` that conflicts with a unit of an
    /// earlier job of `analysis` under `approval` (by any member) or by `member` (under any
    /// approval), not failed or cancelled (those released nothing); nil when none does. One
    /// indexed query per unit. Two units conflict when they overlap (on the chromosome as the
    /// store matches it) without being the same region under the same rule.
    public func conflictingUnit(_ units: [CountedUnit], analysis: String, approval: String, member: String) throws(GatewayError) -> UnitConflict? {
        guard !units.isEmpty else { return nil }
        return try read { db -> UnitConflict? in
            // Overlapping (the chromosome matches, and the stored unit starts at most the longest
            // unit back), and not the same region under the same rule: every row is a conflict.
            let statement = try db.cachedStatement(sql: """
                SELECT u.name, j.id, j.member FROM job_unit u JOIN job j ON j.id = u.job
                WHERE u.chromosome = ? AND u.start BETWEEN ? AND ? AND u."end" >= ?
                  AND NOT (u.start = ? AND u."end" = ? AND u.rule = ?)
                  AND j.analysis = ? AND (j.approval = ? OR j.member = ?) AND j.state NOT IN ('failed', 'cancelled')
                LIMIT 1
                """)
            for unit in units {
                let region = unit.region
                let earliest = region.start > Self.longestUnit ? region.start - Self.longestUnit : 0
                if let row = try Row.fetchOne(statement, arguments: [region.chromosomeKey, earliest, region.end, region.start,
                                                                     region.start, region.end, unit.rule, analysis, approval, member]) {
                    return UnitConflict(unit: unit, storedName: row[0], job: row[1], member: row[2])
                }
            }
            return nil
        }
    }

    /// The longest unit any analysis takes (its bases bound a job's).
    static let longestUnit = 10_000_000

    static func insertUnits(_ units: [CountedUnit], of job: String, _ db: Database) throws {
        let statement = try db.cachedStatement(sql: #"INSERT INTO job_unit (job, name, chromosome, start, "end", rule) VALUES (?, ?, ?, ?, ?, ?)"#)
        for unit in units {
            try statement.execute(arguments: [job, unit.name, unit.region.chromosomeKey, unit.region.start, unit.region.end, unit.rule])
        }
    }

    /// Fills `job_unit` for jobs stored before it existed, from their parameters.
    static func backfillUnits(_ db: Database) throws {
        let rows = try Row.fetchAll(db, sql: "SELECT id, analysis, parameters FROM job")
        for row in rows {
            let analysis: String = row[1], parameters: String = row[2]
            guard let type = AnalysisCatalogue.analysis(named: analysis),
                  let json = try? JSONParser.parse(Array(parameters.utf8)),
                  let parsed = try? type.init(parameters: json) else { continue }
            try insertUnits(parsed.countedUnits, of: row[0], db)
        }
    }
}
