import GRDB

/// The queries a server makes, without blocking the calling thread: each runs on GRDB's reader
/// queue and resumes the caller when done. Same results and errors as the blocking forms.
extension VariantDatabase {
    /// Every registered sample, ordered by index.
    public func samples() async throws -> [SampleRecord] {
        try await reading { db in try SampleRegistry.all(db) }
    }

    /// The number of registered samples.
    public func sampleCount() async throws -> Int {
        try await reading { db in try SampleRegistry.count(db) }
    }

    /// The datasets with their assemblies, ordered by id.
    public func datasets() async throws -> [DatasetRecord] {
        try await reading { db in try Self.datasetRecords(db) }
    }

    /// The stored alleles whose POS is in `from...to` on `chromosome` (see the blocking form).
    public func variants(chromosome: String, from: Int, to: Int) async throws -> [VariantRecord] {
        guard from <= to else {
            throw VariantStoreError(.invalidArgument, "The range \(from)-\(to) is empty: the start must not exceed the end.")
        }
        let key = ChromosomeName.matchKey(chromosome)
        return try await reading { db in try Self.variantRecords(db, key: key, from: from, to: to) }
    }
}

extension VariantDatabase {
    /// A stretch of a chromosome to read: POS in `from...to`, 1-based, inclusive.
    public typealias Range = (chromosome: String, from: Int, to: Int)

    /// The stored alleles of each range, in the ranges' order (each by position), in one read:
    /// a job over many regions hops to the reader queue once, not once per region.
    public func variants(inRanges ranges: [Range]) async throws -> [[VariantRecord]] {
        let keys = try Self.keys(ranges)
        return try await reading { db in try keys.map { try Self.variantRecords(db, key: $0.key, from: $0.from, to: $0.to) } }
    }

    /// How many stored alleles the ranges hold in all, in one read.
    public func variantCount(inRanges ranges: [Range]) async throws -> Int {
        let keys = try Self.keys(ranges)
        return try await reading { db in
            let statement = try db.cachedStatement(sql: "SELECT count(*) FROM variant WHERE chromosome_key = ? AND position BETWEEN ? AND ?")
            return try keys.reduce(0) { $0 + (try Int.fetchOne(statement, arguments: [$1.key, $1.from, $1.to]) ?? 0) }
        }
    }

    private static func keys(_ ranges: [Range]) throws -> [(key: String, from: Int, to: Int)] {
        try ranges.map { range in
            guard range.from <= range.to else {
                throw VariantStoreError(.invalidArgument, "The range \(range.from)-\(range.to) is empty: the start must not exceed the end.")
            }
            return (ChromosomeName.matchKey(range.chromosome), range.from, range.to)
        }
    }
}
