import AuditLog
import Foundation
import GatewayCore
import Hummingbird
import NIOConcurrencyHelpers
import NIOPosix
import Synchronization

/// `GET /api/audit/verify` and the console's verification page share ``verification(_:from:)``:
/// the gateway checks its own store as `genomegate audit verify` checks an export (chain,
/// hashes, checkpoint signatures and links, signed ends), one bounded range at a time, off the
/// event loop.
extension AuditRoutes {
    /// The most records one verification reads (about 15 MB of text, well under a second).
    static let verificationCap = 20_000
    /// Verifications running at once, process-wide; more are refused (429 `too_many_jobs`) rather than queued.
    static let verificationsRunning = Mutex(0)
    static let maximumVerifications = 2

    static func registerVerification(on router: Router<GatewayRequestContext>, log: AuditLog) {
        router.get("/api/audit/verify", access: .audit, takesQuery: true) { request, context in
            var from: Int?
            for (name, value) in try request.uri.singleValuedParameters() {
                guard name == "from_sequence" else {
                    throw GatewayError(.badRequest, "unknown query parameter '\(name.prefix(60))' (from_sequence)")
                }
                from = try verificationStart(value)
            }
            let result = try await verification(log, from: from)
            context.record.withLockedValue { $0.returned = .init(kind: "audit-verification") }
            return try JSONResponse.make(VerificationDocument(result))
        }
    }

    /// `from_sequence` read as a record's sequence (1 or more).
    static func verificationStart(_ text: String) throws(GatewayError) -> Int {
        guard let number = DecimalInteger.parse(text), number >= 1 else {
            throw GatewayError(.badRequest, "from_sequence '\(text.prefix(40))' is not a record's sequence (a whole number from 1)")
        }
        return number
    }

    /// Signs the head (so everything committed so far is covered), then verifies one range of
    /// at most ``verificationCap`` records on NIO's thread pool.
    static func verification(_ log: AuditLog, from: Int?) async throws(GatewayError) -> AuditVerification {
        let admitted = verificationsRunning.withLock { running -> Bool in
            guard running < maximumVerifications else { return false }
            running += 1
            return true
        }
        guard admitted else {
            throw GatewayError(.tooManyJobs, "\(maximumVerifications) verifications of the audit log are running already; try again in a moment")
        }
        defer { verificationsRunning.withLock { $0 -= 1 } }
        _ = await log.signHead()
        let key = try AuditSignatureVerifier(publicKeyPEM: log.signer.publicKeyPEM)
        let database = log.database, cap = verificationCap
        return try await BlockingWork.run { () throws(GatewayError) in try database.verify(from: from, cap: cap, publicKey: key) }
    }

    /// The API's answer.
    struct VerificationDocument: Encodable {
        var result: String
        var firstSequence: Int
        var lastSequence: Int
        var records: Int
        var checkpoints: Int
        var lastCheckpointSequence: Int?
        var lastCheckpointTime: String?
        var keyId: String?
        var lastSignedSequence: Int
        var nextFromSequence: Int?
        var failure: Failure?

        struct Failure: Encodable {
            var sequence: Int?
            var message: String
        }

        init(_ verification: AuditVerification) {
            result = verification.passed ? "pass" : "fail"
            firstSequence = verification.firstSequence
            lastSequence = verification.lastSequence
            records = verification.records
            checkpoints = verification.checkpoints
            lastCheckpointSequence = verification.lastCheckpointSequence
            lastCheckpointTime = verification.lastCheckpointTime
            keyId = verification.keyID
            lastSignedSequence = verification.lastSignedSequence
            nextFromSequence = verification.nextFromSequence
            failure = verification.failure.map { Failure(sequence: $0.sequence, message: $0.message) }
        }

        enum CodingKeys: String, CodingKey {
            case result, records, checkpoints, failure
            case firstSequence = "first_sequence", lastSequence = "last_sequence"
            case lastCheckpointSequence = "last_checkpoint_sequence", lastCheckpointTime = "last_checkpoint_time"
            case keyId = "key_id", lastSignedSequence = "last_signed_sequence", nextFromSequence = "next_from_sequence"
        }
    }
}
