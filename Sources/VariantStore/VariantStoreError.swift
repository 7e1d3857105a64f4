/// An error from the variant store: a stable ``code`` to match on and a message a person can act on.
///
/// Messages name the file, line or record and column involved whenever there is one.
/// Any operation that throws leaves the store exactly as it was before the call.
public struct VariantStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, snake_case error code. Callers and tests match on it; messages may change.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(stringLiteral value: String) { self.rawValue = value }
        public var description: String { rawValue }
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}

extension VariantStoreError.Code {
    /// A serialized sample set or genotype summary is truncated or inconsistent.
    public static let malformedBlob: Self = "malformed_blob"
    /// A sample index is outside the set's capacity.
    public static let sampleIndexOutOfRange: Self = "sample_index_out_of_range"
    /// The sample sheet cannot be read or a line of it is invalid.
    public static let invalidSampleSheet: Self = "invalid_sample_sheet"
    /// A sample id is already registered with different values.
    public static let conflictingSample: Self = "conflicting_sample"
    /// A dataset is already registered with another assembly, or the store holds another assembly.
    public static let assemblyMismatch: Self = "assembly_mismatch"
    /// A sample in a VCF is not in the sample sheet given, or belongs to another dataset.
    public static let unknownSample: Self = "unknown_sample"
    /// A sample in a VCF was already ingested from an earlier file.
    public static let sampleAlreadyIngested: Self = "sample_already_ingested"
    /// A file with the same content was already ingested.
    public static let fileAlreadyIngested: Self = "file_already_ingested"
    /// The file cannot be opened or read.
    public static let unreadableFile: Self = "unreadable_file"
    /// The file is not VCF or BCF, or its header is malformed.
    public static let invalidHeader: Self = "invalid_header"
    /// A record of the file is malformed.
    public static let invalidRecord: Self = "invalid_record"
    /// An argument is invalid (empty dataset id, inverted range, ...).
    public static let invalidArgument: Self = "invalid_argument"
    /// The database file cannot be opened, migrated or written.
    public static let databaseError: Self = "database_error"
}
