/// How many connections are open, in total and per client certificate, against their caps.
///
/// A connection is counted in ``total`` from its accept to its close, and under its certificate's
/// fingerprint from its handshake to its close. Pure bookkeeping: ``ConnectionLimiter`` holds one
/// behind a lock.
struct ConnectionCounts: Sendable, Equatable {
    let maxTotal: Int
    let maxPerCertificate: Int
    private(set) var total = 0
    private(set) var perCertificate: [String: Int] = [:]

    init(maxTotal: Int, maxPerCertificate: Int) {
        self.maxTotal = maxTotal
        self.maxPerCertificate = maxPerCertificate
    }

    /// Counts an accepted connection; false (nothing counted) when the total cap is reached.
    mutating func open() -> Bool {
        guard total < maxTotal else { return false }
        total += 1
        return true
    }

    /// Uncounts a connection counted by ``open()``.
    mutating func close() {
        total = max(0, total - 1)
    }

    /// Counts a connection under its certificate; false (nothing counted) when that certificate
    /// already holds ``maxPerCertificate``.
    mutating func certify(_ fingerprint: String) -> Bool {
        let held = perCertificate[fingerprint, default: 0]
        guard held < maxPerCertificate else { return false }
        perCertificate[fingerprint] = held + 1
        return true
    }

    /// Uncounts a connection counted by ``certify(_:)``.
    mutating func release(_ fingerprint: String) {
        guard let held = perCertificate[fingerprint] else { return }
        if held <= 1 { perCertificate[fingerprint] = nil } else { perCertificate[fingerprint] = held - 1 }
    }
}
