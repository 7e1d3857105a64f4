import AuditLog
import Foundation
import GatewayCore
import GatewayPolicy
import GatewayTLS
import Hummingbird
import HummingbirdCore
import NIOConcurrencyHelpers
import NIOCore

/// Builds the audit record of a request from what the request guard, the policy decision and
/// the handler left in the context, and of a refused TLS handshake.
struct AuditRecorder: Sendable {
    let log: AuditLog

    /// The record of `request`, answered with `response`.
    func record(of request: Request, _ context: GatewayRequestContext, response: Response, errorCode: GatewayError.Code?) -> AuditRecord {
        let handled = context.record.withLockedValue { $0 }
        let decision = handled.decision
        let member = context.member
        let organization = member.flatMap { context.policy?.state.organizations[$0.organization] }
        let status = Int(response.status.code)
        let allowed = decision?.isAllowed ?? (status < 400)
        var reasons = decision?.reasons.map(\.code.rawValue) ?? []
        if let code = errorCode ?? handled.errorCode, !reasons.contains(code.rawValue) { reasons.append(code.rawValue) }
        let returned = status < 400 ? handled.returned ?? Self.defaultSummary(request, status: status) : AuditRecord.Returned(kind: "error")
        let notes = decision?.restriction?.notes ?? []
        let policy = handled.change?.policy ?? decision?.policy ?? context.policy?.identity
        return AuditRecord(
            time: context.arrival, requestID: context.requestID,
            certificateFingerprint: context.connection?.peer.fingerprintSHA256, certificateSubject: context.connection?.peer.subject,
            member: member?.id, organization: member?.organization, country: organization?.country, role: member?.role.rawValue,
            remoteAddress: context.channel.remoteAddress.map(PeerAddressText.describe), method: request.method.rawValue, path: request.uri.path,
            query: handled.query ?? Self.normalisedQuery(request.uri), approval: decision?.approvalID,
            policyVersion: policy?.version,
            decision: allowed && status < 400 ? "allow" : "deny", reasons: reasons,
            cohortRestriction: notes.isEmpty ? nil : notes.joined(separator: " "), change: handled.change?.summary, returned: returned,
            status: status, bytes: response.body.contentLength,
            durationMicroseconds: Int(Date().timeIntervalSince(context.arrival) * 1_000_000),
            policyRevision: policy?.revision
        )
    }

    /// The record of a response the router never saw (a request Hummingbird could not parse).
    func unroutedResponse(status: Int, channel: any Channel, connections: TLSConnectionTable) -> AuditRecord {
        let peer = connections.info(for: channel)?.peer
        return AuditRecord(
            time: Date(), requestID: nil, certificateFingerprint: peer?.fingerprintSHA256, certificateSubject: peer?.subject,
            member: nil, organization: nil, country: nil, role: nil, remoteAddress: channel.remoteAddress.map(PeerAddressText.describe),
            method: "-", path: "-", query: nil, approval: nil, policyVersion: nil, decision: "deny",
            reasons: [status == 408 ? GatewayError.Code.requestTimeout.rawValue
                      : status == 405 ? GatewayError.Code.methodNotAllowed.rawValue : GatewayError.Code.badRequest.rawValue],
            cohortRestriction: nil, change: nil, returned: .init(kind: "error"), status: status, bytes: 0, durationMicroseconds: 0
        )
    }

    /// The record of a handshake OpenSSL refused: whatever identity the certificate showed.
    func handshakeRefused(_ error: TLSError, peer: PeerIdentity?, remoteAddress: String) -> AuditRecord {
        connectionRefused(reason: error.code.rawValue, peer: peer, remoteAddress: remoteAddress)
    }

    /// The record of a connection refused at the TLS layer (method `TLS`, status 0) for `reason`.
    func connectionRefused(reason: String, peer: PeerIdentity?, remoteAddress: String) -> AuditRecord {
        AuditRecord(
            time: Date(), requestID: nil, certificateFingerprint: peer?.fingerprintSHA256, certificateSubject: peer?.subject,
            member: nil, organization: nil, country: nil, role: nil, remoteAddress: remoteAddress, method: "TLS", path: "-",
            query: nil, approval: nil, policyVersion: nil, decision: "deny", reasons: [reason],
            cohortRestriction: nil, change: nil, returned: nil, status: 0, bytes: 0, durationMicroseconds: 0
        )
    }

    /// `a=1&b=2`: parameters sorted by name (then value), percent-decoded.
    static func normalisedQuery(_ uri: URI) -> String? {
        var pairs: [String] = []
        for (name, value) in uri.queryParameters {
            pairs.append(escape(String(name)) + "=" + escape(String(value)))
        }
        guard !pairs.isEmpty else { return nil }
        pairs.sort()
        return pairs.joined(separator: "&")
    }

    /// `%`, `&` and `=` percent-encoded, so a normalised query reads back unambiguously.
    static func escape(_ text: String) -> String {
        guard text.contains(where: { $0 == "%" || $0 == "&" || $0 == "=" }) else { return text }
        return text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "&", with: "%26").replacingOccurrences(of: "=", with: "%3D")
    }

    /// What kind of answer a route gives when its handler did not say.
    static func defaultSummary(_ request: Request, status: Int) -> AuditRecord.Returned {
        if status >= 400 { return .init(kind: "error") }
        let path = request.uri.path
        if path.hasPrefix("/api/admin/") { return .init(kind: request.method == .get ? "policy-read" : "policy-change") }
        if path.hasPrefix("/api/audit/") { return .init(kind: "audit-export") }
        if path == "/api/datasets" || path == "/api/filtering_terms" { return .init(kind: "catalogue") }
        return .init(kind: "service-information")
    }
}
