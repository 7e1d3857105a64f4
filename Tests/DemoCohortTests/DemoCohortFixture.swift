import DemoCohort
import Foundation
import GatewayTestSupport

/// Cohorts written once per test process and shared by the tests that only read them.
enum DemoCohortFixture {
    /// 2,000 samples (1,000 cases) by 3,000 sites: large enough for QC shares and the
    /// mismatch rate, small enough to write in about a second.
    static let moderateOptions = DemoCohortOptions(samples: 2000, sites: 3000, seed: 2023)

    /// The moderate cohort's folder and summary.
    static func moderate() async throws -> (folder: String, summary: DemoCohortSummary) {
        try await SharedCohort.moderate.value()
    }

    /// Writes a cohort into a fresh temporary folder, off Swift's cooperative pool.
    static func write(_ options: DemoCohortOptions, label: String = "demo") async throws -> (folder: String, summary: DemoCohortSummary) {
        let folder = DevPKI.temporaryFolder(label)
        let summary = try await offThread { try DemoCohortGenerator.write(options: options, to: folder) }
        return (folder, summary)
    }

    /// The sample sheet's rows as columns, header excluded, after checking the header.
    static func sampleSheetRows(in folder: String) throws -> (header: String, rows: [[String]]) {
        let text = try String(contentsOfFile: folder + "/" + DemoCohortGenerator.sampleSheetFileName, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.last == "" else { throw TestFailure("sample sheet does not end with a newline") }
        lines.removeLast()
        let header = lines.removeFirst()
        return (header, lines.map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) })
    }

    /// The VCF's data rows split into columns (header lines skipped).
    static func variantRows(in folder: String) throws -> (samples: [String], rows: [[Substring]]) {
        let text = try String(contentsOfFile: folder + "/" + DemoCohortGenerator.variantFileName, encoding: .utf8)
        var samples: [String] = []
        var rows: [[Substring]] = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("##") { continue }
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false)
            if line.hasPrefix("#CHROM") {
                samples = columns.dropFirst(9).map(String.init)
            } else {
                rows.append(columns)
            }
        }
        return (samples, rows)
    }

    /// Runs a command and fails with its output if it exits non-zero or writes to stderr.
    @discardableResult
    static func runQuietly(_ arguments: [String]) async throws -> String {
        let result = try await Subprocess.run(arguments)
        guard result.status == 0, result.stderr.isEmpty else {
            throw TestFailure("\(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)")
        }
        return result.stdout
    }
}

/// Writes a cohort once, however many tests ask at the same time.
actor SharedCohort {
    static let moderate = SharedCohort(DemoCohortFixture.moderateOptions)

    private let options: DemoCohortOptions
    private var written: Task<(folder: String, summary: DemoCohortSummary), any Error>?

    init(_ options: DemoCohortOptions) { self.options = options }

    func value() async throws -> (folder: String, summary: DemoCohortSummary) {
        if let written { return try await written.value }
        let options = options
        let task = Task { try await DemoCohortFixture.write(options, label: "demo-moderate") }
        written = task
        return try await task.value
    }
}
