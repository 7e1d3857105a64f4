import AuditLog
import Foundation
import GatewayCore
import GatewayPolicy
import Hummingbird
import HummingbirdCore
import NIOCore

/// The audit department's endpoints (auditor role only): records, checkpoints, public key.
///
/// Records stream page by page (constant memory for any range); the same range exported
/// twice is byte-identical, as records never change.
enum AuditRoutes {
    static let pageSize = 1000

    static func register(on router: Router<GatewayRequestContext>, log: AuditLog) {
        router.get("/api/audit/records", access: .audit, takesQuery: true) { request, _ in
            var (query, format) = try parse(request.uri)
            // Sign the head first and end there: the export then verifies end to end.
            let signed = await log.signHead()
            query.toSequence = min(query.toSequence ?? signed, signed)
            return streamedRecords(log.database, query: query, csv: format == "csv")
        }
        router.get("/api/audit/checkpoints", access: .audit) { _, _ in
            let lines = try await log.database.checkpoints().map { $0.line + "\n" }.joined()
            return Response(status: .ok, headers: [.contentType: "application/x-ndjson"], body: .init(byteBuffer: ByteBuffer(string: lines)))
        }
        router.get("/api/audit/public-key", access: .audit) { _, _ in
            Response(status: .ok, headers: [.contentType: "application/x-pem-file"], body: .init(byteBuffer: ByteBuffer(string: log.signer.publicKeyPEM)))
        }
        registerVerification(on: router, log: log)
    }

    /// The export's filters from the query string; unknown or malformed parameters are a `bad_request`.
    static func parse(_ uri: URI) throws(GatewayError) -> (AuditQuery, String) {
        try parse(try uri.singleValuedParameters())
    }

    /// The same from parameters already read (the console reads its own first).
    static func parse(_ parameters: [(name: String, value: String)]) throws(GatewayError) -> (AuditQuery, String) {
        var query = AuditQuery()
        var format = "jsonl"
        for (name, text) in parameters {
            func number() throws(GatewayError) -> Int {
                guard let number = DecimalInteger.parse(text), number >= 0 else {
                    throw GatewayError(.badRequest, "\(name) must be a whole number from 0 to \(Int.max)")
                }
                return number
            }
            func time() throws(GatewayError) -> String {
                guard let date = AuditTime.parse(text) else { throw GatewayError(.badRequest, "\(name) '\(text.prefix(40))' is not an RFC 3339 time from \(AuditTime.earliest) to \(AuditTime.latest)") }
                return AuditTime.format(date)
            }
            switch name {
            case "from_sequence": query.fromSequence = try number()
            case "to_sequence": query.toSequence = try number()
            case "from_time": query.fromTime = try time()
            case "to_time": query.toTime = try time()
            case "member", "organization", "approval":
                guard PolicyValidation.isIdentifier(text) else {
                    throw GatewayError(.badRequest, "\(name) '\(text.prefix(40))' is not an id (1 to 64 letters, digits, '.', '_' or '-')")
                }
                switch name {
                case "member": query.member = text
                case "organization": query.organization = text
                default: query.approval = text
                }
            case "decision":
                guard text == "allow" || text == "deny" else { throw GatewayError(.badRequest, "decision must be allow or deny") }
                query.decision = text
            case "format":
                guard text == "jsonl" || text == "csv" else { throw GatewayError(.badRequest, "format must be jsonl or csv") }
                format = text
            default:
                throw GatewayError(.badRequest, "unknown query parameter '\(name.prefix(60))' (from_sequence, to_sequence, from_time, to_time, member, organization, approval, decision, format)")
            }
        }
        if let from = query.fromSequence, let to = query.toSequence, from > to {
            throw GatewayError(.badRequest, "from_sequence \(from) is after to_sequence \(to): the range is empty")
        }
        if let from = query.fromTime, let to = query.toTime, from > to {
            throw GatewayError(.badRequest, "from_time \(from) is after to_time \(to): the range is empty")
        }
        return (query, format)
    }

    static func streamedRecords(_ database: AuditDatabase, query: AuditQuery, csv: Bool) -> Response {
        let body = ResponseBody { writer in
            if csv { try await writer.write(ByteBuffer(string: AuditRecord.csvColumns.joined(separator: ",") + "\n")) }
            var after = 0
            while true {
                let page = try await database.records(query, after: after, limit: pageSize)
                guard let last = page.last else { break }
                var text = ""
                for entry in page { text += (csv ? try entry.csvRow() : entry.line) + "\n" }
                try await writer.write(ByteBuffer(string: text))
                after = last.sequence
                if page.count < pageSize { break }
            }
            try await writer.finish(nil)
        }
        // A download, not a page: the console's export links save it under a name that says what it is.
        let name = csv ? "audit-records.csv" : "audit-records.jsonl"
        return Response(status: .ok, headers: [.contentType: csv ? "text/csv; charset=utf-8" : "application/x-ndjson",
                                               .contentDisposition: "attachment; filename=\"\(name)\""], body: body)
    }
}
