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
    /// How many stored alleles have their POS in `from...to` on `chromosome` (to bound a read
    /// before making it).
    public func variantCount(chromosome: String, from: Int, to: Int) async throws -> Int {
        guard from <= to else {
            throw VariantStoreError(.invalidArgument, "The range \(from)-\(to) is empty: the start must not exceed the end.")
        }
        let key = ChromosomeName.matchKey(chromosome)
        return try await reading { db in
            try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM variant WHERE chromosome_key = ? AND position BETWEEN ? AND ?"),
                             arguments: [key, from, to]) ?? 0
        }
    }
}
