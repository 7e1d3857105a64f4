import ArgumentParser
import Foundation
import GatewayCore
import PrivacyLedger
import VariantStore

/// `genomegate privacy-bench` (hidden; used by scripts/bench-privacy): times the disclosure
/// ledger alone: one charge per distinct subject over a whole synthetic cohort, to an
/// approval's and a member's account (as the gateway charges an allele-frequency answer),
/// each written to `privacy.ledger` before the call returns.
struct PrivacyBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "privacy-bench",
        abstract: "Time disclosure-ledger charges on a synthetic cohort (for scripts/bench-privacy).",
        shouldDisplay: false
    )

    @Option(help: "Folder for the ledger's privacy.ledger (created; must not hold a ledger).") var dataDir: String
    @Option(help: "Samples in the cohort (two per person).") var samples: Int = 2_000
    @Option(help: "Charges to time (each a new subject).") var charges: Int = 5_000
    @Option(help: "Charges in flight at once.") var concurrency: Int = 1

    func validate() throws {
        guard (2...1_000_000).contains(samples), samples % 2 == 0 else { throw ValidationError("--samples must be even, 2...1000000") }
        guard (1...10_000_000).contains(charges) else { throw ValidationError("--charges must be 1...10000000") }
        guard (1...1_024).contains(concurrency) else { throw ValidationError("--concurrency must be 1...1024") }
    }

    func run() async throws {
        let path = dataDir + "/" + DisclosureLedger.fileName
        guard !FileManager.default.fileExists(atPath: path) else { throw ValidationError("\(path) exists; give an empty folder") }
        let settings = PrivacySettings(enabled: true, approvalBudget: PrivacySettings.maximumBudget, memberBudget: PrivacySettings.maximumBudget)
        let ledger = try DisclosureLedger(path: path, settings: settings)
        let cohort = SampleSet.all(capacity: samples)
        let personOfSample = (0..<samples).map { $0 / 2 }
        let accounts: [(key: LedgerAccountKey, budget: Double)] = [(.approval("A-BENCH"), 100), (.member("bench-member"), 100)]
        // Common variants (frequency 0.05...0.5), as the gateway bench asks; the worst-case
        // attacker's signal of each is tiny, so 100 covers every charge.
        func release(_ number: Int) -> [SubjectRelease] {
            let frequency = 0.05 + 0.45 * Double(number % 1000) / 1000
            // As an allele-frequency answer releases it: whether the variant is listed, then its counts.
            return [SubjectRelease(subject: "bench:\(number):A:G|listed>=100", pools: [PoolRelease(samples: cohort, frequency: 0, presenceOnly: true, presenceCharge: 0.006)]),
                    SubjectRelease(subject: "bench:\(number):A:G", pools: [PoolRelease(samples: cohort, frequency: frequency, noiseVariance: 2)])]
        }
        _ = try ledger.charge(release(-1), accounts: accounts, personOfSample: personOfSample)  // registers the pool
        let perWorker = (charges + concurrency - 1) / concurrency
        let started = DispatchTime.now().uptimeNanoseconds
        let times = try await withThrowingTaskGroup(of: [UInt64].self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    var times: [UInt64] = []
                    for number in stride(from: worker * perWorker, to: min(charges, (worker + 1) * perWorker), by: 1) {
                        let start = DispatchTime.now().uptimeNanoseconds
                        let charge = try ledger.charge(release(number), accounts: accounts, personOfSample: personOfSample)
                        times.append(DispatchTime.now().uptimeNanoseconds - start)
                        guard charge.accounts.allSatisfy({ $0.added > 0 }) else { throw ValidationError("charge \(number) was free") }
                    }
                    return times
                }
            }
            var all: [UInt64] = []
            for try await times in group { all += times }
            return all.sorted()
        }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        func percentile(_ p: Double) -> Double { Double(times[min(times.count - 1, Int(Double(times.count) * p))]) / 1000 }
        let mean = Double(times.reduce(0, +)) / Double(times.count) / 1000
        let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        print(String(format: "ledger: %d charges over %d samples (%d people), 2 accounts, concurrency %d: mean %.1f us, p50 %.1f us, p99 %.1f us per charge (committed); %.0f charges/s; spent %.3f; ledger file %.1f MiB",
                     times.count, samples, samples / 2, concurrency, mean, percentile(0.5), percentile(0.99), Double(times.count) / elapsed,
                     ledger.spent(.approval("A-BENCH")), Double(bytes) / 1_048_576))
    }
}
