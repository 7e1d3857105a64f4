import Foundation
import GatewayCore
import GatewayPolicy
import GatewayTLS
import Hummingbird
import PrivacyLedger

/// `/api/info` (Beacon v2 info), `/api/service-info` (GA4GH service-info), `/api/whoami`,
/// `/api/openapi.json` (the API's OpenAPI 3.1 document).
enum InfoRoutes {
    static let beaconID = "jp.genomegate.beacon"
    static let apiVersion = "v2.0.0"

    static func register(on router: Router<GatewayRequestContext>, accounting: DisclosureAccounting) {
        let info = JSONResponse.Prepared(beaconInfo), service = JSONResponse.Prepared(serviceInfo)
        router.get("/api/info", access: .serviceInformation) { _, _ in try info.response() }
        router.get("/api/service-info", access: .serviceInformation) { _, _ in try service.response() }
        // The OpenAPI document (openapi/genomegate.json), compiled in by scripts/openapi-generate.
        let openAPI = ByteBuffer(string: OpenAPIDocument.json)
        router.get("/api/openapi.json", access: .serviceInformation) { _, _ in JSONResponse.response(openAPI, status: .ok) }
        router.get("/api/whoami", access: .serviceInformation) { _, context in
            let member = try context.requireMember()
            guard let connection = context.connection, let policy = context.policy else {
                throw GatewayError(.noPeerIdentity, "the connection has no verified client certificate")
            }
            var whoami = WhoAmI(member: member, connection: connection, policy: policy, time: context.arrival)
            whoami.privacy = PrivacyView(member: member, policy: policy, accounting: accounting)
            return try JSONResponse.make(whoami)
        }
    }

    struct Organization: Encodable {
        var id = "jp.genomegate"
        var name = "GenomeGate Analysis and Data Centre"
        var description: String? = "Gateway to the national whole-genome programme for cancer and rare disease"
    }

    struct BeaconInfo: Encodable {
        struct Meta: Encodable {
            struct ReturnedSchema: Encodable {
                var entityType: String
                var schema: String
            }
            var beaconId = beaconID
            var apiVersion = InfoRoutes.apiVersion
            var returnedSchemas = [ReturnedSchema(entityType: "info", schema: "beacon-info-v2.0.0")]
        }
        struct Info: Encodable {
            var id = beaconID
            var name = "GenomeGate Beacon"
            var apiVersion = InfoRoutes.apiVersion
            var environment = "prod"
            var organization = Organization()
            var description = "Aggregate answers (Beacon v2 boolean and count) over the programme's whole-genome variant store, for members with a committee approval. No record-level data is served."
            var version = GatewayVersion.string
        }
        var meta = Meta()
        var response = Info()
    }

    static let beaconInfo = BeaconInfo()

    struct ServiceInfo: Encodable {
        struct ServiceType: Encodable {
            var group = "org.ga4gh"
            var artifact = "beacon"
            var version = "2.0.0"
        }
        var id = beaconID
        var name = "GenomeGate"
        var type = ServiceType()
        var description = "Mutual-TLS gateway to aggregate cancer whole-genome data under committee approvals"
        var organization = ServiceOrganization()
        var version = GatewayVersion.string
        var environment = "prod"

        struct ServiceOrganization: Encodable {
            var name = "GenomeGate Analysis and Data Centre"
            var url = "https://genomegate.example.jp"
        }
    }

    static let serviceInfo = ServiceInfo()

    struct WhoAmI: Encodable {
        struct MemberView: Encodable {
            var id, name, organization, country, role: String
            var organizationName: String?
        }
        /// An approval the member may query under, as the member needs to know it.
        struct ApprovalView: Encodable {
            var id, title, purpose, status: String
            var inForce: Bool
            var validFrom, validUntil: Date
            var datasets: [String]
            var queryKinds: [String]
            var cancerTypes: [String]?
        }
        struct CertificateView: Encodable {
            var fingerprintSha256, subject, issuer, serial: String
            var notBefore, notAfter: Date
            var country: String?
        }
        struct TLSView: Encodable {
            var version, cipherSuite: String
            var sessionResumed: Bool
        }
        var member: MemberView
        var approvals: [ApprovalView]
        var policyVersion: Int
        var certificate: CertificateView
        var tls: TLSView
        /// What remains of the disclosure budgets (researchers, with the ledger on).
        var privacy: PrivacyView?

        init(member: Member, connection: TLSConnectionInfo, policy: PolicySnapshot, time: Date) {
            let organization = policy.state.organizations[member.organization]
            self.member = MemberView(id: member.id, name: member.name, organization: member.organization,
                                     country: organization?.country ?? "", role: member.role.rawValue,
                                     organizationName: organization?.name)
            self.approvals = policy.approvals(of: member.id).map { approval in
                ApprovalView(id: approval.id, title: approval.title, purpose: approval.purpose.rawValue, status: approval.status.rawValue,
                             inForce: approval.isInForce(at: time), validFrom: approval.validFrom, validUntil: approval.validUntil,
                             datasets: approval.scope.datasets, queryKinds: approval.scope.queryKinds.map(\.rawValue),
                             cancerTypes: approval.scope.cancerTypes)
            }
            self.policyVersion = policy.version
            let peer = connection.peer
            self.certificate = CertificateView(fingerprintSha256: peer.fingerprintSHA256, subject: peer.subject,
                                               issuer: peer.issuer, serial: peer.serial, notBefore: peer.notBefore,
                                               notAfter: peer.notAfter, country: peer.country)
            self.tls = TLSView(version: connection.protocolVersion, cipherSuite: connection.cipherSuite,
                               sessionResumed: connection.sessionResumed)
        }
    }
}

/// `privacy` in `/api/whoami`: each budget, what is spent and what remains (README "Privacy").
struct PrivacyView: Encodable {
    struct Budget: Encodable {
        var approval: String?
        var budget: Double
        var spent: Double
        var remaining: Double
    }
    var member: Budget
    var approvals: [Budget]
    var howToRaise = "the committee secretariat raises an approval's budget (POST /api/admin/approvals/{id}/privacy-budget, with the committee's reason)"

    init?(member: Member, policy: PolicySnapshot, accounting: DisclosureAccounting) {
        guard accounting.ledger != nil, member.role == .researcher else { return nil }
        let approvals = policy.approvals(of: member.id)
        let memberBudget = accounting.budgets(member: member.id, approval: nil, policy: policy).member
        let memberStatus = accounting.status(.member(member.id), budget: memberBudget)
        self.member = Budget(approval: nil, budget: memberBudget, spent: memberStatus.spent, remaining: memberStatus.remaining)
        self.approvals = approvals.map { approval in
            let budget = accounting.budgets(member: member.id, approval: approval.id, policy: policy).approval
            let status = accounting.status(.approval(approval.id), budget: budget)
            return Budget(approval: approval.id, budget: budget, spent: status.spent, remaining: status.remaining)
        }
    }
}
