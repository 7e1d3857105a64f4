import GRDB
import GatewayCore

/// The sample and dataset tables, used inside a caller's transaction.
enum SampleRegistry {
    static let columns = """
        sample_index, sample_id, participant_id, dataset_id, tissue, cancer_type_id, cancer_type_label,
        overseas_consent, mapping_rate, duplicate_rate, mean_insert_size, mean_depth, identity_check
        """

    /// Every sample, ordered by index.
    static func all(_ db: Database) throws -> [SampleRecord] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT \(columns) FROM sample ORDER BY sample_index")).map(record)
    }

    /// The sample with `sampleID`, and the id of the file its genotypes came from (if any).
    static func find(_ sampleID: String, _ db: Database) throws -> (sample: SampleRecord, ingestedFileID: Int64?)? {
        let statement = try db.cachedStatement(sql: "SELECT \(columns), ingested_file_id FROM sample WHERE sample_id = ?")
        guard let row = try Row.fetchOne(statement, arguments: [sampleID]) else { return nil }
        return (record(row), row[13])
    }

    static func count(_ db: Database) throws -> Int {
        try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM sample")) ?? 0
    }

    /// Adds `sample` under the next free index and returns that index.
    static func insert(_ sample: SampleRecord, _ db: Database) throws -> Int {
        let index = try count(db)
        let statement = try db.cachedStatement(sql: "INSERT INTO sample (\(columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        try statement.execute(arguments: [
            index, sample.sampleID, sample.participantID, sample.datasetID, sample.tissue.rawValue,
            sample.cancerType.id, sample.cancerType.label, sample.overseasConsent, sample.qc.mappingRate,
            sample.qc.duplicateRate, sample.qc.meanInsertSize, sample.qc.meanDepth, sample.identityCheck.rawValue,
        ])
        return index
    }

    /// Records that the genotypes of the sample at `index` came from file `fileID`.
    static func markIngested(index: Int, fileID: Int64, _ db: Database) throws {
        try db.cachedStatement(sql: "UPDATE sample SET ingested_file_id = ? WHERE sample_index = ?").execute(arguments: [fileID, index])
    }

    /// Makes sure `datasetID` exists with `assembly`, and that the store holds no other assembly.
    /// `context` starts error messages (e.g. the sheet line).
    static func ensureDataset(_ datasetID: String, assembly: String, context: String, _ db: Database) throws {
        if let existing = try String.fetchOne(db.cachedStatement(sql: "SELECT assembly FROM dataset WHERE id = ?"), arguments: [datasetID]) {
            guard existing == assembly else {
                throw VariantStoreError(.assemblyMismatch, "\(context): dataset \(datasetID) is registered on \(existing), not \(assembly); use --assembly \(existing) or another dataset id.")
            }
            return
        }
        if let other = try Row.fetchOne(db.cachedStatement(sql: "SELECT id, assembly FROM dataset WHERE assembly <> ? LIMIT 1"), arguments: [assembly]) {
            let otherID: String = other[0], otherAssembly: String = other[1]
            throw VariantStoreError(.assemblyMismatch, "\(context): this store holds \(otherAssembly) coordinates (dataset \(otherID)); positions on \(assembly) cannot be merged with them. Use a separate store for \(assembly).")
        }
        try db.cachedStatement(sql: "INSERT INTO dataset (id, assembly) VALUES (?, ?)").execute(arguments: [datasetID, assembly])
    }

    /// Registers every sample of `sheet`: new ids get the next indexes, identical re-imports
    /// change nothing, and an id already registered with other values is an error.
    static func register(_ sheet: SampleSheet, assembly: String, _ db: Database) throws -> SampleSheetImport {
        var result = SampleSheetImport(added: 0, unchanged: 0)
        for entry in sheet.entries {
            let context = "\(sheet.path) line \(entry.line)"
            if let existing = try find(entry.sample.sampleID, db) {
                let differences = differingFields(existing.sample, entry.sample)
                guard differences.isEmpty else {
                    throw VariantStoreError(.conflictingSample, "\(context), column \(columnNumber(of: differences[0], in: sheet)) (\(differences[0])): sample \(entry.sample.sampleID) is already registered with different values (\(differences.joined(separator: ", "))); a sample's metadata cannot be changed by re-importing.")
                }
                result.unchanged += 1
            } else {
                try ensureDataset(entry.sample.datasetID, assembly: assembly, context: context, db)
                _ = try insert(entry.sample, db)
                result.added += 1
            }
        }
        return result
    }

    /// The sheet columns in which two records of one sample differ.
    static func differingFields(_ stored: SampleRecord, _ new: SampleRecord) -> [String] {
        var fields: [String] = []
        if stored.participantID != new.participantID { fields.append("participant_id") }
        if stored.datasetID != new.datasetID { fields.append("dataset_id") }
        if stored.tissue != new.tissue { fields.append("tissue") }
        if stored.cancerType.id != new.cancerType.id { fields.append("cancer_type_id") }
        if stored.cancerType.label != new.cancerType.label { fields.append("cancer_type_label") }
        if stored.overseasConsent != new.overseasConsent { fields.append("overseas_consent") }
        if stored.qc.mappingRate != new.qc.mappingRate { fields.append("mapping_rate") }
        if stored.qc.duplicateRate != new.qc.duplicateRate { fields.append("duplicate_rate") }
        if stored.qc.meanInsertSize != new.qc.meanInsertSize { fields.append("mean_insert_size") }
        if stored.qc.meanDepth != new.qc.meanDepth { fields.append("mean_depth") }
        if stored.identityCheck != new.identityCheck { fields.append("nt_check") }
        return fields
    }

    private static func columnNumber(of column: String, in sheet: SampleSheet) -> Int {
        (sheet.columnNumbers[column] ?? 0)
    }

    private static func record(_ row: Row) -> SampleRecord {
        SampleRecord(
            index: row[0], sampleID: row[1], participantID: row[2], datasetID: row[3],
            tissue: Tissue(rawValue: row[4]) ?? .tumour,
            cancerType: OntologyTerm(id: row[5], label: row[6]), overseasConsent: row[7],
            qc: QCMetrics(mappingRate: row[8], duplicateRate: row[9], meanInsertSize: row[10], meanDepth: row[11]),
            identityCheck: IdentityCheck(rawValue: row[12]) ?? .mismatch
        )
    }
}

/// What importing a sample sheet changed.
public struct SampleSheetImport: Sendable, Hashable {
    /// Samples newly registered.
    public var added: Int
    /// Samples already registered with identical values (left as they were).
    public var unchanged: Int
}
