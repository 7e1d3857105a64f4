import AuditLog
import Foundation
import GatewayCore
import GatewayPolicy
import HTTPTypes
import Hummingbird
import NIOConcurrencyHelpers
import NIOCore
import VisitingAnalyses
import WebConsole

extension ConsoleRoutes {
    /// The researcher's visiting-analysis pages (README "Console"): the catalogue and the
    /// member's jobs, a job's submission form, its status and its released result with the
    /// airlock's notes, through the same code paths as `/api/visiting/jobs`: the submission is
    /// ``VisitingRoutes/Submission`` and ``VisitingRoutes/enqueue(_:_:_:_:)``, the job lookup
    /// and cancel the API's (another member's job is the same 404), and the result page is
    /// ``VisitingRelease/decide(_:_:_:_:)`` (decided again, cohort checked again, charged,
    /// audited as `analysis:NAME`).
    static func registerVisiting(on router: Router<GatewayRequestContext>, dependencies: ConsoleDependencies, forms: ConsoleForms,
                                 compiled: Result<ConsoleRenderer, GatewayError>) {
        let environment = dependencies.visiting, service = dependencies.admin.queries
        router.get("/console/analyses", access: .research, takesQuery: true) { request, context in
            let (viewer, member, _) = try viewer(request, context)
            let words = ConsoleTextLookup(viewer.language)
            let jobs = try await environment.blocking { () throws(GatewayError) in try environment.store.jobs(of: member.id) }
            let query = visitingLanguageQuery(viewer.language)
            let values: [String: Any] = [
                "jobs": jobs.map { jobRow($0, progress: environment.runner.progress(of: $0.id), query: query) },
                "hasJobs": !jobs.isEmpty,
                "analyses": AnalysisCatalogue.entries.filter(\.available).map { entry -> [String: Any] in
                    ["analysisName": entry.name, "analysisSummary": entry.summary, "analysisOutput": entry.output, "analysisAirlock": entry.airlock,
                     "analysisHref": "/console/analyses/\(entry.name)" + query,
                     "analysisParameters": entry.parameters.sorted { $0.key < $1.key }.map { ["parameterName": $0.key, "parameterText": $0.value] }]
                },
            ]
            let html = try compiled.get().render(.init(template: .visitingCatalogue, title: words["visitingAnalyses"], values: values), for: viewer)
            return try page(html, kind: "console-visiting-catalogue", context)
        }
        router.get("/console/analyses/{name}", access: .research, takesQuery: true) { request, context in
            let (viewer, member, policy) = try viewer(request, context)
            let entry = try catalogueEntry(context)
            let html = try submitPage(entry, posted: [:], problem: nil, viewer: viewer, member: member, policy: policy, arrival: context.arrival,
                                      forms: forms, compiled: compiled)
            return try page(html, kind: "console-visiting-submit", context)
        }
        router.post("/console/analyses/{name}", access: .research) { request, context in
            let member = try context.requireMember()
            let entry = try catalogueEntry(context)
            let fields = try await formFields(request, context)
            try forms.check(request, token: fields["token"], member: member.id, action: submitPath(entry.name))
            let language = ConsoleLanguage.negotiate(acceptLanguage: request.headers[.acceptLanguage], override: fields["lang"])
            do {
                var body: [String: JSONValue] = ["analysis": .string(entry.name), "parameters": try VisitingForm.parameters(fields, analysis: entry.name)]
                if let approval = fields["approval"], !approval.isEmpty { body["approval"] = .string(approval) }
                let job = try await VisitingRoutes.enqueue(try VisitingRoutes.Submission(.object(body), header: nil), context, environment, service)
                return redirect(to: jobPath(job.id) + visitingLanguageQuery(language))
            } catch let error as GatewayError where error.code == .badRequest {
                // The form again, with the API's message naming the parameter and what was entered.
                guard let policy = context.policy else { throw error }
                context.record.withLockedValue { $0.errorCode = .badRequest }
                let viewer = ConsoleRenderer.Viewer(memberID: member.id, role: member.role, path: request.uri.path, language: language)
                let html = try submitPage(entry, posted: fields, problem: error, viewer: viewer, member: member, policy: policy, arrival: context.arrival,
                                          forms: forms, compiled: compiled)
                return htmlResponse(html, status: .badRequest)
            }
        }
        router.get("/console/analyses/jobs/{id}", access: .research, takesQuery: true) { request, context in
            let (viewer, member, _) = try viewer(request, context)
            let job = try await VisitingRoutes.job(context, environment)
            let words = ConsoleTextLookup(viewer.language)
            let query = visitingLanguageQuery(viewer.language)
            var values = jobRow(job, progress: environment.runner.progress(of: job.id), query: query)
            values["jobApproval"] = job.approval
            values["jobParameters"] = job.parameters
            values["jobAttempts"] = String(job.lifecycle.attempts)
            if let reason = job.lifecycle.reason { values["jobReason"] = reason }
            if let started = job.startedAt { values["jobStarted"] = time(started) }
            if let finished = job.finishedAt { values["jobFinished"] = time(finished) }
            if !job.lifecycle.state.isFinished {
                values["refresh"] = true
                values["cancel"] = ["cancelAction": cancelPath(job.id), "cancelToken": forms.token(member: member.id, action: cancelPath(job.id)),
                                    "cancelLanguage": viewer.language.rawValue]
            }
            let html = try compiled.get().render(.init(template: .visitingJob, title: "\(words["visitingJob"]): \(job.analysis)", values: values), for: viewer)
            return try page(html, kind: "console-visiting-job", context)
        }
        router.post("/console/analyses/jobs/{id}/cancel", access: .research) { request, context in
            let member = try context.requireMember()
            let id = try VisitingRoutes.identifier(context)
            let fields = try await formFields(request, context)
            try forms.check(request, token: fields["token"], member: member.id, action: cancelPath(id))
            let job = try await environment.blocking { () throws(GatewayError) in try environment.runner.cancel(id, member: member.id) }
            context.record.withLockedValue {
                $0.query = "job=\(job.id)"
                $0.returned = .init(kind: "visiting-job-cancel")
            }
            let language = ConsoleLanguage.negotiate(acceptLanguage: request.headers[.acceptLanguage], override: fields["lang"])
            return redirect(to: jobPath(job.id) + visitingLanguageQuery(language))
        }
        router.get("/console/analyses/jobs/{id}/result", access: .research, takesQuery: true) { request, context in
            try ConsoleFetchMetadata.refuseOtherSites(request)
            let (viewer, _, _) = try viewer(request, context)
            let job = try await VisitingRoutes.job(context, environment)
            let words = ConsoleTextLookup(viewer.language)
            let query = visitingLanguageQuery(viewer.language)
            // The API's release: its audit record (returned.kind analysis:NAME, or visiting-job-rerun) stays as it wrote it.
            switch try await VisitingRelease.decide(job, context, environment, service) {
            case .rerun(let rerun):
                var values = jobRow(rerun, progress: nil, query: query)
                if let reason = rerun.lifecycle.reason { values["jobReason"] = reason }
                let html = try compiled.get().render(.init(template: .visitingRerun, title: words["visitingRerun"], values: values), for: viewer)
                return htmlResponse(html, status: .accepted)
            case .released(let envelope, let output):
                let document = try JSONParser.parse(Array(output.utf8), limits: .init(maximumDepth: 32, maximumValues: 100_000_000, maximumNumberLength: 64))
                var values = VisitingResultView(analysis: job.analysis, output: document, words: words).values
                values["jobID"] = job.id
                values["jobHref"] = jobPath(job.id) + query
                values["jobParameters"] = job.parameters
                values["computedAt"] = time(envelope.computedAt)
                values["contributingPeople"] = String(envelope.contributingPeople)
                values["airlockOutputs"] = String(envelope.airlock.outputs)
                values["airlockReleased"] = String(envelope.airlock.released)
                values["airlockMasked"] = String(envelope.airlock.masked)
                values["airlockSummary"] = envelope.airlock.summary
                let title = "\(words["visitingResult"]): \(job.analysis)"
                return htmlResponse(try compiled.get().render(.init(template: .visitingResult, title: title, values: values), for: viewer), status: .ok)
            }
        }
    }

    static func submitPath(_ analysis: String) -> String { "/console/analyses/\(analysis)" }
    static func jobPath(_ id: String) -> String { "/console/analyses/jobs/\(id)" }
    static func cancelPath(_ id: String) -> String { "/console/analyses/jobs/\(id)/cancel" }

    /// The catalogue entry named by the path, or the API's refusal of an unknown analysis (as a 404 page).
    static func catalogueEntry(_ context: GatewayRequestContext) throws(GatewayError) -> AnalysisCatalogue.Entry {
        let name = context.parameters.get("name") ?? ""
        guard let entry = AnalysisCatalogue.entry(name), entry.available, AnalysisCatalogue.analysis(named: name) != nil else {
            throw GatewayError(.notFound, "analysis '\(name.prefix(64))' is not in the catalogue; submittable: \(AnalysisCatalogue.analyses.map { $0.entry.name }.joined(separator: ", "))")
        }
        return entry
    }

    /// A job as a row of the member's list (and the job page's base values).
    static func jobRow(_ job: AnalysisJob, progress: Double?, query: String) -> [String: Any] {
        let status = VisitingRoutes.JobStatus(job, progress: progress)
        let fraction = min(1, max(0, status.progress ?? 0))
        var row: [String: Any] = [
            "jobID": job.id, "jobAnalysis": job.analysis, "jobState": status.state, "jobSubmitted": time(job.submittedAt),
            "jobPercent": String(Int((fraction * 100).rounded(.down))), "jobProgress": "\(Int((fraction * 100).rounded(.down))) %",
            "jobHref": jobPath(job.id) + query,
        ]
        if status.links["result"] != nil { row["jobResultHref"] = jobPath(job.id) + "/result" + query }
        return row
    }

    /// The submission form of `entry`: the member's approvals in force that allow it, its fields
    /// (with what was posted, and the refused one marked when `problem` names it), a fresh token.
    static func submitPage(_ entry: AnalysisCatalogue.Entry, posted: [String: String], problem: GatewayError?, viewer: ConsoleRenderer.Viewer,
                           member: Member, policy: PolicySnapshot, arrival: Date, forms: ConsoleForms,
                           compiled: Result<ConsoleRenderer, GatewayError>) throws -> String {
        let words = ConsoleTextLookup(viewer.language)
        let kind = QueryKind.analysis(entry.name)
        let approvals = policy.approvals(of: member.id).filter { approval in
            approval.isInForce(at: arrival) && kind.map(approval.scope.queryKinds.contains) == true
        }
        var values: [String: Any] = ["analysisSummary": entry.summary]
        if let problem {
            values["problem"] = ["problemCode": problem.code.rawValue, "problemMessage": problem.message]
        }
        if approvals.isEmpty {
            values["noApproval"] = "analysis:\(entry.name)"
        } else {
            let invalid = problem.flatMap { VisitingForm.field(namedIn: $0.message, of: entry.name) }
            let fields = VisitingForm.fields(of: entry.name).map { field -> [String: Any] in
                var row: [String: Any] = [
                    "fieldName": field.name, "fieldParameter": field.parameter, "fieldLabel": words[field.word],
                    "fieldValue": posted[field.name] ?? "",
                    "fieldMaxLength": String(VisitingForm.maximumLength), "fieldPlaceholder": field.placeholder,
                    "fieldRequired": field.required, "fieldInvalid": field.name == invalid,
                ]
                // A region's description once, beside its first field.
                if !field.name.hasSuffix(".start"), !field.name.hasSuffix(".end"), let hint = entry.parameters[field.parameter] { row["fieldHint"] = hint }
                switch field.kind {
                case .units, .lines: row["fieldTextarea"] = true
                case .boolean(let standard):
                    let chosen = posted[field.name].map { $0 == "true" } ?? standard
                    row["fieldSelect"] = true
                    row["fieldOptions"] = [("true", words["visitingYes"]), ("false", words["visitingNo"])].map {
                        ["optionValue": $0.0, "optionLabel": $0.1, "optionSelected": ($0.0 == "true") == chosen]
                    }
                case .integer:
                    row["fieldInput"] = true
                    row["fieldType"] = "number"
                    row["fieldMin"] = "1"
                case .decimal(let minimum, let maximum, let step):
                    row["fieldInput"] = true
                    row["fieldType"] = "number"
                    row["fieldMin"] = minimum
                    row["fieldMax"] = maximum
                    row["fieldStep"] = step
                case .text, .terms:
                    row["fieldInput"] = true
                    row["fieldType"] = "text"
                }
                if field.kind == .terms { row["fieldHint"] = "\(entry.parameters[field.parameter] ?? ""). \(words["visitingTermsHint"])" }
                return row
            }
            let path = submitPath(entry.name)
            values["form"] = [
                "formAction": path, "formToken": forms.token(member: member.id, action: path), "fields": fields,
                "approvalOptions": approvals.map { ["optionValue": $0.id, "optionLabel": "\($0.id) — \($0.title)", "optionSelected": posted["approval"] == $0.id] },
                "formLanguage": viewer.language.rawValue,
            ]
        }
        return try compiled.get().render(.init(template: .visitingSubmit, title: "\(words["visitingNewJob"]): \(entry.name)", values: values), for: viewer)
    }

    /// An HTML answer with the console's headers that leaves the audit record's `returned` as
    /// the code path it shows wrote it.
    static func htmlResponse(_ html: String, status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: headers(contentType: "text/html; charset=utf-8"), body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// 303 to `path` (post, redirect, get: a reload never posts the form again).
    static func redirect(to path: String) -> Response {
        var fields = headers(contentType: "text/plain; charset=utf-8")
        fields[.location] = path
        return Response(status: .seeOther, headers: fields)
    }

    /// `?lang=ja`, or nothing for English (the default), for the group's links.
    static func visitingLanguageQuery(_ language: ConsoleLanguage) -> String { language == .english ? "" : "?lang=\(language.rawValue)" }

    /// A time as `2026-11-30 17:01:02 UTC`.
    static func time(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = .gmt
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss 'UTC'"
        return formatter.string(from: date)
    }
}
