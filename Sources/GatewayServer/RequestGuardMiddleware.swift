import Foundation
import GatewayCore
import GatewayPolicy
import Hummingbird
import HTTPTypes
import Logging
import Synchronization

/// The first step of every request: request id, limits, identity.
///
/// 1. gives the request an id (returned as `X-Request-Id`);
/// 2. refuses a request head over the limit (431) or a declared body over the limit (413);
/// 3. removes headers a client could use to impersonate a TLS identity;
/// 4. identifies the caller from the TLS layer (``CallerIdentification``);
/// 5. renders any error as the JSON error body (``ErrorResponse``).
struct RequestGuardMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    let identification: CallerIdentification
    let limits: GatewayConfiguration.Limits
    let logger: Logger

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
        context.bodyLimit = limits.maxBodyBytes
        do {
            try checkLimits(request)
            request = Self.strippingImpersonation(request)
            let (connection, member) = try identification.identify(context.channel)
            context.connection = connection
            context.member = member
            context.logger[metadataKey: "member"] = .string(member.id)
            var response = try await next(request, context)
            response.headers[.requestID] = context.requestID
            return response
        } catch {
            let gatewayError = ErrorResponse.gatewayError(from: error)
            if gatewayError.code == .internalError {
                logger.error("request failed", metadata: ["request.id": "\(context.requestID)", "error": "\(error)"])
            }
            let close: Set<GatewayError.Code> = [.headersTooLarge, .bodyTooLarge, .certificateRevoked, .certificateExpired, .certificateRejected, .noPeerIdentity]
            return ErrorResponse.response(gatewayError, requestID: context.requestID, closeConnection: close.contains(gatewayError.code))
        }
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

/// Request ids: 32 hex digits, unique per process and across restarts: 64 random bits drawn
/// once per process, then a 64-bit sequence number. Ids name requests; they are not secrets.
enum RequestIdentifier {
    private static let processNonce: UInt64 = {
        var generator = SystemRandomNumberGenerator()
        return generator.next()
    }()
    private static let sequence = Atomic<UInt64>(0)

    static func make() -> String {
        let number = sequence.add(1, ordering: .relaxed).newValue
        var digits = [UInt8](repeating: 0, count: 32)
        for (offset, value) in [processNonce, number].enumerated() {
            for nibble in 0..<16 {
                digits[offset * 16 + nibble] = hexDigits[Int((value >> UInt64(60 - 4 * nibble)) & 0xf)]
            }
        }
        return String(decoding: digits, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
