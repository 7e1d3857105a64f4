import GatewayCore

/// One part of the gateway `/readyz` asks about (README "Metrics and health"): the policy
/// store, the audit log, the variant store.
///
/// `probe` returns nil when the part can serve, else what is wrong (for operators: the
/// `detail` of the 503 body, never data about a person).
public struct ReadinessCheck: Sendable {
    /// Stable name in the 503 body's `failing` list: `policy`, `audit`, `variants`.
    public var name: String
    public var probe: @Sendable () async -> String?

    public init(name: String, probe: @escaping @Sendable () async -> String?) {
        self.name = name
        self.probe = probe
    }

    /// Runs every check at once, each given at most `timeout` (a hung disk must not hang the
    /// health check: a probe that has not answered counts as failing).
    public static func run(_ checks: [ReadinessCheck], timeout: Duration = .seconds(2)) async -> ReadinessReport {
        let results = await withTaskGroup(of: (Int, String?).self, returning: [(Int, String?)].self) { group in
            for (index, check) in checks.enumerated() {
                group.addTask { (index, await check.probeWithin(timeout)) }
            }
            var results: [(Int, String?)] = []
            for await result in group { results.append(result) }
            return results
        }
        var failures: [ReadinessReport.Failure] = []
        for (index, detail) in results.sorted(by: { $0.0 < $1.0 }) {
            if let detail { failures.append(.init(name: checks[index].name, detail: detail)) }
        }
        return ReadinessReport(failures: failures)
    }

    /// The probe's answer, or a failure once `timeout` has passed (the probe keeps running
    /// detached; its late answer is dropped).
    func probeWithin(_ timeout: Duration) async -> String? {
        let probe = self.probe
        let (stream, continuation) = AsyncStream.makeStream(of: String?.self)
        let work = Task { continuation.yield(await probe()); continuation.finish() }
        let timer = Task {
            try? await Task.sleep(for: timeout)
            continuation.yield("no answer within \(timeout)")
            continuation.finish()
        }
        var iterator = stream.makeAsyncIterator()
        let answer = await iterator.next() ?? "no answer"
        timer.cancel()
        _ = work
        return answer
    }
}

/// What `/readyz` found: ready, or the failing parts and why.
public struct ReadinessReport: Sendable, Equatable {
    public struct Failure: Sendable, Equatable {
        public var name: String
        public var detail: String
    }

    public var failures: [Failure]

    public var isReady: Bool { failures.isEmpty }

    /// `{"status":"ready"}` or `{"status":"unready","failing":["audit"],"detail":{"audit":"..."}}`.
    public var json: String {
        guard !isReady else { return #"{"status":"ready"}"# }
        let names = failures.map { quoted($0.name) }.joined(separator: ",")
        let details = failures.map { quoted($0.name) + ":" + quoted($0.detail) }.joined(separator: ",")
        return #"{"status":"unready","failing":["# + names + #"],"detail":{"# + details + "}}"
    }

    private func quoted(_ text: String) -> String {
        var json = ""
        JSONValue.appendString(text, to: &json)
        return json
    }
}
