import Foundation

/// A visiting-analysis job as stored: who asked for what, under which approval, where it is
/// in its lifecycle, and its result once the airlock let it out.
public struct AnalysisJob: Sendable, Hashable {
    /// An unguessable id: 128 random bits as 32 hex digits.
    public var id: String
    /// The submitting member: the only one who sees the job.
    public var member: String
    /// The approval the job runs under (checked again at release).
    public var approval: String
    /// The analysis's catalogue name (`allelic-association`).
    public var analysis: String
    /// Its parameters as the member sent them, validated (canonical JSON).
    public var parameters: String
    public var lifecycle: JobLifecycle
    public var submittedAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    /// The released result (JSON), once it passed the airlock.
    public var result: String?

    /// A new queued job with a fresh id.
    public init(member: String, approval: String, analysis: String, parameters: String, submittedAt: Date = Date()) {
        self.id = Self.newIdentifier()
        self.member = member
        self.approval = approval
        self.analysis = analysis
        self.parameters = parameters
        self.lifecycle = JobLifecycle()
        self.submittedAt = submittedAt
    }

    /// 128 bits from the system's random source, as 32 lowercase hex digits.
    public static func newIdentifier() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<2).map { _ in
            let word = generator.next() as UInt64
            let hex = String(word, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }

    /// Whether `text` has the form of a job id (so anything else is refused before any lookup).
    public static func isIdentifier(_ text: String) -> Bool {
        text.utf8.count == 32 && text.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }
    }
}
