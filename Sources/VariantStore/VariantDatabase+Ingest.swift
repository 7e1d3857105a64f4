import Foundation
import GRDB

/// How far an ingest has come; reported after every batch of records stored.
public struct IngestProgress: Sendable, Hashable {
    /// Records read so far.
    public var records: Int
    /// Bytes of the file consumed so far (compressed bytes for .gz and .bcf).
    public var bytesRead: Int64
    /// The file's size in bytes.
    public var totalBytes: Int64
}

/// What one ingest stored.
public struct IngestSummary: Sendable, Hashable {
    /// The file's row in the store.
    public var file: IngestedFileRecord
    /// Samples of the file that were not registered before (registered with minimal metadata,
    /// or from the sample sheet given with the file).
    public var samplesRegistered: Int
    /// New rows (site and alternate allele).
    public var allelesAdded: Int
    /// Rows of earlier files this file's genotypes were merged into.
    public var allelesMerged: Int
    /// Genotypes read: records x samples.
    public var genotypes: Int
}

extension VariantDatabase {
    /// Registers the samples of a sample sheet (see ``SampleSheet`` for its columns) in one
    /// transaction. Identical re-imports change nothing; a sample registered with other values
    /// is an error naming the line and column, and then nothing of the sheet is stored.
    public func importSampleSheet(_ path: String, assembly: String = "GRCh38") throws -> SampleSheetImport {
        try Self.checkIdentifier(assembly, what: "assembly")
        let sheet = try SampleSheet(contentsOf: path)
        return try writing { db in try SampleRegistry.register(sheet, assembly: assembly, db) }
    }

    /// Ingests one VCF, bgzipped VCF or BCF file into dataset `dataset`, in one transaction.
    ///
    /// - Samples: with `sampleSheet`, the sheet is imported first and every sample of the file
    ///   must be in the registry afterwards; without it, unknown samples are registered with
    ///   minimal metadata (``SampleRecord/minimal(index:sampleID:datasetID:)``). A sample must
    ///   belong to `dataset`, and its genotypes can come from one file only.
    /// - Sites: each ALT allele is one row; a site already stored (same chromosome, position,
    ///   REF, ALT and END) gets this file's samples merged into it. Samples of other files count
    ///   as reference-called at sites their file does not report, and the samples of this file
    ///   count as reference-called at stored sites this file does not report.
    /// - The same content (SHA-256) is never ingested twice: the second attempt is refused.
    ///
    /// Any error (unreadable or malformed file, a bad record, a sample conflict) rolls back
    /// everything, names the file and, for a record, its number, line and CHROM:POS.
    /// The file is parsed on a thread of its own (``IngestPipeline``) while this one stores;
    /// `threads` extra threads decompress .gz/.bcf input.
    public func ingest(
        file path: String, dataset: String, assembly: String = "GRCh38", sampleSheet: String? = nil,
        threads: Int = 0, progress: ((IngestProgress) -> Void)? = nil
    ) throws -> IngestSummary {
        try Self.checkIdentifier(dataset, what: "dataset id")
        try Self.checkIdentifier(assembly, what: "assembly")
        let sheet = try sampleSheet.map { try SampleSheet(contentsOf: $0) }
        // The digest and htslib read the file separately: it must be a regular file that stays as it is.
        let before = try FileState(path)
        let totalBytes = before.size
        let reader = try VCFReader(path: path, threads: threads)
        let pendingDigest = FileDigest.Pending(path: path)  // hashed while htslib parses
        return try writing { db in
            if let sheet { _ = try SampleRegistry.register(sheet, assembly: assembly, db) }
            try SampleRegistry.ensureDataset(dataset, assembly: assembly, context: path, db)
            // The digest is filled in before commit; until then the row holds a unique placeholder.
            try db.execute(
                sql: "INSERT INTO ingested_file (path, sha256, dataset_id, record_count, sample_count, ingested_at) VALUES (?, 'pending:' || hex(randomblob(16)), ?, 0, ?, 0)",
                arguments: [path, dataset, reader.sampleNames.count])
            let fileID = db.lastInsertedRowID
            let storeIndexes: [Int], registered: Int
            do {
                (storeIndexes, registered) = try registerSamples(of: reader, dataset: dataset, fileID: fileID, sheetPath: sheet?.path, db)
            } catch let error as VariantStoreError where error.code == .sampleAlreadyIngested {
                try Self.refuseDuplicate(digest: try pendingDigest.value(), of: path, db)  // the clearer reason, when it applies
                throw error
            }
            let capacity = try SampleRegistry.count(db)

            var writer = try VariantRowWriter(db, fileID: fileID)
            var genotypeCount = 0
            var recordCount = 0
            let pipeline = IngestPipeline(reader: reader, storeIndexes: storeIndexes, capacity: capacity)
            do {
                reading: while true {
                    switch pipeline.next() {
                    case .batch(let records, let recordsRead, let bytesRead):
                        for record in records {
                            for allele in record.alleles { try writer.store(record.site, alternate: allele.alternate, genotypes: allele.genotypes) }
                        }
                        genotypeCount += records.count * storeIndexes.count
                        progress?(IngestProgress(records: recordsRead, bytesRead: bytesRead, totalBytes: totalBytes))
                    case .end(let records):
                        recordCount = records
                        break reading
                    case .failure(let error):
                        throw error
                    }
                }
                pipeline.waitForParser()
            } catch {
                pipeline.stop()
                throw error
            }
            let digest = try pendingDigest.value()
            guard try FileState(path) == before else {
                throw VariantStoreError(.unreadableFile, "\(path) changed while it was being ingested (size, time or inode); nothing was stored. Ingest a file that is complete.")
            }
            try Self.refuseDuplicate(digest: digest, of: path, db)
            let ingestedAt = Date().timeIntervalSince1970
            try db.execute(sql: "UPDATE ingested_file SET sha256 = ?, record_count = ?, ingested_at = ? WHERE id = ?",
                           arguments: [digest, recordCount, ingestedAt, fileID])
            progress?(IngestProgress(records: recordCount, bytesRead: totalBytes, totalBytes: totalBytes))
            return IngestSummary(
                file: IngestedFileRecord(id: fileID, path: path, sha256: digest, datasetID: dataset, recordCount: recordCount,
                                         sampleCount: storeIndexes.count, ingestedAt: ingestedAt),
                samplesRegistered: registered, allelesAdded: writer.added, allelesMerged: writer.merged, genotypes: genotypeCount)
        }
    }

    /// The store index of each sample of the file, registering unknown ones when there is no sheet.
    private func registerSamples(
        of reader: VCFReader, dataset: String, fileID: Int64, sheetPath: String?, _ db: Database
    ) throws -> (indexes: [Int], registered: Int) {
        var indexes: [Int] = []
        var registered = 0
        var seen: Set<String> = []
        for name in reader.sampleNames {
            guard seen.insert(name).inserted else {
                throw VariantStoreError(.invalidHeader, "\(reader.path): the sample \(name) appears twice in the #CHROM line; nothing was stored.")
            }
            let index: Int
            if let found = try SampleRegistry.find(name, db) {
                guard found.sample.datasetID == dataset else {
                    throw VariantStoreError(.unknownSample, "\(reader.path): sample \(name) is registered in dataset \(found.sample.datasetID), not \(dataset); nothing was stored.")
                }
                if let earlierFile = found.ingestedFileID {
                    let earlier = try String.fetchOne(db, sql: "SELECT path FROM ingested_file WHERE id = ?", arguments: [earlierFile]) ?? "an earlier file"
                    throw VariantStoreError(.sampleAlreadyIngested, "\(reader.path): the genotypes of sample \(name) were already ingested from \(earlier); a sample's genotypes come from one file. Nothing was stored.")
                }
                index = found.sample.index
            } else {
                if let sheetPath {
                    throw VariantStoreError(.unknownSample, "\(reader.path): sample \(name) is not in the sample sheet \(sheetPath) nor registered before; add it to the sheet. Nothing was stored.")
                }
                index = try SampleRegistry.insert(.minimal(index: -1, sampleID: name, datasetID: dataset), db)
                registered += 1
            }
            try SampleRegistry.markIngested(index: index, fileID: fileID, db)
            indexes.append(index)
        }
        return (indexes, registered)
    }

    /// Throws `file_already_ingested` when a file with `digest` is in the store.
    static func refuseDuplicate(digest: String, of path: String, _ db: Database) throws {
        if let earlier = try String.fetchOne(db, sql: "SELECT path FROM ingested_file WHERE sha256 = ?", arguments: [digest]) {
            throw VariantStoreError(.fileAlreadyIngested, "\(path) has the same content (SHA-256 \(digest.prefix(16))...) as \(earlier), which is already in the store; nothing was changed.")
        }
    }

    /// Dataset ids and assembly names: 1 to 64 letters, digits, `.`, `_` or `-`.
    static func checkIdentifier(_ value: String, what: String) throws {
        let valid = (1...64).contains(value.count) && value.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }
        guard valid else {
            throw VariantStoreError(.invalidArgument, "The \(what) '\(value.prefix(64))' is not valid: use 1 to 64 letters, digits, '.', '_' or '-'.")
        }
    }
}

/// What identifies a file's content for the length of an ingest: inode, size and modification time.
struct FileState: Equatable {
    var inode: UInt64
    var size: Int64
    var modified: Double

    /// Reads them; throws unless `path` is a regular file (a pipe or device cannot be both hashed and parsed).
    init(_ path: String) throws {
        let attributes: [FileAttributeKey: Any]
        do { attributes = try FileManager.default.attributesOfItem(atPath: path) } catch {
            throw VariantStoreError(.unreadableFile, "Cannot open \(path): the file does not exist or is not readable.")
        }
        guard attributes[.type] as? FileAttributeType == .typeRegular else {
            throw VariantStoreError(.unreadableFile, "\(path) is not a regular file; ingest reads a file on disk (not a pipe or device).")
        }
        inode = (attributes[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0
        size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
        modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
    }
}

/// Writes the rows of one file inside the ingest's transaction, merging into stored rows.
///
/// The n-th record of a file giving one site and allele goes to occurrence n: this file's
/// earlier occurrences are the rows it already wrote (`last_file_id` = this file).
struct VariantRowWriter {
    struct Site {
        var chromosome: String
        var position: Int
        var end: Int
        var reference: String
        var filter: String?
    }

    private let fileID: Int64
    private let lookup: Statement
    private let insert: Statement
    private let update: Statement
    private(set) var added = 0
    private(set) var merged = 0

    init(_ db: Database, fileID: Int64) throws {
        self.fileID = fileID
        lookup = try db.cachedStatement(sql: """
            SELECT id, occurrence, last_file_id, filter, genotypes FROM variant
            WHERE chromosome_key = ? AND position = ? AND reference = ? AND alternate = ? AND end_position = ?
            ORDER BY occurrence
            """)
        insert = try db.cachedStatement(sql: """
            INSERT INTO variant (chromosome, chromosome_key, position, end_position, reference, alternate, occurrence,
                                 variant_type, filter, genotypes, last_file_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        update = try db.cachedStatement(sql: "UPDATE variant SET filter = ?, genotypes = ?, last_file_id = ? WHERE id = ?")
    }

    mutating func store(_ site: Site, alternate: String, genotypes: AlleleGenotypes) throws {
        let key = ChromosomeName.matchKey(site.chromosome)
        let stored = try Row.fetchAll(lookup, arguments: [key, site.position, site.reference, alternate, site.end])
        let occurrence = stored.filter { ($0[2] as Int64) == fileID }.count + 1
        if let row = stored.first(where: { ($0[1] as Int) == occurrence }) {
            var mergedGenotypes = try AlleleGenotypes(serialized: [UInt8](row[4] as Data))
            mergedGenotypes.formUnion(genotypes)
            let filter = FilterList.encode(FilterList.merge((row[3] as String?).map(FilterList.decode), site.filter.map(FilterList.decode)))
            try update.execute(arguments: [filter, Data(mergedGenotypes.serialized()), fileID, row[0] as Int64])
            merged += 1
        } else {
            let type = VariantType(reference: site.reference, alternate: alternate)
            try insert.execute(arguments: [
                site.chromosome, key, site.position, site.end, site.reference, alternate, occurrence,
                type.rawValue, site.filter, Data(genotypes.serialized()), fileID,
            ])
            added += 1
        }
    }
}
