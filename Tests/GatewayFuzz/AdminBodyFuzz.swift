import Foundation
import GatewayCore
import GatewayPolicy
import Yams
@testable import GatewayServer
@testable import PolicyStore

/// The secretariat's admin API bodies, decoded as the routes decode them, applied to a small
/// stored policy and validated; and JSON merge patches of an approval (`PATCH /api/admin/approvals/{id}`).
enum AdminBodyFuzz {
    static let now = Date(timeIntervalSince1970: 1_780_000_000)

    /// The stored policy the changes apply to: one approval of policy/approvals.yaml.
    static let baseApproval: Approval = {
        let yaml = """
        approvals:
          - id: A-2026-001
            decision_reference: DURC-2026-001
            decision_date: 2026-03-15
            title: Germline and somatic drivers of colorectal and gastric carcinoma
            purpose: causal-gene-research
            organization: kyoto-u
            members: [researcher-jp]
            scope:
              datasets: [demo-wgs]
              query_kinds: [beacon-boolean, beacon-count, allele-frequency, cohort-summary]
            commercial_use: false
            valid_from: 2026-04-01
            valid_until: 2030-03-31
            legal_basis: none
        """
        do { return try YAMLDecoder().decode([String: [Approval]].self, from: yaml)["approvals"]![0] } catch {
            fatalError("the base approval does not decode: \(error)")
        }
    }()

    static let baseState: PolicyState = {
        var state = PolicyState()
        state.approvals[baseApproval.id] = baseApproval
        return state
    }()

    /// The first byte picks the body kind; the rest is the body.
    static let target = FuzzTarget(name: "admin-json") { data in
        guard let selector = data.first else { return }
        let body = Data(data.dropFirst())
        switch selector % 8 {
        case 0: decodeAndApply(Approval.self, body, what: "approval", PolicyChange.createApproval)
        case 1: decodeAndApply(Member.self, body, what: "member", PolicyChange.registerMember)
        case 2: decodeAndApply(CertificateIdentity.self, body, what: "certificate") { .addCertificate($0, to: "researcher-jp") }
        case 3: decodeAndApply(Organization.self, body, what: "organization", PolicyChange.saveOrganization)
        case 4: decodeAndApply(EquivalentJurisdiction.self, body, what: "equivalence entry", PolicyChange.saveJurisdiction)
        case 5:
            guard let list = try? PolicyJSON.decode(AdminBodies.EquivalenceList.self, from: body, what: "equivalence list") else { return }
            checkReencoding(list.equivalent)
            apply(.replaceJurisdictions(list.equivalent))
        case 6:
            guard let withdrawals = try? Admin.parseWithdrawalJSON(body, now: now) else { return }
            apply(.recordWithdrawals(withdrawals))
        default:
            _ = try? AdminBodies.reasonSummary(body)
        }
    }

    /// `PATCH /api/admin/approvals/A-2026-001` with the input as merge patch.
    static let approvalPatch = FuzzTarget(name: "approval-patch") { data in
        guard let merged = try? ApprovalPatch.merge(data, into: baseApproval, what: "amendment") else { return }
        guard merged.id == baseApproval.id, merged.status == baseApproval.status else {
            fuzzFailure("a merge patch changed the approval's id or status")
        }
        checkReencoding(merged)
        apply(PolicyChange.amendApproval(baseApproval.id) { _ in merged })
    }

    static func decodeAndApply<Value: Codable & Equatable>(
        _ type: Value.Type, _ body: Data, what: String, _ change: (Value) -> PolicyChange
    ) {
        guard let value = try? PolicyJSON.decode(Value.self, from: body, what: what) else { return }
        checkReencoding(value)
        apply(change(value))
    }

    /// Applies `change` to the base policy and validates the result, as a commit does.
    static func apply(_ change: PolicyChange) {
        var state = baseState
        do { try change.edit(&state, now) } catch { return }
        _ = PolicyValidation.problems(in: state, changedFrom: baseState)
    }

    /// What the store writes for an accepted value must read back, and write the same again.
    static func checkReencoding<Value: Codable>(_ value: Value) {
        do {
            let encoded = try PolicyJSON.encoder.encode(value)
            let decoded = try PolicyJSON.decode(Value.self, from: encoded, what: "re-encoded")
            let again = try PolicyJSON.encoder.encode(decoded)
            guard again == encoded else {
                fuzzFailure("\(Value.self) re-encodes differently:\n\(String(decoding: encoded, as: UTF8.self))\n\(String(decoding: again, as: UTF8.self))")
            }
        } catch {
            fuzzFailure("an accepted \(Value.self) does not survive storing: \(error)")
        }
    }
}
