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
    static func register(on router: Router<GatewayRequestContext>, policy: PolicyService) {
        let admin = Admin(policy: policy)
        // Approvals.
        router.get("/api/admin/approvals", access: .administration) { _, context in
            try admin.list(context, \.approvals)
        }
        router.get("/api/admin/approvals/{id}", access: .administration) { _, context in
            try admin.one(context, \.approvals, kind: "approval")
        }
        router.post("/api/admin/approvals", access: .administration) { request, context in
            let approval = try await admin.body(Approval.self, request, context, what: "approval")
            return try await admin.commit(.createApproval(approval), context, status: .created) { $0.approvals[approval.id] }
        }
        router.on("/api/admin/approvals/{id}", method: .patch, access: .administration) { request, context in
            let id = try context.parameters.require("id")
            let patch = try await admin.data(request, context)
            let change = PolicyChange.amendApproval(id) { current throws(GatewayError) in
                try ApprovalPatch.merge(patch, into: current, what: "amendment of approval \(id)")
            }
            return try await admin.commit(change, context) { $0.approvals[id] }
        }
        for action in PolicyChange.StatusAction.allCases {
            router.post(RouterPath("/api/admin/approvals/{id}/\(action.rawValue)"), access: .administration) { request, context in
                let id = try context.parameters.require("id")
                var change = PolicyChange.approvalStatus(id, action)
                change.summary += try await admin.reason(request, context)
                return try await admin.commit(change, context) { $0.approvals[id] }
            }
        }
        // Members and their certificates; organizations.
        router.get("/api/admin/members", access: .administration) { _, context in
            try admin.list(context, \.members)
        }
        router.get("/api/admin/members/{id}", access: .administration) { _, context in
            try admin.one(context, \.members, kind: "member")
        }
        router.post("/api/admin/members", access: .administration) { request, context in
            let member = try await admin.body(Member.self, request, context, what: "member")
            return try await admin.commit(.registerMember(member), context, status: .created) { $0.members[member.id] }
        }
        for action in PolicyChange.StatusAction.allCases {
            router.post(RouterPath("/api/admin/members/{id}/\(action.rawValue)"), access: .administration) { request, context in
                let id = try context.parameters.require("id")
                var change = PolicyChange.memberStatus(id, action)
                change.summary += try await admin.reason(request, context)
                return try await admin.commit(change, context) { $0.members[id] }
            }
        }
        router.post("/api/admin/members/{id}/certificates", access: .administration) { request, context in
            let id = try context.parameters.require("id")
            let certificate = try await admin.body(CertificateIdentity.self, request, context, what: "certificate")
            return try await admin.commit(.addCertificate(certificate, to: id), context, status: .created) { $0.members[id] }
        }
        router.post("/api/admin/members/{id}/certificates/revoke", access: .administration) { request, context in
            let id = try context.parameters.require("id")
            let certificate = try await admin.body(CertificateIdentity.self, request, context, what: "certificate")
            return try await admin.commit(.revokeCertificate(certificate, of: id), context) { $0.members[id] }
        }
        router.get("/api/admin/organizations", access: .administration) { _, context in
            try admin.list(context, \.organizations)
        }
        router.post("/api/admin/organizations", access: .administration) { request, context in
            let organization = try await admin.body(Organization.self, request, context, what: "organization")
            return try await admin.commit(.saveOrganization(organization), context) { $0.organizations[organization.id] }
        }
        // The equivalence list.
        router.get("/api/admin/jurisdictions", access: .administration) { _, context in
            try admin.list(context, \.jurisdictions)
        }
        router.on("/api/admin/jurisdictions", method: .put, access: .administration) { request, context in
            struct List: Decodable { var equivalent: [EquivalentJurisdiction] }
            let list = try await admin.body(List.self, request, context, what: "equivalence list")
            return try await admin.commit(.replaceJurisdictions(list.equivalent), context) { Array($0.jurisdictions.values).sorted { $0.country < $1.country } }
        }
        router.post("/api/admin/jurisdictions", access: .administration) { request, context in
            let entry = try await admin.body(EquivalentJurisdiction.self, request, context, what: "equivalence entry")
            return try await admin.commit(.saveJurisdiction(entry), context) { $0.jurisdictions[entry.country] }
        }
        // Consent withdrawals.
        router.post("/api/admin/withdrawals", access: .administration) { request, context in
            try await admin.recordWithdrawals(request, context)
        }
        router.get("/api/admin/withdrawals", access: .administration) { request, context in
            try admin.withdrawalStatus(request, context)
        }
        // History.
        router.get("/api/admin/history", access: .administration) { request, context in
            try await admin.history(request, context)
        }
    }
}
