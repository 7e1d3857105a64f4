import AuditLog
import COpenSSL
import Foundation
import GatewayCore
import GatewayOperations
import GatewayPolicy
import GatewayTLS
import HTTPTypes
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import Synchronization

/// The first step of every request: request id, limits, identity.
///
/// 1. gives the request an id (returned as `X-Request-Id`);
/// 2. refuses a request head over the limit (431) or a declared body over the limit (413);
/// 3. removes headers a client could use to impersonate a TLS identity;
/// 4. takes the policy snapshot the whole request is decided with (``PolicyService``);
/// 5. identifies the caller from the TLS layer and that snapshot (``CallerIdentification``);
/// 6. renders any error as the JSON error body (``ErrorResponse``);
/// 7. once the audit record is committed, counts the request in the metrics and writes the
///    access log entry (info level; nothing is built when the level filters it out).
struct RequestGuardMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    let identification: CallerIdentification
    let policy: PolicyService
    let audit: AuditRecorder
    let limits: GatewayConfiguration.Limits
    let logger: Logger
    /// The methods each path answers: a known path asked with another method is a 405 with `Allow`.
    let routeMethods: RouteMethods
    let metrics: GatewayMetrics

    /// Headers proxies use to pass a client certificate on; never trusted here.
    static let impersonationHeaders: [HTTPField.Name] = [
        "X-Client-Cert", "X-SSL-Client-Cert", "X-SSL-Client-DN", "X-SSL-Client-S-DN", "X-SSL-Client-I-DN",
        "X-SSL-Client-Verify", "X-SSL-Client-Fingerprint", "X-Forwarded-Client-Cert", "SSL-Client-Cert",
        "X-Client-DN", "X-Client-Verify", "X-Member-Id", "X-Remote-User", "Remote-User", "X-Forwarded-User",
    ].compactMap { HTTPField.Name($0) }

    func handle(
        _ request: Request, context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        var request = request
        context.requestID = RequestIdentifier.make()
        context.arrival = Date()
        context.bodyLimit = limits.maxBodyBytes
        var response: Response
        var failure: GatewayError?
        do {
            try checkLimits(request)
            request = Self.strippingImpersonation(request)
            let snapshot = try await policy.current()
            context.policy = snapshot
            let (connection, member) = try identification.identify(context.channel, in: snapshot.directory)
            context.connection = connection
            context.member = member
            // Only Hummingbird's debug lines read the request's logger; setting metadata re-renders
            // the handler's metadata text, so it is skipped unless those lines can be written.
            if context.logger.logLevel <= .debug { context.logger[metadataKey: "member"] = .string(member.id) }
            try BrowserOriginGuard.refuseOtherSites(request)
            response = try await next(request, context)
        } catch {
            var gatewayError = ErrorResponse.gatewayError(from: error)
            var allowed: [String] = []
            if gatewayError.code == .notFound {
                // Only a path that exists for other methods: a handler's own 404 (no such record) stays.
                allowed = routeMethods.allowed(forPath: request.uri.path)
                if allowed.contains(request.method.rawValue) { allowed = [] }
                if !allowed.isEmpty {
                    gatewayError = GatewayError(.methodNotAllowed, "\(request.method.rawValue) is not allowed on this endpoint; it answers \(allowed.joined(separator: ", "))")
                }
            }
            if ErrorResponse.internalCodes.contains(gatewayError.code) || gatewayError.code == .internalError {
                logger.error("request failed", metadata: ["request.id": "\(context.requestID)", "code": "\(gatewayError.code)", "error": "\(error)"])
            }
            let close: Set<GatewayError.Code> = [.headersTooLarge, .bodyTooLarge, .certificateRevoked, .certificateExpired, .certificateRejected, .noPeerIdentity]
            failure = gatewayError
            response = ErrorResponse.response(gatewayError, requestID: context.requestID, closeConnection: close.contains(gatewayError.code),
                                              asPage: ConsoleRoutes.isConsolePath(request.uri.path))
            if !allowed.isEmpty { response.headers[.allow] = allowed.joined(separator: ", ") }
        }
        if context.connection == nil { context.connection = identification.connections.info(for: context.channel) }
        response.headers[.requestID] = context.requestID
        Self.describeDecision(context, in: &response)
        // No answer without its record (a data answer's disclosure charge was written before it was built).
        let record = audit.record(of: request, context, response: response, errorCode: failure?.code)
        do {
            _ = try await audit.log.append(record)
        } catch {
            logger.error("audit record not written; the answer is withheld", metadata: ["request.id": "\(context.requestID)", "error": "\(error)"])
            let withheld = ErrorResponse.response(GatewayError(.auditUnavailable, error.message), requestID: context.requestID)
            answered(request, context, status: Int(withheld.status.code), allowed: false)
            return withheld
        }
        answered(request, context, status: record.status, allowed: record.decision == "allow")
        return response
    }

    /// Counts the answered request (by route template, never the raw path) and logs it.
    private func answered(_ request: Request, _ context: Context, status: Int, allowed: Bool) {
        let nanoseconds = Int64(max(0, min(Date().timeIntervalSince(context.arrival), 1e9)) * 1e9)
        let routed = context.endpointPath
        let route = routed == nil || routed == "NotFound" ? nil : routed
        metrics.recordRequest(route: route, method: request.method.rawValue, status: status, allowed: allowed, nanoseconds: nanoseconds)
        logger.info("request", metadata: [
            "request.id": .string(context.requestID), "member": .string(context.member?.id ?? "-"),
            "method": .string(request.method.rawValue), "route": .string(route ?? GatewayMetrics.unroutedLabel),
            "status": .stringConvertible(status), "decision": .string(allowed ? "allow" : "deny"),
            "duration_ms": .stringConvertible((Double(nanoseconds) / 1000).rounded() / 1000),
        ])
    }

    /// `X-Policy-Version` (and `X-Approval-Id` for a data query) of the decision the request got.
    static func describeDecision(_ context: Context, in response: inout Response) {
        let handled = context.record.withLockedValue { $0 }
        guard let decision = handled.decision else { return }
        // After a policy change, the version it produced.
        let policy = handled.change?.policy ?? decision.policy
        response.headers[.policyVersion] = String(policy.version)
        if !policy.revision.isEmpty { response.headers[.policyRevision] = policy.revision }
        if let approval = decision.approvalID { response.headers[.approvalID] = approval }
    }

    static func strippingImpersonation(_ request: Request) -> Request {
        guard impersonationHeaders.contains(where: { request.headers[$0] != nil }) else { return request }
        var head = request.head
        for name in impersonationHeaders { head.headerFields[values: name] = [] }
        return Request(head: head, body: request.body)
    }

    private func checkLimits(_ request: Request) throws(GatewayError) {
        var headBytes = request.method.rawValue.utf8.count + (request.uri.string.utf8.count) + 12
        for field in request.headers {
            headBytes += field.name.rawName.utf8.count + field.value.utf8.count + 4
        }
        if headBytes > limits.maxHeaderBytes {
            throw GatewayError(.headersTooLarge, "request headers are \(headBytes) bytes; the limit is \(limits.maxHeaderBytes)")
        }
        if let declared = request.headers[.contentLength], let length = Int(declared), length > limits.maxBodyBytes {
            throw GatewayError(.bodyTooLarge, "request body is \(length) bytes; the limit is \(limits.maxBodyBytes)")
        }
    }
}

/// Request ids: 128 random bits from OpenSSL's DRBG, as 32 hex digits. Random rather than
/// sequential, so an id says nothing about other members' requests. The DRBG is asked for 4 KiB
/// at a time (256 ids) rather than once per request; each byte is handed out once.
enum RequestIdentifier {
    private struct Pool {
        var bytes = [UInt8](repeating: 0, count: 4096)
        var next = 4096
    }
    private static let pool = Mutex(Pool())
    private static let digits = Array("0123456789abcdef".utf8)

    static func make() -> String {
        pool.withLock { pool in
            if pool.next + 16 > pool.bytes.count {
                if RAND_bytes(&pool.bytes, Int32(pool.bytes.count)) != 1 {
                    var generator = SystemRandomNumberGenerator()
                    for index in pool.bytes.indices { pool.bytes[index] = generator.next() }
                }
                pool.next = 0
            }
            let start = pool.next
            pool.next += 16
            return String(unsafeUninitializedCapacity: 32) { text in
                for offset in 0..<16 {
                    let byte = pool.bytes[start + offset]
                    pool.bytes[start + offset] = 0
                    text[offset * 2] = digits[Int(byte >> 4)]
                    text[offset * 2 + 1] = digits[Int(byte & 0x0f)]
                }
                return 32
            }
        }
    }
}
