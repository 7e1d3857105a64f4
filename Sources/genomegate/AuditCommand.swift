import ArgumentParser
import AuditLog
import Foundation
import GatewayCore

/// `genomegate audit`: export and verify the audit log, for the audit department.
/// Nothing here (or anywhere) removes or changes a record.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Export the audit log and its signed checkpoints; verify an export.",
        subcommands: [Export.self, Checkpoints.self, Verify.self, Bench.self]
    )

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write audit records as JSON Lines (verifiable) or CSV, oldest first.",
            discussion: "The same range exported twice is identical. Filters by member, organization, approval or decision give a readable subset, which verify cannot check for gaps."
        )
        @Option(name: .customLong("data-dir"), help: "The gateway's data folder (holds audit.sqlite).") var dataDir: String
        @Option(name: .customLong("from-sequence")) var fromSequence: Int?
        @Option(name: .customLong("to-sequence")) var toSequence: Int?
        @Option(name: .customLong("from-time"), help: "RFC 3339, inclusive.") var fromTime: String?
        @Option(name: .customLong("to-time"), help: "RFC 3339, exclusive.") var toTime: String?
        @Option var member: String?
        @Option var organization: String?
        @Option var approval: String?
        @Option(help: "allow or deny.") var decision: String?
        @Option(help: "jsonl or csv.") var format: String = "jsonl"
        @Option(help: "Write here instead of standard output.") var out: String?

        func run() async throws {
            guard format == "jsonl" || format == "csv" else { throw ValidationError("--format must be jsonl or csv") }
            var query = AuditQuery()
            query.fromSequence = fromSequence
            query.toSequence = toSequence
            query.fromTime = try fromTime.map(Self.time)
            query.toTime = try toTime.map(Self.time)
            query.member = member
            query.organization = organization
            query.approval = approval
            if let decision {
                guard decision == "allow" || decision == "deny" else { throw ValidationError("--decision must be allow or deny") }
                query.decision = decision
            }
            try AuditFailure.requireStore(dataDir)
            let database = try AuditFailure.run { () throws(GatewayError) in try AuditDatabase(folder: dataDir) }
            let output = try AuditOutput(path: out)
            if format == "csv" { output.write(AuditRecord.csvColumns.joined(separator: ",") + "\n") }
            var after = 0, count = 0
            while true {
                let page: [AuditEntry]
                do { page = try await database.records(query, after: after, limit: 1000) } catch {
                    FileHandle.standardError.write(Data("genomegate: error: \(error.message)\n".utf8))
                    throw ExitCode(74)
                }
                guard let last = page.last else { break }
                var text = ""
                for entry in page { text += (format == "csv" ? try entry.csvRow() : entry.line) + "\n" }
                output.write(text)
                count += page.count
                after = last.sequence
            }
            output.close()
            FileHandle.standardError.write(Data("genomegate: exported \(count) audit records\n".utf8))
        }

        static func time(_ text: String) throws -> String {
            guard let date = AuditTime.parse(text) else { throw ValidationError("'\(text)' is not an RFC 3339 time") }
            return AuditTime.format(date)
        }
    }

    struct Checkpoints: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write the signed checkpoints as JSON Lines, oldest first.")
        @Option(name: .customLong("data-dir"), help: "The gateway's data folder (holds audit.sqlite).") var dataDir: String
        @Option(help: "Write here instead of standard output.") var out: String?

        func run() async throws {
            try AuditFailure.requireStore(dataDir)
            let database = try AuditFailure.run { () throws(GatewayError) in try AuditDatabase(folder: dataDir) }
            let checkpoints: [AuditCheckpointEntry]
            do { checkpoints = try await database.checkpoints() } catch {
                FileHandle.standardError.write(Data("genomegate: error: \(error.message)\n".utf8))
                throw ExitCode(74)
            }
            let output = try AuditOutput(path: out)
            output.write(checkpoints.map { $0.line + "\n" }.joined())
            output.close()
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check an export: contiguous sequences, every hash, every checkpoint signature, nothing dropped.",
            discussion: "Exits 0 and prints a summary when the export verifies; exits 1 naming the first bad line otherwise."
        )
        @Argument(help: "Records exported as JSON Lines.") var file: String
        @Option(help: "Checkpoints exported as JSON Lines (required: without them nothing is signed).") var checkpoints: String
        @Option(name: .customLong("to-sequence"), help: "The end of a range export (at a checkpoint); later checkpoints are not expected.") var toSequence: Int?
        @Option(name: .customLong("public-key"), help: "The audit public key, PEM.") var publicKey: String

        func run() throws {
            func lines(_ path: String) throws -> [Substring] {
                guard let data = FileManager.default.contents(atPath: path), let text = String(validating: data, as: UTF8.self) else {
                    FileHandle.standardError.write(Data("genomegate: error: \(path) cannot be read as UTF-8 text\n".utf8))
                    throw ExitCode(66)
                }
                return text.split(separator: "\n", omittingEmptySubsequences: false)
            }
            guard let keyData = FileManager.default.contents(atPath: publicKey) else {
                FileHandle.standardError.write(Data("genomegate: error: \(publicKey) cannot be read\n".utf8))
                throw ExitCode(66)
            }
            let key = try AuditFailure.run { () throws(GatewayError) in try AuditSignatureVerifier(publicKeyPEM: String(decoding: keyData, as: UTF8.self)) }
            let verifier = AuditVerifier(publicKey: key)
            do {
                let report = try verifier.verify(records: try lines(file), recordsFile: file,
                                                 checkpoints: try lines(checkpoints), checkpointsFile: checkpoints,
                                                 toSequence: toSequence, requireSignedEnd: true)
                let range = report.firstSequence.map { "sequences \($0)...\(report.lastSequence ?? $0)" } ?? "no records"
                print("genomegate: verified \(report.records) records (\(range)) and \(report.checkpoints) signed checkpoints"
                      + (report.lastCheckpointedSequence.map { "; signed up to sequence \($0)" } ?? "; no checkpoint within the export"))
            } catch {
                FileHandle.standardError.write(Data("genomegate: verification failed: \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
    }
}

/// `genomegate audit bench` (hidden; used by scripts/bench-audit): durable records per second
/// at the store, appended by many concurrent writers, with group commit or one commit each.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Time durable audit appends (for scripts/bench-audit).", shouldDisplay: false)
    @Option(name: .customLong("data-dir"), help: "An empty folder for the benchmark's audit.sqlite.") var dataDir: String
    @Option(name: .customLong("signing-key")) var signingKey: String
    @Option var records: Int = 100_000
    @Option var concurrency: Int = 256
    @Flag(name: .customLong("commit-per-record")) var commitPerRecord = false

    func run() async throws {
        let signer = try AuditFailure.run { () throws(GatewayError) in try AuditSigner(privateKeyPath: signingKey) }
        var settings = AuditLog.Settings()
        settings.groupCommit = !commitPerRecord
        let log = try AuditFailure.run { () throws(GatewayError) in try AuditLog(folder: dataDir, signer: signer, settings: settings) }
        let template = AuditRecord(
            time: Date(), requestID: String(repeating: "a", count: 32), certificateFingerprint: String(repeating: "b", count: 64),
            certificateSubject: "CN=researcher-jp,O=Kyoto University,C=JP", member: "researcher-jp", organization: "kyoto-u", country: "JP",
            role: "researcher", remoteAddress: "127.0.0.1:50000", method: "GET", path: "/api/biosamples",
            query: "referenceName=1&requestedGranularity=count&start=2999", approval: "A-2026-001", policyVersion: 1, decision: "allow",
            reasons: [], cohortRestriction: nil, returned: .init(kind: "beacon-count", contributingSamples: 58, suppressedCells: 0),
            status: 200, bytes: 577, durationMicroseconds: 800
        )
        let total = records, writers = concurrency
        let started = ContinuousClock.now
        var latencies: [Duration] = []
        await withTaskGroup(of: [Duration].self) { group in
            group.addTask {
                for await _ in log.wakeups { await log.writePending() }
                return []
            }
            for writer in 0..<writers {
                group.addTask {
                    var own: [Duration] = []
                    var index = writer
                    while index < total {
                        var record = template
                        record.requestID = String(format: "%032x", index)
                        let begin = ContinuousClock.now
                        _ = try? await log.append(record)
                        own.append(ContinuousClock.now - begin)
                        index += writers
                    }
                    return own
                }
            }
            var finished = 0
            for await own in group {
                latencies += own
                finished += 1
                if finished == writers { await log.close() }
            }
        }
        let elapsed = (ContinuousClock.now - started).components
        let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        latencies.sort()
        func milliseconds(_ p: Double) -> Double {
            let value = latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))].components
            return Double(value.seconds) * 1000 + Double(value.attoseconds) / 1e15
        }
        print(String(format: "%@: %d records, %d writers, %.2f s, %.0f durable records/s; append latency p50 %.2f ms, p99 %.2f ms; head %d",
                     commitPerRecord ? "one commit per record" : "group commit", total, writers, seconds, Double(total) / seconds,
                     milliseconds(0.5), milliseconds(0.99), log.headSequence))
    }
}

/// Standard output or a file.
final class AuditOutput {
    private let handle: FileHandle
    private let owned: Bool

    init(path: String?) throws {
        guard let path else {
            handle = .standardOutput
            owned = false
            return
        }
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            FileHandle.standardError.write(Data("genomegate: error: \(path) cannot be written\n".utf8))
            throw ExitCode(73)
        }
        self.handle = handle
        owned = true
    }

    func write(_ text: String) { handle.write(Data(text.utf8)) }
    func close() { if owned { try? handle.close() } }
}

enum AuditFailure {
    /// A mistyped `--data-dir` must not create an empty store and export nothing.
    static func requireStore(_ folder: String) throws {
        let path = (folder as NSString).appendingPathComponent(AuditDatabase.fileName)
        guard FileManager.default.fileExists(atPath: path) else {
            FileHandle.standardError.write(Data("genomegate: error: no audit log at \(path)\n".utf8))
            throw ExitCode(66)
        }
    }

    static func run<T>(_ body: () throws(GatewayError) -> T) throws -> T {
        do { return try body() } catch {
            FileHandle.standardError.write(Data("genomegate: error: \(error.message)\n".utf8))
            throw ExitCode(error.code == .auditUnavailable ? 74 : 65)
        }
    }
}
