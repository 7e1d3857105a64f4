import AuditLog
import Foundation
import GatewayCore
import GatewayPolicy
import Hummingbird
import NIOCore
import PolicyStore

/// The committee secretariat's API under `/api/admin/` (secretariat role only).
///
/// Every change is one transaction producing a new policy version, recorded with the
/// secretariat member as its author, and is in force before the answer is sent. Bodies are
/// JSON with the policy files' snake_case fields (withdrawals may also be CSV); a bad body is
/// `400 invalid_policy` naming the field, and nothing is applied.
enum AdminRoutes {
    static func register(on router: Router<GatewayRequestContext>, policy: PolicyService, queries: VariantQueryService, audit: AuditLog) {
        let admin = Admin(policy: policy, audit: audit, queries: queries)
        // Approvals.
        router.get("/api/admin/approvals", access: .administration) { _, context in
            try admin.list(context, \.approvals)
        }
        router.get("/api/admin/approvals/{id}", access: .administration) { _, context in
            try admin.one(context, \.approvals, kind: "approval")
        }
        router.post("/api/admin/approvals", access: .administration) { request, context in
            let approval = try PolicyJSON.decode(Approval.self, from: try await admin.data(request, context), what: "approval")
            let change: PolicyChange = .createApproval(approval)
            let receipt = try await admin.commit(change, context)
            return try Admin.answer(receipt, change, record: receipt.snapshot.state.approvals[approval.id], status: .created)
        }
        router.on("/api/admin/approvals/{id}", method: .patch, access: .administration) { request, context in
            let id = try context.parameters.require("id")
            let patch = try await admin.data(request, context)
            let change = PolicyChange.amendApproval(id) { current throws(GatewayError) in
                try ApprovalPatch.merge(patch, into: current, what: "amendment of approval \(id)")
            }
            let receipt = try await admin.commit(change, context)
            return try Admin.answer(receipt, change, record: receipt.snapshot.state.approvals[id])
        }
        for action in PolicyChange.StatusAction.allCases {
            router.post(RouterPath("/api/admin/approvals/{id}/\(action.rawValue)"), access: .administration) { request, context in
                let id = try context.parameters.require("id")
                var change = PolicyChange.approvalStatus(id, action)
                change.summary += try await admin.reason(request, context)
                let receipt = try await admin.commit(change, context)
                return try Admin.answer(receipt, change, record: receipt.snapshot.state.approvals[id])
            }
        }
        // The committee raises (or lowers) one approval's disclosure budget, with its reason.
        router.post("/api/admin/approvals/{id}/privacy-budget", access: .administration) { request, context in
            let id = try context.parameters.require("id")
            let body = try PolicyJSON.decode(AdminBodies.PrivacyBudget.self, from: try await admin.data(request, context), what: "privacy budget change")
            let change = PolicyChange.setPrivacyBudget(id, to: body.budget, reason: body.reason)
            let receipt = try await admin.commit(change, context)
            return try Admin.answer(receipt, change, record: receipt.snapshot.state.approvals[id])
        }
        // Members and their certificates; organizations.
        router.get("/api/admin/members", access: .administration) { _, context in
            try admin.list(context, \.members)
        }
        router.get("/api/admin/members/{id}", access: .administration) { _, context in
            try admin.one(context, \.members, kind: "member")
        }
        router.post("/api/admin/members", access: .administration) { request, context in
            let member = try PolicyJSON.decode(Member.self, from: try await admin.data(request, context), what: "member")
            let change: PolicyChange = .registerMember(member)
            let receipt = try await admin.commit(change, context)
            return try Admin.answer(receipt, change, record: receipt.snapshot.state.members[member.id], status: .created)
        }
        for action in PolicyChange.StatusAction.allCases {
            router.post(RouterPath("/api/admin/members/{id}/\(action.rawValue)"), access: .administration) { request, context in
                let id = try context.parameters.require("id")
                var change = PolicyChange.memberStatus(id, action)
                change.summary += try await admin.reason(request, context)
                let receipt = try await admin.commit(change, context)
                return try Admin.answer(receipt, change, record: receipt.snapshot.state.members[id])
            }
        }
        router.post("/api/admin/members/{id}/certificates", access: .administration) { request, context in
            let id = try context.parameters.require("id")
            let certificate = try PolicyJSON.decode(CertificateIdentity.self, from: try await admin.data(request, context), what: "certificate")
            let change: PolicyChange = .addCertificate(certificate, to: id)
            let receipt = try await admin.commit(change, context)
            return try Admin.answer(receipt, change, record: receipt.snapshot.state.members[id], status: .created)
        }
        router.post("/api/admin/members/{id}/certificates/revoke", access: .administration) { request, context in
            let id = try context.parameters.require("id")
            let certificate = try PolicyJSON.decode(CertificateIdentity.self, from: try await admin.data(request, context), what: "certificate")
            let change: PolicyChange = .revokeCertificate(certificate, of: id)
            let receipt = try await admin.commit(change, context)
            return try Admin.answer(receipt, change, record: receipt.snapshot.state.members[id])
        }
        router.get("/api/admin/organizations", access: .administration) { _, context in
            try admin.list(context, \.organizations)
        }
        router.post("/api/admin/organizations", access: .administration) { request, context in
            let organization = try PolicyJSON.decode(Organization.self, from: try await admin.data(request, context), what: "organization")
            let change: PolicyChange = .saveOrganization(organization)
            let receipt = try await admin.commit(change, context)
            return try Admin.answer(receipt, change, record: receipt.snapshot.state.organizations[organization.id])
        }
        // The equivalence list.
        router.get("/api/admin/jurisdictions", access: .administration) { _, context in
            try admin.list(context, \.jurisdictions)
        }
        router.on("/api/admin/jurisdictions", method: .put, access: .administration) { request, context in
            let list = try PolicyJSON.decode(AdminBodies.EquivalenceList.self, from: try await admin.data(request, context), what: "equivalence list")
            let change: PolicyChange = .replaceJurisdictions(list.equivalent)
            let receipt = try await admin.commit(change, context)
            return try Admin.answer(receipt, change, record: Array(receipt.snapshot.state.jurisdictions.values).sorted { $0.country < $1.country })
        }
        router.post("/api/admin/jurisdictions", access: .administration) { request, context in
            let entry = try PolicyJSON.decode(EquivalentJurisdiction.self, from: try await admin.data(request, context), what: "equivalence entry")
            let change: PolicyChange = .saveJurisdiction(entry)
            let receipt = try await admin.commit(change, context)
            return try Admin.answer(receipt, change, record: receipt.snapshot.state.jurisdictions[entry.country])
        }
        // Consent withdrawals.
        router.post("/api/admin/withdrawals", access: .administration) { request, context in
            try await admin.recordWithdrawals(request, context)
        }
        router.get("/api/admin/withdrawals", access: .administration, takesQuery: true) { request, context in
            try admin.withdrawalStatus(request, context)
        }
        // History.
        router.get("/api/admin/history", access: .administration, takesQuery: true) { request, context in
            try await admin.history(request, context)
        }
    }
}
