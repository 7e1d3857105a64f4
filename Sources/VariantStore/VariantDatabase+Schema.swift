import GRDB

extension VariantDatabase {
    /// The schema, one migration per released version.
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-variant-store") { db in
            try db.execute(sql: """
                CREATE TABLE dataset (
                    id TEXT PRIMARY KEY NOT NULL,
                    assembly TEXT NOT NULL
                );
                CREATE TABLE ingested_file (
                    id INTEGER PRIMARY KEY,
                    path TEXT NOT NULL,
                    sha256 TEXT NOT NULL UNIQUE,
                    dataset_id TEXT NOT NULL REFERENCES dataset(id),
                    record_count INTEGER NOT NULL,
                    sample_count INTEGER NOT NULL,
                    ingested_at REAL NOT NULL
                );
                -- sample_index is the sample's bit in every stored sample set: 0, 1, 2, ... without gaps.
                CREATE TABLE sample (
                    sample_index INTEGER PRIMARY KEY,
                    sample_id TEXT NOT NULL UNIQUE,
                    participant_id TEXT NOT NULL,
                    dataset_id TEXT NOT NULL REFERENCES dataset(id),
                    tissue TEXT NOT NULL CHECK (tissue IN ('tumour', 'normal')),
                    cancer_type_id TEXT NOT NULL,
                    cancer_type_label TEXT NOT NULL,
                    overseas_consent INTEGER NOT NULL CHECK (overseas_consent IN (0, 1)),
                    mapping_rate REAL NOT NULL,
                    duplicate_rate REAL NOT NULL,
                    mean_insert_size REAL NOT NULL,
                    mean_depth REAL NOT NULL,
                    identity_check TEXT NOT NULL CHECK (identity_check IN ('pass', 'mismatch')),
                    -- The file the sample's genotypes came from; NULL until one is ingested.
                    ingested_file_id INTEGER REFERENCES ingested_file(id)
                );
                CREATE INDEX sample_participant ON sample(participant_id);
                -- One row per site and alternate allele. chromosome_key is the name without
                -- 'chr' and with M as MT; occurrence numbers repeats of a site and allele in a file.
                CREATE TABLE variant (
                    id INTEGER PRIMARY KEY,
                    chromosome TEXT NOT NULL,
                    chromosome_key TEXT NOT NULL,
                    position INTEGER NOT NULL,
                    end_position INTEGER NOT NULL,
                    reference TEXT NOT NULL,
                    alternate TEXT NOT NULL,
                    occurrence INTEGER NOT NULL,
                    variant_type TEXT NOT NULL,
                    filter TEXT,
                    genotypes BLOB NOT NULL,
                    last_file_id INTEGER NOT NULL REFERENCES ingested_file(id)
                );
                CREATE UNIQUE INDEX variant_site ON variant(chromosome_key, position, reference, alternate, end_position, occurrence);
                """)
        }
        return migrator
    }()
}
