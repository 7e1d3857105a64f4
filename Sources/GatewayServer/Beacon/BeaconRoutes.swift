import DisclosureControl
import Foundation
import GatewayCore
import GatewayPolicy
import Hummingbird
import NIOConcurrencyHelpers
import PrivacyLedger
import HummingbirdCore
import VariantStore

/// The Beacon v2 endpoints. Only boolean and count granularity are served;
/// a request for `record` is answered at `count` and says so in `returnedGranularity`.
enum BeaconRoutes {
    static func register(on router: Router<GatewayRequestContext>, service: VariantQueryService) {
        for path in ["/api/g_variants", "/api/individuals", "/api/biosamples"] {
            let entity = path.split(separator: "/").last.map(String.init) ?? ""
            let handler: @Sendable (Request, GatewayRequestContext) async throws -> Response = { request, context in
                try await answer(request, context, entity: entity, service: service)
            }
            router.get(RouterPath(path), access: .research, takesQuery: true, use: handler)
            // A POST with a query string is refused by ``parse``, with a message about the body.
            router.post(RouterPath(path), access: .research, takesQuery: true, use: handler)
        }
        router.get("/api/filtering_terms", access: .catalogue) { _, _ in try await filteringTerms(service) }
        router.get("/api/datasets", access: .catalogue) { _, context in try await datasets(service, context) }
        router.get("/api/configuration", access: .serviceInformation) { _, _ in try JSONResponse.make(BeaconDocuments.configuration) }
        router.get("/api/map", access: .serviceInformation) { _, _ in try JSONResponse.make(BeaconDocuments.map) }
        router.get("/api/entry_types", access: .serviceInformation) { _, _ in try JSONResponse.make(BeaconDocuments.entryTypes) }
    }

    /// Reads a Beacon request from the query string (GET) or body (POST).
    ///
    /// A POST takes its whole query in the body: a query string on it is refused (it would
    /// otherwise be ignored, and left out of the audit record). Before the body is read, the
    /// caller must hold an approval that allows one of `kinds` (the approval named in
    /// `X-Approval-Id`, or their only one): a caller who could not be answered anyway costs
    /// the gateway no parsing.
    static func parse(
        _ request: Request, _ context: GatewayRequestContext, kinds: [QueryKind], variantsAllowed: Bool = true
    ) async throws -> BeaconRequest {
        var parsed: BeaconRequest
        if request.method == .post {
            if let (name, _) = request.uri.queryParameters.first {
                throw GatewayError(.badRequest, "a POST takes its query in the body, but the URL has query parameter '\(String(name).prefix(60))'; name the approval in the X-Approval-Id header")
            }
            try AccessControl.precheck(kinds, approvalID: try approvalHeader(request), context)
            let body = try await request.body.collect(upTo: context.maxUploadSize)
            parsed = try BeaconRequest.fromBody(Data(body.readableBytesView), variantsAllowed: variantsAllowed)
        } else {
            if request.headers[.transferEncoding] != nil || request.headers[.contentLength].map({ $0 != "0" }) == true {
                throw GatewayError(.badRequest, "a GET takes its query in the URL and no body; send a Beacon request body with POST")
            }
            parsed = try BeaconRequest.fromQuery(request.uri, variantsAllowed: variantsAllowed)
        }
        let named = try approvalHeader(request)
        if let named, let parameter = parsed.approvalID, named != parameter {
            throw GatewayError(.badRequest, "the approval is named twice (parameter 'approval' and header X-Approval-Id) with different ids; name it once")
        }
        parsed.approvalID = parsed.approvalID ?? named
        if let approval = parsed.approvalID, !PolicyValidation.isIdentifier(approval) {
            throw GatewayError(.badRequest, "approval '\(approval.prefix(40))' is not an approval id (1 to 64 letters, digits, '.', '_' or '-')")
        }
        if request.method == .post {
            let query = parsed.normalisedDescription
            context.record.withLockedValue { $0.query = query }
        }
        return parsed
    }

    /// The `X-Approval-Id` header, given at most once.
    static func approvalHeader(_ request: Request) throws(GatewayError) -> String? {
        let values = request.headers[values: .approvalID]
        guard values.count <= 1 else { throw GatewayError(.badRequest, "the X-Approval-Id header is given \(values.count) times; name one approval") }
        return values.first
    }

    static func answer(_ request: Request, _ context: GatewayRequestContext, entity: String, service: VariantQueryService) async throws -> Response {
        var parsed: BeaconRequest?
        do {
            let beaconRequest = try await parse(request, context, kinds: [.beaconBoolean, .beaconCount])
            parsed = beaconRequest
            if beaconRequest.strata != nil {
                throw GatewayError(.badRequest, "strata applies to /api/aggregate/ answers only; a Beacon answer has no strata")
            }
            let grant = try AccessControl.authorize(beaconRequest.dataQuery(beaconRequest.beaconKind), context)
            let selection = try await service.select(beaconRequest, under: grant)
            let (catalog, cohort) = (selection.catalog, selection.cohort)
            let control = service.disclosure
            var info: [String: AnyEncodable] = [
                "disclosure": AnyEncodable("Counts below \(control.policy.minimumCellCount) are not shown; variants carried by fewer than \(control.policy.minimumCellCount) people of the cohort are treated as not found."),
            ]
            let schema: BeaconResponses.SchemaReference
            var count: DisclosedCount
            var releases = AnswerReleases(noiseVariance: service.noiseVariance)
            // The same floor on every data endpoint: no answer about a cohort below the minimum size.
            guard control.admitsCohort(size: cohort.count) else { throw cohortTooSmall(control) }
            switch entity {
            case "g_variants":
                schema = BeaconResponses.genomicVariantSchema
                guard let query = beaconRequest.variant else {
                    throw GatewayError(.badRequest, "g_variants needs referenceName and start (and alternateBases, or an end)")
                }
                let listed = try await service.listedVariants(query, in: selection)
                try Self.checkAnswerSize(listed, service)
                for variant in listed.shown { releases.listing(variant, in: selection, threshold: control.policy.minimumCellCount) }
                for variant in listed.hidden { releases.listing(variant, in: selection, threshold: control.policy.minimumCellCount) }
                count = .value(listed.shown.count)
            default:
                schema = entity == "individuals" ? BeaconResponses.individualSchema : BeaconResponses.biosampleSchema
                var selected = cohort
                var counted: VariantRecord?
                if let query = beaconRequest.variant {
                    let listed = try await service.listedVariants(query, in: selection)
                    // One count over several variants (their union) would escape the ledger's
                    // per-variant accounting: with the ledger on, a count covers one variant.
                    try Self.checkAnswerSize(listed, service, limit: service.accounting.ledger == nil ? nil : 1)
                    var carriers = SampleSet(capacity: catalog.capacity)
                    for variant in listed.shown {
                        if let carrying = variant.genotypes.copies.first { carriers.formUnion(carrying) }
                        counted = variant
                    }
                    for variant in listed.hidden { releases.listing(variant, in: selection, threshold: control.policy.minimumCellCount) }
                    selected = cohort.intersection(carriers)
                } else {
                    releases.composition("cohort-summary", pools: [cohort])
                }
                // A count of people is perturbed by its cell key: the samples it counts, or for
                // individuals the people, alone, so that however the question is phrased the same
                // contributors get the same noise (README "Privacy").
                if entity == "individuals" {
                    let people = catalog.people(in: selected)
                    count = service.released(control.count(people.count), contributors: people, statistic: entity, subject: "")
                } else {
                    count = service.released(control.count(selected.count), contributors: selected, statistic: entity, subject: "")
                }
                if let variant = counted {
                    // Charged from the count released: the carriers' share, as an allele frequency of heterozygotes.
                    let pool = entity == "individuals" ? catalog.participantCount(in: cohort) : cohort.count
                    if let shown = count.value, pool > 0 {
                        // A count of carriers is another statistic than the allele counts of
                        // allele-frequency: asked both, a pool tells how many are homozygous.
                        releases.counts(variant.subject, pools: [(cohort, min(1, Double(shown) / Double(2 * pool)))],
                                        statistic: entity == "individuals" ? ReleasedStatistic.carrierPeople : ReleasedStatistic.carrierSamples)
                    } else {
                        releases.listing(variant, in: selection, threshold: control.policy.minimumCellCount)
                    }
                }
            }
            try service.accounting.charge(releases.subjects, grant: grant, catalog: catalog, context: context)
            if let restriction = selection.restriction { info["cohortRestriction"] = AnyEncodable(restriction) }
            // Counts of people are perturbed; a count of variants is exact.
            let perturbed = entity != "g_variants" && service.perturbation.isEnabled
            if perturbed {
                info["privacy"] = AnyEncodable([
                    "countPerturbation": "cell key (ABS method): a count of at least \(control.policy.minimumCellCount) moves by at most \(service.perturbation.maximumNoise), never below \(control.policy.minimumCellCount), the same way every time it is asked",
                ])
            }
            var response = summaryResponse(beaconRequest, schema: schema, count: count, info: info)
            if response.responseSummary.numTotalResults != nil { response.responseSummary.countPrecision = perturbed ? "imprecise" : "exact" }
            return try JSONResponse.answer(response,
                                           kind: beaconRequest.beaconKind.rawValue, contributingSamples: cohort.count, context: context,
                                           alsoSuppressed: count.isSuppressed ? 1 : 0)
        } catch let error as GatewayError where error.code == .badRequest || error.code == .cohortTooSmall {
            context.record.withLockedValue { $0.errorCode = error.code }
            return try errorResponse(error, request: parsed, status: error.code == .badRequest ? .badRequest : .forbidden)
        }
    }

    /// A Beacon answer is one number over every variant the query matches, so it cannot be cut
    /// short like a list: with the ledger on, a query matching more than its limit is refused.
    static func checkAnswerSize(_ listed: (shown: [VariantRecord], hidden: [VariantRecord]), _ service: VariantQueryService, limit: Int? = nil) throws(GatewayError) {
        let matched = listed.shown.count + listed.hidden.count
        let most = limit ?? service.variantsPerAnswer
        guard matched <= most else {
            throw GatewayError(.badRequest, "the query matches \(matched) variants; this Beacon answer covers at most \(most) (README \"Privacy\"): narrow the range or name the alleles")
        }
    }

    static func cohortTooSmall(_ control: DisclosureControl) -> GatewayError {
        GatewayError(.cohortTooSmall, "the selected cohort has fewer than \(control.policy.minimumCohortSize) samples; widen the filters")
    }

    /// A boolean or count response; a suppressed count is answered as boolean `false` (nothing below k is shown).
    static func summaryResponse(_ request: BeaconRequest, schema: BeaconResponses.SchemaReference, count: DisclosedCount, info: [String: AnyEncodable]) -> BeaconResponses.CountResponse {
        let wantsCount = request.requestedGranularity != .boolean
        let value = count.value
        let returned = wantsCount && value != nil ? "count" : "boolean"
        return BeaconResponses.CountResponse(
            meta: meta(request, schema: schema, returnedGranularity: returned),
            responseSummary: .init(exists: (value ?? 0) > 0, numTotalResults: returned == "count" ? value : nil),
            info: info
        )
    }

    static func meta(_ request: BeaconRequest?, schema: BeaconResponses.SchemaReference, returnedGranularity: String) -> BeaconResponses.ResponseMeta {
        var parameters: [String: AnyEncodable]?
        if let variant = request?.variant {
            var echo: [String: AnyEncodable] = ["referenceName": AnyEncodable(variant.referenceName), "start": AnyEncodable(variant.start)]
            if !variant.end.isEmpty { echo["end"] = AnyEncodable(variant.end) }
            if let bases = variant.referenceBases { echo["referenceBases"] = AnyEncodable(bases) }
            if let bases = variant.alternateBases { echo["alternateBases"] = AnyEncodable(bases) }
            if let assembly = variant.assemblyId { echo["assemblyId"] = AnyEncodable(assembly) }
            if let type = variant.variantType { echo["variantType"] = AnyEncodable(type) }
            parameters = ["g_variant": AnyEncodable(echo)]  // as the default model's requestParameters.json names them
        }
        return BeaconResponses.ResponseMeta(
            returnedSchemas: [schema], returnedGranularity: returnedGranularity,
            receivedRequestSummary: .init(
                requestedSchemas: [schema],
                pagination: .init(skip: request?.skip ?? 0, limit: request?.limit ?? 0),
                requestedGranularity: request?.requestedGranularity.rawValue ?? "boolean",
                filters: request.map { $0.filters }, requestParameters: parameters
            )
        )
    }

    /// A Beacon error response; `errorMessage` starts with the gateway's stable code.
    static func errorResponse(_ error: GatewayError, request: BeaconRequest?, status: HTTPResponse.Status) throws -> Response {
        let body = BeaconResponses.ErrorResponse(
            meta: meta(request, schema: BeaconResponses.genomicVariantSchema, returnedGranularity: "boolean"),
            error: .init(errorCode: Int(status.code), errorMessage: "\(error.code.rawValue): \(error.message)")
        )
        return try JSONResponse.make(body, status: status)
    }

    static func filteringTerms(_ service: VariantQueryService) async throws -> Response {
        let catalog = try await service.currentCatalog()
        struct Term: Encodable, Sendable {
            var id: String
            var label: String
            var type: String
            var scopes: [String]
        }
        let scopes = ["genomicVariation", "individual", "biosample"]
        var terms = catalog.cancerTypeLabels.keys.sorted().map { Term(id: $0, label: catalog.cancerTypeLabels[$0] ?? $0, type: "ontologyTerm", scopes: scopes) }
        terms.append(Term(id: CohortCatalog.tumourTerm, label: "Tumor Tissue", type: "ontologyTerm", scopes: scopes))
        terms.append(Term(id: CohortCatalog.normalTerm, label: "Normal Tissue", type: "ontologyTerm", scopes: scopes))
        terms.append(Term(id: CohortCatalog.qcPassTerm, label: "Sample passes the data centre's QC thresholds", type: "custom", scopes: scopes))
        struct Resource: Encodable, Sendable {
            var id: String
            var name: String
            var url: String
            var nameSpacePrefix: String
        }
        struct Body: Encodable, Sendable {
            var filteringTerms: [Term]
            var resources: [Resource]
        }
        let body = Body(filteringTerms: terms, resources: [
            Resource(id: "ncit", name: "NCI Thesaurus", url: "https://ncit.nci.nih.gov", nameSpacePrefix: "NCIT"),
        ])
        return try JSONResponse.make(BeaconResponses.InformationalResponse(
            meta: .init(returnedSchemas: [.init(entityType: "filteringTerm", schema: "beacon-filtering-terms-v2.0.0")]), response: body))
    }

    static func datasets(_ service: VariantQueryService, _ context: GatewayRequestContext) async throws -> Response {
        let policy = context.policy?.state.datasets ?? [:]
        let stored = try await service.storedDatasets()
        struct DataUse: Encodable, Sendable {
            var id: String
            var label: String
            var version = "2022-03-23"
            var modifiers: [[String: String]]?
        }
        struct Dataset: Encodable, Sendable {
            var id: String
            var name: String
            var description: String?
            var dataUseConditions: [String: [DataUse]]?
            var info: [String: String]
        }
        let collections = stored.map { record in
            let described = policy[record.id]
            let uses = described?.dataUse.map { term in
                DataUse(id: term.id, label: DataUseOntology.terms[term.id]?.label ?? term.label ?? term.id)
            }
            return Dataset(id: record.id, name: described?.name ?? record.id, description: described?.description,
                           dataUseConditions: uses.map { ["duoDataUse": $0] }, info: ["assemblyId": record.assembly])
        }
        struct Body: Encodable, Sendable { var collections: [Dataset] }
        struct Summary: Encodable, Sendable { var exists: Bool; var numTotalResults: Int }
        struct Document: Encodable, Sendable {
            var meta: BeaconResponses.ResponseMeta
            var responseSummary: Summary
            var response: Body
        }
        return try JSONResponse.make(Document(
            meta: meta(nil, schema: BeaconResponses.datasetSchema, returnedGranularity: "record"),
            responseSummary: .init(exists: !collections.isEmpty, numTotalResults: collections.count),
            response: .init(collections: collections)))
    }
}
