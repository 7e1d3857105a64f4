import Foundation

/// Progress of a long command on stderr: a bar redrawn in place (records/s, ETA) on a
/// terminal, a plain line every ten seconds otherwise.
final class ProgressReporter {
    private let label: String
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private var lastReport: ContinuousClock.Instant
    private var drewBar = false

    init(label: String) {
        self.label = label
        start = clock.now
        lastReport = start
    }

    /// Seconds since the reporter was made.
    var elapsed: Double {
        let duration = start.duration(to: clock.now)
        return Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    var elapsedText: String { String(format: "%.1f s", elapsed) }

    /// `done` of `total` units (bytes) after `records` records.
    func report(records: Int, done: Int64, total: Int64) {
        let now = clock.now
        guard lastReport.duration(to: now) >= (isTerminal ? .milliseconds(200) : .seconds(10)) else { return }
        lastReport = now
        let seconds = max(elapsed, 0.001)
        let fraction = total > 0 ? min(Double(done) / Double(total), 1) : 0
        let rate = Double(records) / seconds
        let eta = fraction > 0.01 ? String(format: "%.0f s", seconds * (1 - fraction) / fraction) : "?"
        if isTerminal {
            let width = 30, filled = Int(fraction * Double(width))
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
            write(String(format: "\r%@ [%@] %3.0f%%  %d records  %.0f records/s  ETA %@ ", label, bar, fraction * 100, records, rate, eta))
            drewBar = true
        } else {
            write(String(format: "%@: %d records, %.0f%%, %.0f records/s, ETA %@\n", label, records, fraction * 100, rate, eta))
        }
    }

    /// Ends the bar's line.
    func finish() { if drewBar { write("\n") } }

    /// Ends the bar's line before an error is printed.
    func abandon() { finish() }

    private func write(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }
}
