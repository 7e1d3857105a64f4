import DisclosureControl
import Foundation
import GatewayCore
import PrivacyLedger
import VariantStore

/// One vetted analysis of the catalogue. Adding an analysis means adding one type that
/// conforms and listing it in ``AnalysisCatalogue/analyses``:
///
/// - its typed parameters, validated when the job is submitted (a bad one is refused with
///   `bad_request` naming it, before anything is stored);
/// - the cancer types they name (the consent check decides them like a query's filters) and the
///   regions of the variant store it reads (bounded: the job's time and memory follow from them);
/// - the samples that contribute, from the cohort the approval allows now: computed again when
///   the result is released, so a participant who withdrew in between is noticed;
/// - a synchronous run over that data that returns only what passed the airlock, and what each
///   released figure tells, for the disclosure ledger.
public protocol VisitingAnalysis: Sendable {
    /// The catalogue entry: name (the policy's `analysis:NAME`), parameters, output, airlock rules.
    static var entry: AnalysisCatalogue.Entry { get }
    /// Validates a member's parameters.
    init(parameters: JSONValue) throws(GatewayError)
    /// The parameters as canonical JSON (what the job stores and the audit records).
    var canonicalParameters: JSONValue { get }
    /// Cancer types the parameters name (NCIt CURIEs), for the consent check.
    var cancerTypes: [String] { get }
    /// The stretches of the variant store the run reads, in the order ``AnalysisInput/variants`` holds them.
    var regions: [GenomicRegion] { get }
    /// The regions whose carriers it counts as one figure (burden and co-occurrence units);
    /// empty for analyses that count variant by variant.
    var countedUnits: [CountedUnit] { get }
    /// The samples whose data the result is computed from; throws `bad_request` naming the
    /// parameter when a group is below the minimum size.
    func contributors(in cohort: AnalysisCohort, control: DisclosureControl) throws(GatewayError) -> SampleSet
    /// Computes the result. CPU work only: the environment runs it off the event loops and
    /// stops it through ``JobProgress`` (check ``JobProgress/checkCancelled()`` as you go).
    func run(_ input: AnalysisInput) throws(GatewayError) -> AnalysisOutcome
}

extension VisitingAnalysis {
    /// The analysis's name.
    public static var name: String { entry.name }

    public var countedUnits: [CountedUnit] { [] }
}

/// What one run reads: the cohort the approval allows, the variants of each region the
/// analysis named, the airlock its output goes through, and where it reports progress.
public struct AnalysisInput: Sendable {
    public var cohort: AnalysisCohort
    /// The stored variants of each of ``VisitingAnalysis/regions``, in that order, by position.
    public var variants: [[VariantRecord]]
    public var airlock: TableAirlock
    public var progress: JobProgress

    public init(cohort: AnalysisCohort, variants: [[VariantRecord]], airlock: TableAirlock, progress: JobProgress = JobProgress()) {
        self.cohort = cohort
        self.variants = variants
        self.airlock = airlock
        self.progress = progress
    }

    /// The gateway's disclosure control (the airlock's).
    public var control: DisclosureControl { airlock.control }
}

/// What a run produced: the output that passed the airlock (JSON), the airlock's record, and
/// what the released figures tell (charged to the disclosure ledger before the result leaves).
public struct AnalysisOutcome: Sendable {
    /// The output document (JSON), holding only released figures and the airlock's findings.
    public var output: String
    /// How many outputs (tables, histograms, statistics) the airlock looked at, and how many it masked.
    public var outputs: Int
    public var masked: Int
    /// Cells and statistics masked or withheld, counted over every finding.
    public var maskedCells: Int
    /// Masked outputs by the rule that masked them (`threshold`: 2); the masking that follows
    /// (complementary cells, derived statistics) is not counted again.
    public var rules: [String: Int]
    public var releases: [SubjectRelease]

    /// Encodes `output` (sorted keys) and summarises `findings` (one list per output).
    public init<Output: Encodable>(output: Output, findings: [[AirlockFinding]], releases: [SubjectRelease]) throws(GatewayError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        do {
            self.output = String(decoding: try encoder.encode(output), as: UTF8.self)
        } catch {
            throw GatewayError(.internalError, "the analysis output cannot be encoded: \(error)")
        }
        outputs = findings.count
        masked = findings.filter { !$0.isEmpty }.count
        maskedCells = findings.joined().reduce(0) { $0 + $1.cells.count }
        var rules: [String: Int] = [:]
        for list in findings where !list.isEmpty {
            let causes = list.map(\.rule).filter { $0 != .complementary && $0 != .derivedStatistics }
            for rule in Set(causes.map(\.rawValue)) { rules[rule, default: 0] += 1 }
        }
        self.rules = rules
        self.releases = releases
    }

    /// `released 37 of 40 outputs; masked 3 (disclosive-table 2, threshold 1)`: what the audit record says.
    public var summary: String {
        var text = "released \(outputs - masked) of \(outputs) outputs"
        if masked > 0 {
            text += "; masked \(masked) (" + rules.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")"
        }
        return text
    }
}
