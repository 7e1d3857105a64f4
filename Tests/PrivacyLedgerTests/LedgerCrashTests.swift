import Foundation
import GatewayCore
import GatewayTestSupport
import Synchronization
import Testing
@testable import PrivacyLedger

/// The ledger survives SIGKILL: a child process (this test binary, running only
/// ``childChargesUntilKilled()``) charges in a loop from 4 concurrent tasks and reports each
/// committed charge on stdout; the parent kills it with SIGKILL at a random moment, reopens
/// the file, and finds every reported charge. Three kills on one file.
@Suite("Disclosure ledger survives SIGKILL")
struct LedgerCrashTests {
    static let prefix = "LEDGER-COMMITTED "
    static let approval = LedgerAccountKey.approval("crash")
    static let member = LedgerAccountKey.member("crash")
    /// A budget no run exhausts: a parent starved of CPU may kill its child only after many
    /// thousands of charges (a budget of 100 ran out in CI, and the child stopped with
    /// `privacy_budget_exhausted` before reporting any charge of the next run).
    static let budget = 1e12

    /// The file through which the parent tells its child what to do: `<ledger path>\n<run>`.
    static func marker(parent: pid_t) -> String { NSTemporaryDirectory() + "genomegate-ledger-crash-child-\(parent)" }

    static let childOrder: (path: String, run: Int)? = {
        guard let text = try? String(contentsOfFile: marker(parent: getppid()), encoding: .utf8) else { return nil }
        let lines = text.split(separator: "\n")
        guard lines.count == 2, let run = Int(lines[1]) else { return nil }
        return (String(lines[0]), run)
    }()

    @Test("(child process only) charge in a loop until killed", .enabled(if: childOrder != nil))
    func childChargesUntilKilled() async throws {
        let order = try #require(Self.childOrder)
        let fixture = LedgerFixture(people: 1000)
        let people = fixture.personOfSample
        let ledger = try DisclosureLedger(path: order.path, settings: PrivacySettings())
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<4 {
                group.addTask {
                    for index in 0... {
                        let subject = "r\(order.run)-t\(task)-\(index)"
                        // Every 8th request over a new pool (everyone but 5 people), so pools are written too.
                        let pool = index % 8 == 0 ? fixture.everyone(except: Set((0..<5).map { (index / 8 * 5 + $0 + task * 250) % 1000 })) : fixture.everyone
                        _ = try ledger.charge([LedgerFixture.subject(subject, pool)], accounts: [(Self.approval, Self.budget), (Self.member, Self.budget)],
                                                    personOfSample: people)
                        let line = Array((Self.prefix + subject + "\n").utf8)
                        _ = line.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    @Test("3 SIGKILLs while charging: every charge reported committed is in the reopened ledger")
    func killedWhileCharging() async throws {
        let path = temporaryLedgerPath("crash")
        let marker = Self.marker(parent: getpid())
        defer { try? FileManager.default.removeItem(atPath: marker) }
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        var reported: Set<String> = []
        for run in 0..<3 {
            try "\(path)\n\(run)".write(toFile: marker, atomically: true, encoding: .utf8)
            let child = try ChildProcess([executable, "--testing-library", "swift-testing", "--filter", "childChargesUntilKilled"], output: true, error: true)
            let lines = Mutex<[String]>([])
            let output = child.standardOutput!
            let reader = Task { try await offThread { () -> Void in
                var pending = Data()
                while let chunk = try output.read(upToCount: 4096), !chunk.isEmpty {
                    pending += chunk
                    while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                        let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                        pending = Data(pending[(newline + 1)...])
                        if line.hasPrefix(Self.prefix) { lines.withLock { $0.append(String(line.dropFirst(Self.prefix.count))) } }
                    }
                }
            } }
            // The child's own messages (swift-testing's report, an error opening the ledger),
            // kept to say why if it reports too few charges.
            let errorOutput = child.standardError!
            let diagnostics = Task { try await offThread { () -> String in
                var kept = Data()
                while let chunk = try errorOutput.read(upToCount: 4096), !chunk.isEmpty {
                    kept += chunk
                    if kept.count > 16_384 { kept = Data(kept.suffix(8_192)) }
                }
                return String(decoding: kept, as: UTF8.self)
            } }
            // Wait for the first charges, then kill at a random moment.
            let started = Date()
            let deadline = started.addingTimeInterval(120)
            while lines.withLock({ $0.count }) < 20 && Date() < deadline && child.isRunning { try await Task.sleep(for: .milliseconds(5)) }
            let exitedByItself = !child.isRunning
            try await Task.sleep(for: .milliseconds(Int.random(in: 0...150)))
            child.send(SIGKILL)
            try await offThread { child.waitUntilExit() }
            try await reader.value
            let childMessages = try await diagnostics.value
            let committed = lines.withLock { $0 }
            #expect(!exitedByItself, "run \(run): the child exited by itself (status \(child.terminationStatus)) after \(Date().timeIntervalSince(started)) s: \(childMessages)")
            #expect(committed.count >= 20, "the child reported \(committed.count) charges in run \(run) within \(Date().timeIntervalSince(started)) s: \(childMessages)")
            reported.formUnion(committed)
        }
        let ledger = try DisclosureLedger(path: path, settings: PrivacySettings())
        for key in [Self.approval, Self.member] {
            let subjects = try #require(ledger.account(key)).subjects
            let missing = reported.filter { subjects[$0] == nil }
            #expect(missing.isEmpty, "\(key): \(missing.count) of \(reported.count) reported charges are missing, e.g. \(missing.prefix(3))")
            #expect(subjects.count >= reported.count)
        }
        // Each person's exposure is what the subjects stored imply (nothing half-written).
        let account = try #require(ledger.account(Self.approval))
        #expect(account.spent > 0 && account.spent <= Double(account.subjects.count) * 2 * MembershipSignal.charge(frequency: 0.5, cellSamples: 1990, noiseVariance: 0))
    }
}
