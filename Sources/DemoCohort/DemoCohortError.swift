/// Why a demo cohort could not be generated.
///
/// ``code`` is stable and machine-readable; ``message`` names the offending option
/// or path and says what was expected.
public struct DemoCohortError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem.
    public enum Code: String, Sendable, Hashable, CustomStringConvertible {
        /// `samples` is odd, below 2 or above the maximum.
        case invalidSampleCount = "invalid_sample_count"
        /// `sites` is below 1 or above the maximum.
        case invalidSiteCount = "invalid_site_count"
        /// `withheldCases` is negative or above the maximum.
        case invalidWithheldCaseCount = "invalid_withheld_case_count"
        /// `dataset` is empty, too long or has characters other than letters, digits, `.`, `_` and `-`.
        case invalidDataset = "invalid_dataset"
        /// The output folder cannot be created or a file cannot be created in it.
        case unwritableFolder = "unwritable_folder"
        /// Writing, closing or renaming an output file failed part-way.
        case writeFailed = "write_failed"

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
