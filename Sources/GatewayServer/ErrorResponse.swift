import Foundation
import GatewayCore
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1
import WebConsole

/// The one place that maps error codes to HTTP statuses and renders error bodies.
///
/// Every error body is JSON: `{"error": {"code": "...", "message": "...", "requestId": "..."}}`,
/// except on console pages (`/console`), where the same status, code and message come as an
/// HTML page with the console's headers.
/// Unexpected errors become `500 internal_error` with no detail for the client.
public enum ErrorResponse {
    public static func status(for code: GatewayError.Code) -> HTTPResponse.Status {
        switch code {
        case .notFound: .notFound
        case .methodNotAllowed: .methodNotAllowed
        case .badRequest: .badRequest
        case .headersTooLarge: .init(code: 431, reasonPhrase: "Request Header Fields Too Large")
        case .bodyTooLarge: .contentTooLarge
        case .noPeerIdentity, .certificateRevoked, .certificateExpired, .certificateRejected: .unauthorized
        case .unknownMember, .memberSuspended, .memberRevoked, .roleForbidden, .cohortTooSmall, .organizationSuspended,
             .noApproval, .approvalAmbiguous, .approvalNotYetValid, .approvalExpired, .approvalSuspended,
             .approvalRevoked, .outOfScopeQuery, .outOfScopeDataset, .outOfScopeCancerType, .purposeIncompatibleWithConsent: .forbidden
        case .invalidPolicy: .badRequest
        case .conflict: .conflict
        case .serviceUnavailable, .policyUnavailable, .auditUnavailable: .serviceUnavailable
        case .requestTimeout: .requestTimeout
        case .tooManyConnections: .serviceUnavailable
        case .privacyBudgetExhausted: .tooManyRequests
        case .tooManyJobs: .tooManyRequests
        case .differencingRefused: .forbidden
        case .crossSiteRequest: .forbidden
        default: .internalServerError
        }
    }

    struct Body: Encodable {
        struct Detail: Encodable {
            var code: String
            var message: String
            var requestId: String?
            /// Every reason code when a policy decision refused for more than one.
            var reasons: [String]?
        }
        var error: Detail
    }

    /// Codes whose messages are for the operator's log only: the client gets a fixed sentence
    /// (paths, SQLite errors or registry details never leave the gateway).
    public static let internalCodes: Set<GatewayError.Code> = [.internalError, .serviceUnavailable, .policyUnavailable, .auditUnavailable, .invalidConfiguration]

    /// What a client is told for `error`.
    public static func clientMessage(_ error: GatewayError) -> String {
        switch error.code {
        case .serviceUnavailable: "the variant store cannot be read right now; try again later"
        case .policyUnavailable: "the policy cannot be read right now, so nothing can be answered; try again later"
        case .auditUnavailable: "the audit log cannot be written right now, so nothing can be answered; try again later"
        case _ where internalCodes.contains(error.code): "the gateway could not complete the request"
        default: error.message
        }
    }

    /// Renders `error` for a client; `closeConnection` adds `Connection: close`.
    public static func response(_ error: GatewayError, requestID: String?, closeConnection: Bool = false, asPage: Bool = false) -> Response {
        let reasons = error.reasons.count > 1 ? error.reasons.map(\.rawValue) : nil
        let code = error.code == .invalidConfiguration ? GatewayError.Code.internalError : error.code
        if asPage {
            // A console page: the same status, code and message, as HTML with the console's headers.
            let html = ConsoleProblem.html(status: Int(status(for: error.code).code), code: code.rawValue, message: clientMessage(error), requestID: requestID)
            var headers: HTTPFields = [.contentType: "text/html; charset=utf-8"]
            for header in ConsoleHeaders.all { if let name = HTTPField.Name(header.name) { headers[name] = header.value } }
            if let requestID { headers[.requestID] = requestID }
            if closeConnection { headers[.connection] = "close" }
            return Response(status: status(for: error.code), headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
        }
        let body = Body(error: .init(code: code.rawValue, message: clientMessage(error), requestId: requestID, reasons: reasons))
        let data = (try? JSONEncoder.gateway.encode(body)) ?? Data(#"{"error":{"code":"internal_error","message":"error"}}"#.utf8)
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if let requestID { headers[.requestID] = requestID }
        if closeConnection { headers[.connection] = "close" }
        return Response(status: status(for: error.code), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The parts of an error answer written before the router (NIO's HTTP/1 types), with
    /// `Connection: close`: the same JSON body as ``response(_:requestID:closeConnection:)``.
    static func unroutedParts(_ code: GatewayError.Code, _ message: String, status: HTTPResponseStatus) -> [HTTPServerResponsePart] {
        let body = Body(error: .init(code: code.rawValue, message: message))
        let data = (try? JSONEncoder.gateway.encode(body)) ?? Data()
        let headers = HTTPHeaders([
            ("content-type", "application/json; charset=utf-8"), ("content-length", String(data.count)), ("connection", "close"),
        ])
        return [.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers)), .body(.byteBuffer(ByteBuffer(bytes: data))), .end(nil)]
    }

    /// Translates Hummingbird's own errors (routing, body limits) into gateway errors.
    public static func gatewayError(from error: any Error) -> GatewayError {
        if let error = error as? GatewayError { return error }
        if let error = error as? HTTPError {
            switch error.status {
            case .notFound: return GatewayError(.notFound, "no such endpoint")
            case .methodNotAllowed: return GatewayError(.methodNotAllowed, "this endpoint does not accept that method")
            case .contentTooLarge: return GatewayError(.bodyTooLarge, "request body is over the limit")
            case .badRequest: return GatewayError(.badRequest, error.body ?? "malformed request")
            default: break
            }
        }
        if let error = error as? NIOTooManyBytesError {
            _ = error
            return GatewayError(.bodyTooLarge, "request body is over the limit")
        }
        return GatewayError(.internalError, "the gateway could not complete the request")
    }
}

extension HTTPField.Name {
    public static let requestID = HTTPField.Name("X-Request-Id")!
    public static let approvalID = HTTPField.Name("X-Approval-Id")!
    public static let policyVersion = HTTPField.Name("X-Policy-Version")!
    public static let policyRevision = HTTPField.Name("X-Policy-Revision")!
}

extension JSONEncoder {
    /// Sorted keys, ISO 8601 dates: stable output for clients and tests.
    public static var gateway: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }
}
