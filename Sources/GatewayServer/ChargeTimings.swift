import Foundation
import Synchronization

/// How long each disclosure charge took in this process (README "Privacy"): the wall time of
/// ``DisclosureAccounting/charge(_:grant:catalog:context:)``, which is everything the ledger
/// adds to a request (budgets, waiting for the ledger's lock, the decision, the write).
/// Two histograms in whole microseconds (the last bucket holds 10 ms and more): wall time, and
/// the CPU time of the charging thread (wall time less preemption by other threads: on a busy
/// machine a few microseconds of work can be descheduled for hundreds). Summarised in the log
/// when the gateway stops; scripts/bench-privacy reads that line.
final class ChargeTimings: Sendable {
    private static let buckets = 10_001
    private let counts = Mutex<(wall: [Int], processor: [Int])>(([Int](repeating: 0, count: ChargeTimings.buckets),
                                                                 [Int](repeating: 0, count: ChargeTimings.buckets)))

    /// The calling thread's CPU time in nanoseconds.
    static func threadTime() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
    }

    /// Records one charge of `wall` nanoseconds that used `processor` nanoseconds of CPU.
    func record(wall: UInt64, processor: UInt64) {
        let wallBucket = Int(min(wall / 1_000, UInt64(Self.buckets - 1)))
        let processorBucket = Int(min(processor / 1_000, UInt64(Self.buckets - 1)))
        counts.withLock {
            $0.wall[wallBucket] += 1
            $0.processor[processorBucket] += 1
        }
    }

    /// `charges 1940, CPU p50 9 us, p99 19 us, max 60 us; wall p50 12 us, p99 210 us, max 400 us`,
    /// or nil when nothing was charged.
    func summary() -> String? {
        let both = counts.withLock { $0 }
        guard let processor = Self.summary(both.processor) else { return nil }
        return "charges \(both.processor.reduce(0, +)), CPU \(processor); wall \(Self.summary(both.wall) ?? "")"
    }

    private static func summary(_ counts: [Int]) -> String? {
        let total = counts.reduce(0, +)
        guard total > 0 else { return nil }
        func percentile(_ fraction: Double) -> Int {
            let rank = max(1, Int((Double(total) * fraction).rounded(.up)))
            var seen = 0
            for (bucket, count) in counts.enumerated() {
                seen += count
                if seen >= rank { return bucket }
            }
            return Self.buckets - 1
        }
        let maximum = counts.lastIndex { $0 > 0 } ?? 0
        let top = maximum == Self.buckets - 1 ? ">=\(maximum)" : "\(maximum)"
        return "p50 \(percentile(0.5)) us, p99 \(percentile(0.99)) us, max \(top) us"
    }
}
