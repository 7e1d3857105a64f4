import ArgumentParser
import Foundation
import GatewayCore
import GatewayPolicy
import PolicyStore

/// `genomegate policy bench` (hidden; used by scripts/bench-policy): adds a synthetic
/// consortium to a policy store and times policy decisions and reloads on it.
struct PolicyBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time policy decisions on a large synthetic policy (for scripts/bench-policy).",
        shouldDisplay: false
    )

    @OptionGroup var store: PolicyStoreOptions
    @Option(help: "Synthetic approvals to add.") var approvals: Int = 10_000
    @Option(help: "Synthetic members to add.") var members: Int = 5_000
    @Option(help: "Synthetic withdrawn participants to add.") var withdrawals: Int = 100_000
    @Option(help: "Decisions to time.") var decisions: Int = 200_000

    func run() throws {
        let database = try store.open()
        var generator = SystemRandomNumberGenerator()
        let now = Date()
        // The synthetic consortium: organizations in a mix of countries, researchers with approvals.
        var state = PolicyState()
        let countries = ["JP", "JP", "DE", "GB", "US", "FR", "CA", "SG", "KR", "AU"]
        let organizationCount = max(1, members / 10)
        for number in 0..<organizationCount {
            let id = "bench-org-\(number)"
            state.organizations[id] = Organization(id: id, name: "Organization \(number)", kind: number % 3 == 0 ? .industry : .academia,
                                                   country: countries[number % countries.count])
        }
        for number in 0..<members {
            let id = "bench-member-\(number)"
            let fingerprint = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
            state.members[id] = Member(id: id, name: "Member \(number)", organization: "bench-org-\(number % organizationCount)",
                                       role: .researcher, certificates: [.fingerprint(fingerprint)])
        }
        let kinds: [QueryKind] = [.beaconBoolean, .beaconCount, .alleleFrequency, .cohortSummary]
        let bases = Approval.LegalBasis.allCases
        for number in 0..<approvals {
            let id = "bench-approval-\(number)"
            let member = number % members, organization = member % organizationCount
            let industry = organization % 3 == 0
            let basis = industry ? Approval.LegalBasis.none : bases[number % bases.count]
            state.approvals[id] = Approval(
                id: id, decisionReference: "BENCH-\(number)", decisionDate: now.addingTimeInterval(-86_400 * 30), title: "Benchmark approval \(number)",
                purpose: Approval.Purpose.allCases[number % Approval.Purpose.allCases.count], organization: "bench-org-\(organization)",
                members: ["bench-member-\(member)"],
                scope: .init(datasets: ["demo-wgs"], queryKinds: kinds, cancerTypes: number % 4 == 0 ? ["NCIT:C2916"] : nil),
                commercialUse: industry, validFrom: now.addingTimeInterval(-86_400), validUntil: now.addingTimeInterval(86_400 * 365),
                legalBasis: basis, status: number % 50 == 0 ? .suspended : .active
            )
        }
        for number in 0..<withdrawals {
            let id = String(format: "BENCH-P%07d", number)
            state.withdrawals[id] = Withdrawal(participantID: id, effectiveAt: now)
        }
        var started = DispatchTime.now().uptimeNanoseconds
        let receipt = try PolicyFailure.run { () throws(GatewayError) in
            try database.apply(.importing(state, from: "synthetic benchmark policy"), actor: store.actorName, channel: "import")
        }
        let importMilliseconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6
        let snapshot = receipt.snapshot
        print("policy: version \(snapshot.version); \(snapshot.state.organizations.count) organizations, \(snapshot.state.members.count) members, \(snapshot.state.approvals.count) approvals, \(snapshot.state.withdrawals.count) withdrawals")
        print(String(format: "commit of the synthetic policy: %.1f ms", importMilliseconds))

        started = DispatchTime.now().uptimeNanoseconds
        _ = PolicyValidation.problems(in: snapshot.state)
        let validateMilliseconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6
        started = DispatchTime.now().uptimeNanoseconds
        _ = try PolicyFailure.run { () throws(GatewayError) in try PolicySnapshot(version: snapshot.version, state: snapshot.state) }
        let indexMilliseconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6
        started = DispatchTime.now().uptimeNanoseconds
        _ = PolicyValidation.problems(in: snapshot.state, changedFrom: snapshot.state)
        let changeValidateMilliseconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6
        started = DispatchTime.now().uptimeNanoseconds
        _ = try PolicyFailure.run { () throws(GatewayError) in try PolicySnapshot(version: snapshot.version, state: snapshot.state, previous: snapshot) }
        let reindexMilliseconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6
        print(String(format: "whole-policy validation %.1f ms (after a change: %.1f ms); snapshot indexing %.1f ms (after a change: %.1f ms)",
                     validateMilliseconds, changeValidateMilliseconds, indexMilliseconds, reindexMilliseconds))

        // Decisions: random members, half naming their approval, half relying on the default.
        let engine = PolicyEngine()
        let memberList = snapshot.state.members.values.filter { $0.id.hasPrefix("bench-member-") }.sorted { $0.id < $1.id }
        var requests: [AccessRequest] = []
        requests.reserveCapacity(4096)
        for index in 0..<4096 {
            let member = memberList[Int.random(in: 0..<memberList.count, using: &generator)]
            let named = index % 2 == 0 ? snapshot.approvals(of: member.id).first?.id : nil
            let query = DataQuery(kind: kinds[index % kinds.count], approvalID: named, datasets: index % 3 == 0 ? ["demo-wgs"] : [],
                                  cancerTypes: index % 5 == 0 ? ["NCIT:C4872"] : [])
            requests.append(AccessRequest(member: member, action: .query(query), time: now))
        }
        var timings = [UInt64](repeating: 0, count: decisions)
        var allowed = 0
        for index in 0..<decisions {
            let request = requests[index & 4095]
            started = DispatchTime.now().uptimeNanoseconds
            let decision = engine.decide(request, in: snapshot)
            timings[index] = DispatchTime.now().uptimeNanoseconds - started
            if decision.isAllowed { allowed += 1 }
        }
        timings.sort()
        func percentile(_ p: Double) -> Double { Double(timings[min(timings.count - 1, Int(Double(timings.count) * p))]) / 1000 }
        print(String(format: "decisions: %d (%d allowed); p50 %.2f us, p99 %.2f us, p99.9 %.2f us, max %.1f us",
                     decisions, allowed, percentile(0.5), percentile(0.99), percentile(0.999), Double(timings.last ?? 0) / 1000))

        // A change committed by another connection (as the CLI is to a running gateway):
        // how long the first request after it waits for the new snapshot.
        let gateway = try store.open()
        started = DispatchTime.now().uptimeNanoseconds
        try PolicyFailure.run { () throws(GatewayError) in
            _ = try database.apply(.approvalStatus("bench-approval-1", .suspend), actor: store.actorName, channel: "cli")
        }
        let commitMilliseconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6
        started = DispatchTime.now().uptimeNanoseconds
        let noticed = try PolicyFailure.run { () throws(GatewayError) in try gateway.needsRefresh() }
        let checkMicroseconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e3
        started = DispatchTime.now().uptimeNanoseconds
        let fresh = try PolicyFailure.run { () throws(GatewayError) in try gateway.refreshIfChanged() }
        let reloadMilliseconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6
        var unchangedChecks = [UInt64](repeating: 0, count: 10_000)
        for index in unchangedChecks.indices {
            started = DispatchTime.now().uptimeNanoseconds
            _ = try PolicyFailure.run { () throws(GatewayError) in try gateway.needsRefresh() }
            unchangedChecks[index] = DispatchTime.now().uptimeNanoseconds - started
        }
        unchangedChecks.sort()
        print(String(format: "out-of-process change: commit %.1f ms; noticed by the next request's check: %@ (%.1f us); reload to version %d: %.1f ms",
                     commitMilliseconds, noticed ? "yes" : "no", checkMicroseconds, fresh.version, reloadMilliseconds))
        print(String(format: "per-request change check when nothing changed: p50 %.2f us, p99 %.2f us",
                     Double(unchangedChecks[5_000]) / 1000, Double(unchangedChecks[9_900]) / 1000))
        // Undo, so the store keeps serving the same policy.
        try PolicyFailure.run { () throws(GatewayError) in
            _ = try database.apply(.approvalStatus("bench-approval-1", .reinstate), actor: store.actorName, channel: "cli")
        }
    }
}
