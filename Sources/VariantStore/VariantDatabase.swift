import Foundation
import GRDB

/// The variant store: one SQLite file (``fileName``) in a folder, holding the sample
/// registry, the datasets, the ingested files and one row per site and alternate allele
/// with its genotype summary.
///
/// `Sendable`: a server shares one instance. Reads run concurrently on a pool of read-only
/// connections (WAL) and never wait for an ingest; writes (sheet import, ingest) are
/// serialised, each in one transaction, so a failed write leaves the store as it was.
/// Every stored sample is a member of the store's cohort ``allSamples()``; counts assume a
/// sample absent from a site's file is reference-called (see ``AlleleGenotypes``).
public struct VariantDatabase: Sendable {
    /// The name of the SQLite file inside the store folder.
    public static let fileName = "variants.sqlite"

    /// The path of the SQLite file.
    public let path: String
    let pool: DatabasePool

    /// Opens the store in `folder`, creating the folder and the database when missing and
    /// migrating an older schema. `readOnly` opens an existing store without writing to it
    /// (ingest and import then fail).
    public init(folder: String, readOnly: Bool = false) throws {
        if !readOnly {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw VariantStoreError(.databaseError, "Cannot create the store folder \(folder): \(error.localizedDescription).")
            }
        }
        path = (folder as NSString).appendingPathComponent(Self.fileName)
        if readOnly && !FileManager.default.fileExists(atPath: path) {
            throw VariantStoreError(.databaseError, "No variant store at \(path); ingest a VCF first.")
        }
        var configuration = Configuration()
        configuration.readonly = readOnly
        configuration.label = "VariantStore"
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA cache_size = -65536; PRAGMA mmap_size = 268435456; PRAGMA temp_store = MEMORY")
            if !db.configuration.readonly { try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            if readOnly {
                try pool.read { db in
                    guard try Self.migrator.hasCompletedMigrations(db) else {
                        throw VariantStoreError(.databaseError, "The store at \(path) has an older or newer schema; open it read-write once to migrate it.")
                    }
                }
            } else {
                try Self.migrator.migrate(pool)
            }
        } catch let error as VariantStoreError {
            throw error
        } catch {
            throw VariantStoreError(.databaseError, "Cannot open the variant store \(path): \(error).")
        }
    }

    /// Every registered sample, ordered by index.
    public func samples() throws -> [SampleRecord] {
        try reading { db in try SampleRegistry.all(db) }
    }

    /// The number of registered samples (indexes are `0..<sampleCount()`).
    public func sampleCount() throws -> Int {
        try reading { db in try SampleRegistry.count(db) }
    }

    /// The cohort of every registered sample.
    public func allSamples() throws -> SampleSet { SampleSet.all(capacity: try sampleCount()) }

    /// The datasets with their assemblies, ordered by id.
    public func datasets() throws -> [DatasetRecord] {
        try reading { db in try Self.datasetRecords(db) }
    }

    static func datasetRecords(_ db: Database) throws -> [DatasetRecord] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT id, assembly FROM dataset ORDER BY id")).map {
            DatasetRecord(id: $0[0], assembly: $0[1])
        }
    }

    /// The ingested files, oldest first.
    public func ingestedFiles() throws -> [IngestedFileRecord] {
        try reading { db in
            let sql = "SELECT id, path, sha256, dataset_id, record_count, sample_count, ingested_at FROM ingested_file ORDER BY id"
            return try Row.fetchAll(db.cachedStatement(sql: sql)).map {
                IngestedFileRecord(id: $0[0], path: $0[1], sha256: $0[2], datasetID: $0[3], recordCount: $0[4], sampleCount: $0[5], ingestedAt: $0[6])
            }
        }
    }

    /// The number of stored rows (one per site and alternate allele).
    public func variantCount() throws -> Int {
        try reading { db in try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM variant")) ?? 0 }
    }

    /// The stored alleles whose POS is in `from...to` (1-based, inclusive) on `chromosome`,
    /// ordered by position. `chromosome` matches with or without a `chr` prefix, and `M`
    /// matches `MT`.
    public func variants(chromosome: String, from: Int, to: Int) throws -> [VariantRecord] {
        guard from <= to else {
            throw VariantStoreError(.invalidArgument, "The range \(from)-\(to) is empty: the start must not exceed the end.")
        }
        let key = ChromosomeName.matchKey(chromosome)
        return try reading { db in try Self.variantRecords(db, key: key, from: from, to: to) }
    }

    static func variantRecords(_ db: Database, key: String, from: Int, to: Int) throws -> [VariantRecord] {
        let statement = try db.cachedStatement(sql: """
            SELECT \(variantColumns) FROM variant WHERE chromosome_key = ? AND position BETWEEN ? AND ?
            ORDER BY position, id
            """)
        return try decodeVariants(statement, arguments: [key, from, to])
    }

    /// Every stored allele in the order it was first stored (for checks and exports).
    func allVariants() throws -> [VariantRecord] {
        try reading { db in
            try Self.decodeVariants(db.cachedStatement(sql: "SELECT \(Self.variantColumns) FROM variant ORDER BY id"), arguments: [])
        }
    }

    static let variantColumns = "id, chromosome, position, end_position, reference, alternate, occurrence, variant_type, filter, genotypes"

    /// Decodes rows of ``variantColumns``.
    static func decodeVariants(_ statement: Statement, arguments: StatementArguments) throws -> [VariantRecord] {
        let rows = try Row.fetchCursor(statement, arguments: arguments)
        var records: [VariantRecord] = []
        while let row = try rows.next() {
            let typeName: String = row[7]
            let filter: String? = row[8]
            let blob: Data = row[9]
            records.append(VariantRecord(
                id: row[0], chromosome: row[1], position: row[2], end: row[3], reference: row[4], alternate: row[5],
                occurrence: row[6], variantType: VariantType(rawValue: typeName) ?? .otherSymbolic,
                filters: filter.map(FilterList.decode), genotypes: try AlleleGenotypes(serialized: [UInt8](blob))
            ))
        }
        return records
    }

    /// Runs one read on GRDB's reader queue without blocking the caller's thread (servers
    /// call this from event loops); single statements need no transaction, so it skips it.
    func reading<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.unsafeRead(body)
        } catch let error as VariantStoreError {
            throw error
        } catch {
            throw VariantStoreError(.databaseError, "Reading the variant store \(path) failed: \(error).")
        }
    }

    /// Runs one read; single statements need no transaction, so this skips it for speed.
    func reading<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.unsafeRead(body)
        } catch let error as VariantStoreError {
            throw error
        } catch {
            throw VariantStoreError(.databaseError, "Reading the variant store \(path) failed: \(error).")
        }
    }

    /// Runs `body` in one write transaction: any error rolls everything back.
    func writing<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.write(body)
        } catch let error as VariantStoreError {
            throw error
        } catch {
            throw VariantStoreError(.databaseError, "Writing the variant store \(path) failed (nothing was changed): \(error).")
        }
    }
}

/// FILTER as stored: `;`-joined names, `NULL` for a missing FILTER.
enum FilterList {
    static func encode(_ filters: [String]?) -> String? { filters?.joined(separator: ";") }
    static func decode(_ text: String) -> [String] { text.split(separator: ";").map(String.init) }

    /// The FILTER of a row merged from several files: the union of their failed filters,
    /// PASS only when every file that gave a FILTER said PASS, missing when none gave one.
    static func merge(_ stored: [String]?, _ new: [String]?) -> [String]? {
        guard let stored else { return new }
        guard let new else { return stored }
        let failed = (stored + new).filter { $0 != "PASS" }
        if failed.isEmpty { return ["PASS"] }
        var seen: Set<String> = []
        return failed.filter { seen.insert($0).inserted }
    }
}
