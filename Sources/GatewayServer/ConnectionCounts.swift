/// How many connections are open, in total and per client certificate, against their caps.
///
/// A connection is counted in ``total`` from its accept to its close, and under its certificate's
/// fingerprint from its handshake to its close, and as pending (in total and under its remote
/// address) from its accept to the end of its handshake. Pure bookkeeping: ``ConnectionLimiter`` holds one
/// behind a lock.
struct ConnectionCounts: Sendable, Equatable {
    let maxTotal: Int
    let maxPerCertificate: Int
    private(set) var total = 0
    private(set) var perCertificate: [String: Int] = [:]
    let maxPending: Int
    let maxPendingPerAddress: Int
    /// Connections accepted whose handshake has not ended, by connection: their remote address.
    private(set) var pendingConnections: [ObjectIdentifier: String] = [:]
    private(set) var pendingPerAddress: [String: Int] = [:]

    /// Which cap refused a connection.
    enum Refusal: String, Sendable, Equatable {
        case total
        case pendingHandshakes = "pending handshakes"
        case pendingHandshakesPerAddress = "pending handshakes per address"
    }

    init(maxTotal: Int, maxPerCertificate: Int, maxPending: Int? = nil, maxPendingPerAddress: Int = .max) {
        self.maxTotal = maxTotal
        self.maxPerCertificate = maxPerCertificate
        self.maxPending = min(maxPending ?? max(1, maxTotal / 2), maxTotal)
        self.maxPendingPerAddress = maxPendingPerAddress
    }

    /// Counts an accepted connection, and as pending under `address`; the cap that refused it
    /// (nothing counted) otherwise.
    mutating func open(_ connection: ObjectIdentifier, address: String) -> Refusal? {
        guard total < maxTotal else { return .total }
        guard pendingConnections.count < maxPending else { return .pendingHandshakes }
        let held = pendingPerAddress[address, default: 0]
        guard held < maxPendingPerAddress else { return .pendingHandshakesPerAddress }
        total += 1
        pendingConnections[connection] = address
        pendingPerAddress[address] = held + 1
        return nil
    }

    /// The connection's handshake ended (completed, failed or closed); nothing if it was not pending.
    mutating func endHandshake(_ connection: ObjectIdentifier) {
        guard let address = pendingConnections.removeValue(forKey: connection) else { return }
        let held = pendingPerAddress[address, default: 0]
        if held <= 1 { pendingPerAddress[address] = nil } else { pendingPerAddress[address] = held - 1 }
    }

    var pending: Int { pendingConnections.count }

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
