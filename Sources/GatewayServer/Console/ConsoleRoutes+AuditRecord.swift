import AuditLog
import Foundation
import GatewayCore
import Hummingbird
import NIOConcurrencyHelpers
import WebConsole

extension ConsoleRoutes {
    /// One audit record in full (`/console/audit/records/{sequence}`): every field it holds, its
    /// chain hashes (and whether its hash follows from its text), the checkpoint that signs it,
    /// its canonical text as hashed, and links to the records before and after.
    static func registerAuditRecord(on router: Router<GatewayRequestContext>, log: AuditLog, compiled: Result<ConsoleRenderer, GatewayError>) {
        router.get("/console/audit/records/{sequence}", access: .audit, takesQuery: true) { request, context in
            let (viewer, _, _, _) = try viewer(request, context, taking: [])
            let text = context.parameters.get("sequence") ?? ""
            guard let sequence = DecimalInteger.parse(text), sequence >= 1 else {
                throw GatewayError(.badRequest, "sequence '\(text.prefix(40))' is not a record's sequence number (a whole number from 1)")
            }
            let head = log.headSequence
            guard let entry = try await log.database.entry(sequence: sequence) else {
                throw GatewayError(.notFound, "there is no audit record \(sequence): the log holds records 1 to \(head)")
            }
            guard let record = try? JSONDecoder().decode(AuditRecord.self, from: Data(entry.canonical.utf8)) else {
                throw GatewayError(.internalError, "audit record \(sequence) cannot be read; verify the log")
            }
            let words = ConsoleTextLookup(viewer.language)
            let language = viewer.language == .english ? "" : "?lang=\(viewer.language.rawValue)"
            func field(_ key: String, _ value: String?) -> [String: Any]? {
                guard let value, !value.isEmpty else { return nil }
                return ["name": key, "label": words["field." + key], "value": value]
            }
            let returned = record.returned
            let fields: [[String: Any]] = [
                field("time", readableTime(record.time) + " (" + record.time + ")"), field("request_id", record.requestID),
                field("member", record.member), field("organization", record.organization), field("country", record.country),
                field("role", record.role), field("certificate_subject", record.certificateSubject),
                field("certificate_fingerprint", record.certificateFingerprint), field("remote_address", record.remoteAddress),
                field("method", record.method), field("path", record.path), field("query", record.query),
                field("approval", record.approval), field("policy_version", record.policyVersion.map(String.init)),
                field("policy_revision", record.policyRevision), field("decision", record.decision),
                field("reasons", record.reasons.joined(separator: " ")), field("cohort_restriction", record.cohortRestriction),
                field("change", record.change), field("status", String(record.status)), field("bytes", record.bytes.map(String.init)),
                field("duration_us", String(record.durationMicroseconds)),
                field("returned_kind", returned?.kind), field("contributing_samples", returned?.contributingSamples.map(String.init)),
                field("suppressed_cells", returned?.suppressedCells.map(String.init)),
                field("privacy_charge_micro", returned?.privacyChargeMicro.map(String.init)), field("airlock", returned?.airlock),
            ].compactMap { $0 }
            let hashMatches = AuditChain.hash(previous: entry.previousHash, canonical: entry.canonical) == entry.hash
            var values: [String: Any] = [
                "sequence": sequence, "fields": fields, "decision": record.decision,
                "hash": AuditChain.hex(entry.hash), "previousHash": AuditChain.hex(entry.previousHash),
                "hashCheck": hashMatches ? words["hashMatches"] : words["hashDiffers"], "hashMatches": hashMatches,
                "canonical": entry.canonical,
                "previous": sequence > 1 ? "/console/audit/records/\(sequence - 1)" + language : nil as String? as Any,
                "next": sequence < head ? "/console/audit/records/\(sequence + 1)" + language : nil as String? as Any,
                "log": "/console/audit?from_sequence=\(sequence)" + (language.isEmpty ? "" : "&" + language.dropFirst()),
            ]
            if let checkpoint = try await log.database.checkpoint(covering: sequence),
               let signed = try? JSONDecoder().decode(AuditCheckpoint.self, from: Data(checkpoint.canonical.utf8)) {
                values["checkpoint"] = ["sequence": checkpoint.sequence, "time": readableTime(signed.time), "keyID": signed.keyID,
                                        "headHash": signed.headHash, "signature": checkpoint.signature]
            }
            let html = try compiled.get().render(.init(template: .auditRecord, title: "\(words["auditRecord"]) \(sequence)", values: present(values)), for: viewer)
            return try page(html, kind: "console-audit-record", context)
        }
    }

    /// The verification status computed by the gateway (`/console/audit/verification`): the same
    /// check as `GET /api/audit/verify` and `genomegate audit verify`, over one signed range of at
    /// most ``AuditRoutes/verificationCap`` records (by default the latest), pass or fail, what was
    /// checked, the first bad record on failure, and links to the next range and to the start.
    static func registerAuditVerification(on router: Router<GatewayRequestContext>, log: AuditLog, compiled: Result<ConsoleRenderer, GatewayError>) {
        router.get("/console/audit/verification", access: .audit, takesQuery: true) { request, context in
            // Seconds of work on a GET: not for another site to start through an auditor's browser.
            try ConsoleFetchMetadata.refuseOtherSites(request)
            let (viewer, _, _, taken) = try viewer(request, context, taking: ["from_sequence"])
            let from = try taken["from_sequence"].map { text throws(GatewayError) in try AuditRoutes.verificationStart(text) }
            let started = ContinuousClock.now
            let result = try await AuditRoutes.verification(log, from: from)
            let elapsed = ContinuousClock.now - started
            let words = ConsoleTextLookup(viewer.language)
            let language = viewer.language == .english ? "" : "&lang=\(viewer.language.rawValue)"
            let milliseconds = elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
            var values: [String: Any] = [
                "passed": result.passed,
                "verdict": result.passed ? words["verificationPass"] : words["verificationFail"],
                "range": result.records == 0 && result.lastSequence == 0 ? words["nothingSigned"] : "\(result.firstSequence)–\(result.lastSequence)",
                "records": result.records, "checkpoints": result.checkpoints,
                "lastCheckpoint": result.lastCheckpointSequence.map { "\($0) (\(readableTime(result.lastCheckpointTime ?? "")))" } ?? "–",
                "keyID": result.keyID ?? "–", "lastSigned": result.lastSignedSequence, "cap": AuditRoutes.verificationCap,
                "elapsed": "\(milliseconds) ms",
                "start": "/console/audit/verification?from_sequence=1" + language,
                "next": result.nextFromSequence.map { "/console/audit/verification?from_sequence=\($0)" + language } as Any,
            ]
            if let failure = result.failure {
                values["failure"] = present([
                    "sequence": failure.sequence.map(String.init) ?? "–", "message": failure.message,
                    "href": failure.sequence.map { "/console/audit/records/\($0)" + (language.isEmpty ? "" : "?" + language.dropFirst()) } as Any,
                ])
            }
            let html = try compiled.get().render(.init(template: .auditVerification, title: words["auditVerification"], values: present(values)), for: viewer)
            return try page(html, kind: "console-audit-verification", context)
        }
    }
}
