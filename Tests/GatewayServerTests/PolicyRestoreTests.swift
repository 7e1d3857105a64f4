import Foundation
import GatewayCore
import GatewayPolicy
import GatewayTestSupport
import GRDB
import PolicyStore
import Testing

/// A policy store restored from backup in place under the running gateway, then changed by
/// another process so that the version number equals one the gateway already served: the
/// gateway must serve the new policy, not its cached one (issue 9, finding 4).
@Suite("Policy restored from backup")
struct PolicyRestoreTests {
    /// Copies the gateway's `policy.sqlite` with SQLite's backup API, as README says to.
    static func backup(_ data: String) throws -> DatabaseQueue {
        let copy = try DatabaseQueue(path: DevPKI.temporaryFolder("policy-backup") + "/" + PolicyDatabase.fileName)
        try DatabaseQueue(path: data + "/" + PolicyDatabase.fileName).backup(to: copy)
        return copy
    }

    /// Restores `backup` over the running gateway's `policy.sqlite`, in place.
    static func restore(_ backup: DatabaseQueue, to data: String) throws {
        try backup.backup(to: DatabaseQueue(path: data + "/" + PolicyDatabase.fileName))
    }

    @Test("restore, then a change by the CLI reusing the served version number: the approval it suspends is refused")
    func suspendedAfterRestore() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data) { gateway in
            let researcher = try await gateway.client("researcher-jp")
            let secretariat = try await gateway.client("secretariat")
            let backup = try Self.backup(data)  // version 1

            // Change X through the gateway: version 2, served.
            let withdrawn = try await PolicyAPITests.send(secretariat, "POST", "/api/admin/withdrawals", json: ["participant_id": "C10"])
            #expect(withdrawn.status == 201, "\(String(decoding: withdrawn.body, as: UTF8.self))")
            let before = try await PolicyAPITests.send(researcher, "GET", PolicyAPITests.everyone)
            #expect(try PolicyAPITests.count(before) == 56)
            #expect(before.headers["x-policy-version"] == "2")

            // Restore version 1 in place; then change Y by another process: version 2 again.
            try Self.restore(backup, to: data)
            let cli = try await Subprocess.run([CommandLineTests.binary, "approvals", "suspend", "A-2026-001", "--data-dir", data, "--reason", "after restore"])
            #expect(cli.status == 0, "\(cli.output)")
            #expect(cli.output.contains("policy version 2"), "\(cli.output)")

            let refused = try await PolicyAPITests.send(researcher, "GET", PolicyAPITests.everyone)
            #expect(refused.status == 403, "the gateway served its cached version 2, in which A-2026-001 is active")
            #expect(PolicyAPITests.errorCode(refused) == "approval_suspended")
            #expect(!String(decoding: refused.body, as: UTF8.self).contains("numTotalResults"))
        }
    }

    @Test("restore, then a withdrawal by another process reusing the served version number: the participant no longer counts")
    func withdrawnAfterRestore() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data) { gateway in
            let researcher = try await gateway.client("researcher-jp")
            let secretariat = try await gateway.client("secretariat")
            let backup = try Self.backup(data)  // version 1

            // Change X through the gateway (another researcher's approval): version 2, with
            // nobody withdrawn, served to a count query (the withdrawn samples are cached).
            let suspended = try await PolicyAPITests.send(secretariat, "POST", "/api/admin/approvals/A-2026-002/suspend", json: ["reason": "x"])
            #expect(suspended.status == 200, "\(String(decoding: suspended.body, as: UTF8.self))")
            let before = try await PolicyAPITests.send(researcher, "GET", PolicyAPITests.everyone)
            #expect(try PolicyAPITests.count(before) == 58)
            #expect(before.headers["x-policy-version"] == "2")

            // Restore version 1; another process records C10's withdrawal: version 2 again.
            try Self.restore(backup, to: data)
            let other = try PolicyDatabase(folder: data)
            let receipt = try other.apply(.recordWithdrawals([Withdrawal(participantID: "C10", effectiveAt: Date())]),
                                          actor: "operator:test", channel: "cli")
            #expect(receipt.version == 2)

            let after = try await PolicyAPITests.send(researcher, "GET", PolicyAPITests.everyone)
            #expect(after.status == 200)
            #expect(try PolicyAPITests.count(after) == 56, "C10's tumour and normal must no longer count")
            #expect(after.headers["x-policy-version"] == "2")

            // And the suspension X, which the restore took back, is gone: researcher-de is answered.
            let german = try await gateway.client("researcher-de")
            let answered = try await PolicyAPITests.send(german, "GET", PolicyAPITests.everyone)
            #expect(PolicyAPITests.errorCode(answered) != "approval_suspended", "\(answered.text)")
        }
    }
}
