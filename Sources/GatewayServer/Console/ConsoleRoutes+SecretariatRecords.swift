import Foundation
import GatewayCore
import GatewayPolicy
import Hummingbird
import NIOCore
import NIOPosix
import PolicyStore
import WebConsole

extension ConsoleRoutes {
    /// What a withdrawals upload did, shown on the page the upload redirects to.
    struct WithdrawalUpload: Sendable {
        var file: String
        var rows: Int
        var outcome: Admin.WithdrawalOutcome
    }

    /// Versions per history page; withdrawal recordings per page; history entries read per page at most.
    static let historyPageSize = 20
    static let recordingsPageSize = 50
    static let historyEntryLimit = 2000
    /// The multipart upload's caps: 4 MiB (about 150,000 withdrawals), 4 parts.
    static let uploadLimits = MultipartFormData.Limits(maximumBodyBytes: 4 << 20, maximumParts: 4, maximumHeaderLineBytes: 1024, maximumHeaderLines: 8)

    /// Withdrawals (upload a CSV as a file; see what matched; the recordings) and the policy
    /// history (every version, each record's change as a diff, newest first, paged).
    static func registerSecretariatRecords(on router: Router<GatewayRequestContext>, admin: Admin, forms: ConsoleForms,
                                           compiled: Result<ConsoleRenderer, GatewayError>) {
        let uploads = ConsoleOutcomes<WithdrawalUpload>()
        let database = admin.policy.database
        router.get("/console/secretariat/withdrawals", access: .administration, takesQuery: true) { request, context in
            let (viewer, member, policy, parameters) = try viewer(request, context, taking: ["result", "before"])
            let words = ConsoleTextLookup(viewer.language)
            let before = try pageBound(parameters["before"])
            let recordings = try await BlockingWork.run { () throws(GatewayError) in try database.versions(before: before, limit: recordingsPageSize, recordingWithdrawals: true) }
            var values: [String: Any] = [
                "withdrawnTotal": policy.withdrawnParticipants.count,
                "upload": ["action": "/console/secretariat/withdrawals",
                           "token": forms.token(member: member.id, action: "/console/secretariat/withdrawals")],
                "recordings": recordings.map { ["version": $0.version, "time": $0.recordedAt, "actor": $0.actor, "channel": $0.channel, "count": $0.withdrawals] },
            ]
            if recordings.count == recordingsPageSize, let last = recordings.last {
                values["next"] = "/console/secretariat/withdrawals?before=\(last.version)" + (viewer.language == .english ? "" : "&lang=ja")
            }
            if let key = parameters["result"], let upload = uploads.value(key, for: member.id) {
                let outcome = upload.outcome
                values["outcome"] = [
                    "file": upload.file, "rows": upload.rows, "recorded": outcome.recorded, "already": outcome.alreadyWithdrawn,
                    "unknownCount": outcome.notInVariantStore.count, "unknown": outcome.notInVariantStore,
                    "hasUnknown": !outcome.notInVariantStore.isEmpty, "total": outcome.withdrawnTotal, "version": outcome.policyVersion,
                ] as [String: Any]
            }
            let html = try compiled.get().render(.init(template: .secretariatWithdrawals, title: words["withdrawalsPage"], values: values), for: viewer)
            return try page(html, kind: "console-secretariat-withdrawals", context)
        }
        router.post("/console/secretariat/withdrawals", access: .administration) { request, context in
            let member = try context.requireMember()
            // Another site's post is refused on its headers, before its body is read.
            try ConsoleForms.refuseOtherSites(request)
            let boundary = try MultipartFormData.boundary(contentType: request.headers[.contentType])
            let limit = min(context.maxUploadSize, uploadLimits.maximumBodyBytes)
            var body: [UInt8] = []
            for try await chunk in request.body {
                guard chunk.readableBytes <= limit - body.count else {
                    throw GatewayError(.bodyTooLarge, "the upload is over \(limit) bytes; split the CSV into smaller files")
                }
                body.append(contentsOf: chunk.readableBytesView)
            }
            let form = try MultipartFormData(body, boundary: boundary, limits: uploadLimits)
            let token = form["token"].flatMap { String(validating: $0.body, as: UTF8.self) }
            try forms.check(request, token: token, member: member.id, action: "/console/secretariat/withdrawals")
            guard let file = form["file"] else { throw GatewayError(.badRequest, "the upload has no file (field 'file')") }
            let name = String((file.filename ?? "upload").unicodeScalars.filter { !$0.properties.isDefaultIgnorableCodePoint && $0.value >= 0x20 }.prefix(100))
            guard let text = String(validating: file.body, as: UTF8.self) else {
                throw GatewayError(.invalidPolicy, "the CSV file \(name) is not UTF-8 text")
            }
            let withdrawals = try WithdrawalCSV.parse(text, source: "CSV file \(name)", now: context.arrival)
            let outcome = try await admin.recordWithdrawals(withdrawals, context)
            let key = uploads.keep(WithdrawalUpload(file: name, rows: withdrawals.count, outcome: outcome), for: member.id)
            return redirect(to: "/console/secretariat/withdrawals?result=\(key)", context)
        }
        router.get("/console/secretariat/history", access: .administration, takesQuery: true) { request, context in
            let (viewer, _, _, parameters) = try viewer(request, context, taking: ["before"])
            let words = ConsoleTextLookup(viewer.language)
            let before = try pageBound(parameters["before"])
            let versions = try await BlockingWork.run { () throws(GatewayError) in try database.versions(before: before, limit: historyPageSize) }
            var entries: [PolicyDatabase.HistoryEntry] = []
            if let newest = versions.first?.version, let oldest = versions.last?.version {
                entries = try await BlockingWork.run { () throws(GatewayError) in try database.history(versions: oldest...newest, limit: historyEntryLimit) }
            }
            let byVersion = Dictionary(grouping: entries, by: \.version)
            let truncatedAt = entries.count == historyEntryLimit ? entries.last?.version : nil
            var values: [String: Any] = [
                "versions": versions.map { version -> [String: Any] in
                    var row: [String: Any] = [
                        "version": version.version, "time": version.recordedAt, "actor": version.actor, "channel": version.channel,
                        "summary": version.summary,
                        "records": (byVersion[version.version] ?? []).map { entry -> [String: Any] in
                            ["kind": entry.kind, "id": entry.id, "action": entry.action,
                             "lines": PolicyDiff.lines(before: entry.before, after: entry.after).map { ["kind": $0.kind.rawValue, "text": $0.text] }]
                        },
                        "truncated": truncatedAt.map { version.version >= $0 } ?? false,
                    ]
                    if version.withdrawals > 0 { row["withdrawals"] = version.withdrawals }
                    return row
                },
            ]
            if versions.count == historyPageSize, let last = versions.last, last.version > 1 {
                values["next"] = "/console/secretariat/history?before=\(last.version)" + (viewer.language == .english ? "" : "&lang=ja")
            }
            let html = try compiled.get().render(.init(template: .secretariatHistory, title: words["historyPage"], values: values), for: viewer)
            return try page(html, kind: "console-secretariat-history", context)
        }
    }

    /// `before`: a version number from 1 (nil: from the latest).
    static func pageBound(_ text: String?) throws(GatewayError) -> Int? {
        guard let text else { return nil }
        guard let number = DecimalInteger.parse(text), number >= 1 else {
            throw GatewayError(.badRequest, "before must be a policy version number from 1 to \(Int.max), not '\(text.prefix(20))'")
        }
        return number
    }
}
