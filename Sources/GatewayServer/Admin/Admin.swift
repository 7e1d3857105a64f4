import AuditLog
import Foundation
import GatewayCore
import GatewayPolicy
import GatewayTLS
import Hummingbird
import NIOConcurrencyHelpers
import NIOCore
import PolicyStore

/// The admin API's handlers (routes in ``AdminRoutes``).
struct Admin: Sendable {
    let policy: PolicyService
    /// No change is applied while the audit log cannot be written (its record would be lost).
    let audit: AuditLog
    /// The variant store's catalogue, to tell the secretariat about withdrawals of nobody stored.
    let queries: VariantQueryService

    /// What a change answers: the new policy version and the record as it now is.
    struct ChangeAnswer<Value: Encodable & Sendable>: Encodable, Sendable {
        var policyVersion: Int
        var summary: String
        var changed: [String]
        var record: Value?

        enum CodingKeys: String, CodingKey {
            case policyVersion = "policy_version"
            case summary, changed, record
        }
    }

    struct ListAnswer<Value: Encodable & Sendable>: Encodable, Sendable {
        var policyVersion: Int
        var records: [Value]

        enum CodingKeys: String, CodingKey {
            case policyVersion = "policy_version"
            case records
        }
    }

    static func actor(_ context: GatewayRequestContext) throws(GatewayError) -> String {
        "member:" + (try context.requireMember().id)
    }

    /// Commits `change` as the calling member; the new policy is in force when this returns.
    /// Refused with `audit_unavailable` while the audit log cannot be written. (The policy's own
    /// history records the change, its author and time in the same transaction, so even a crash
    /// between this commit and the audit record leaves the change on record.)
    ///
    /// A change after which the caller's own certificate would no longer identify them (as
    /// the same active member) is refused with `conflict`: the secretariat cannot lock itself
    /// out, e.g. by registering its certificate's fingerprint to another member.
    func commit(_ change: PolicyChange, _ context: GatewayRequestContext) async throws -> PolicyDatabase.Receipt {
        guard !audit.isFailing else {
            throw GatewayError(.auditUnavailable, "the audit log cannot be written; no policy change is applied until it can")
        }
        let caller = try context.requireMember()
        guard let peer = context.connection?.peer else {
            throw GatewayError(.noPeerIdentity, "the connection has no verified client certificate")
        }
        let change = change.checked { state throws(GatewayError) in
            try Self.checkCallerKeepsIdentity(caller.id, fingerprint: peer.fingerprintSHA256, subject: peer.subject, issuer: peer.issuer, in: state)
        }
        let receipt = try await policy.apply(change, actor: Self.actor(context), channel: "api")
        context.record.withLockedValue { $0.change = (change.summary, receipt.snapshot.identity) }
        return receipt
    }

    /// Throws `conflict` unless the certificate (`fingerprint`, `subject`, `issuer`) still
    /// identifies active member `memberID` in `state`, as ``CallerIdentification`` would.
    /// A state whose directory cannot be built at all is left to validation, which names why.
    static func checkCallerKeepsIdentity(_ memberID: String, fingerprint: String, subject: String, issuer: String,
                                         in state: PolicyState) throws(GatewayError) {
        guard let directory = try? MemberDirectory(members: state.members.values.sorted { $0.id < $1.id }) else { return }
        let outcome: String
        switch directory.member(fingerprint: fingerprint, subject: subject, issuer: issuer) {
        case .member(let member) where member.id == memberID: return
        case .member(let member): outcome = "it would identify member \(member.id)"
        case .denied(let error): outcome = "\(error.code.rawValue): \(error.message)"
        }
        throw GatewayError(.conflict, "nothing was applied: after this change your own certificate would no longer identify you as member \(memberID) (\(outcome))")
    }

    /// The answer to a committed change: the new version and `record` as it now is.
    static func answer<Value: Encodable & Sendable>(
        _ receipt: PolicyDatabase.Receipt, _ change: PolicyChange, record: Value?, status: HTTPResponse.Status = .ok
    ) throws -> Response {
        try json(ChangeAnswer(policyVersion: receipt.version, summary: change.summary, changed: receipt.changed, record: record), status: status)
    }

    func list<Value: Encodable & Sendable>(_ context: GatewayRequestContext, _ path: KeyPath<PolicyState, [String: Value]>) throws -> Response {
        guard let snapshot = context.policy else { throw GatewayError(.policyUnavailable, "no policy is in force") }
        let records = snapshot.state[keyPath: path].sorted { $0.key < $1.key }.map(\.value)
        return try Self.json(ListAnswer(policyVersion: snapshot.version, records: records))
    }

    func one<Value: Encodable & Sendable>(_ context: GatewayRequestContext, _ path: KeyPath<PolicyState, [String: Value]>, kind: String) throws -> Response {
        guard let snapshot = context.policy else { throw GatewayError(.policyUnavailable, "no policy is in force") }
        let id = try context.parameters.require("id")
        guard let record = snapshot.state[keyPath: path][id] else { throw GatewayError(.notFound, "there is no \(kind) '\(id.prefix(64))'") }
        return try Self.json(ListAnswer(policyVersion: snapshot.version, records: [record]))
    }

    /// The request body, at most the body limit. Handlers decode it synchronously
    /// (`PolicyJSON.decode`): a generic async decode helper crashed Swift 6.3.1's optimizer
    /// (coroutine splitting) in release builds.
    func data(_ request: Request, _ context: GatewayRequestContext) async throws -> Data {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        return Data(buffer.readableBytesView)
    }

    /// An optional `{"reason": "..."}` body, as text for the history summary. A reason that is
    /// empty or only spaces is refused (it would record `suspended: ` with no reason).
    func reason(_ request: Request, _ context: GatewayRequestContext) async throws -> String {
        try AdminBodies.reasonSummary(try await data(request, context))
    }

    static func json<Value: Encodable>(_ value: Value, status: HTTPResponse.Status = .ok) throws -> Response {
        JSONResponse.response(ByteBuffer(bytes: try PolicyJSON.encoder.encode(value)), status: status)
    }
}
