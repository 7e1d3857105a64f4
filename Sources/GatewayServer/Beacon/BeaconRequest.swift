import Foundation
import GatewayCore
import GatewayPolicy
import Hummingbird
import HummingbirdCore

/// A Beacon v2 request, from GET query parameters or a POST request body.
///
/// Parsing is strict: an unknown parameter, a malformed or out-of-range number, an unknown
/// granularity, a filter operator or a duplicate key is a `bad_request` naming it, never a
/// silently different query. Bodies are parsed by ``JSONParser`` (bounded depth and size).
public struct BeaconRequest: Sendable, Hashable {
    public enum Granularity: String, Sendable, Hashable, Codable {
        case boolean, count, record
    }

    public var requestedGranularity: Granularity
    public var filters: [String]
    public var variant: VariantQuery?
    /// The approval the request names (`approval` parameter or `X-Approval-Id` header).
    public var approvalID: String?
    /// Datasets the request limits itself to (`datasets` parameter, or
    /// `query.requestParameters.datasets.datasetIds`); empty: every dataset the approval covers.
    public var datasets: [String] = []
    /// Pagination as asked (checked, echoed in the response; only boolean and count answers are served).
    public var skip = 0
    public var limit = 0
    /// `strata=false` asks an aggregate for totals only (each stratum shown costs disclosure
    /// budget of its own); nil when not given. Only the `/api/aggregate/` endpoints take it.
    public var strata: Bool?

    /// The schemas this beacon answers in (`requestedSchema`, `meta.requestedSchemas`).
    static let servedSchemas: Set<String> = ["beacon-g_variant-v2.0.0", "beacon-individual-v2.0.0", "beacon-biosample-v2.0.0"]

    static let variantParameters: Set<String> = [
        "referenceName", "start", "end", "referenceBases", "alternateBases", "assemblyId", "variantType",
    ]
    static let otherParameters: Set<String> = [
        "filters", "requestedGranularity", "granularity", "skip", "limit", "includeResultsetResponses", "testMode", "approval", "requestedSchema", "datasets", "datasetIds", "strata",
    ]

    /// The policy's view of this request as a query of `kind`: its approval, datasets, and the
    /// cancer types its filters name (every filter but tissue and QC terms).
    func dataQuery(_ kind: QueryKind) -> DataQuery {
        let nonCancer: Set<String> = [CohortCatalog.tumourTerm, CohortCatalog.normalTerm, CohortCatalog.qcPassTerm]
        return DataQuery(kind: kind, approvalID: approvalID, datasets: datasets, cancerTypes: filters.filter { !nonCancer.contains($0) })
    }

    /// The request as sorted `name=value` pairs (percent-encoding `%&=`), for the audit record
    /// of a POST, whose query is in the body.
    var normalisedDescription: String {
        var pairs: [(String, String)] = [("requestedGranularity", requestedGranularity.rawValue)]
        if !filters.isEmpty { pairs.append(("filters", filters.joined(separator: ","))) }
        if !datasets.isEmpty { pairs.append(("datasets", datasets.joined(separator: ","))) }
        if let approvalID { pairs.append(("approval", approvalID)) }
        if let strata { pairs.append(("strata", String(strata))) }
        if let variant {
            pairs.append(("referenceName", variant.referenceName))
            pairs.append(("start", variant.start.map(String.init).joined(separator: ",")))
            if !variant.end.isEmpty { pairs.append(("end", variant.end.map(String.init).joined(separator: ","))) }
            if let bases = variant.referenceBases { pairs.append(("referenceBases", bases)) }
            if let bases = variant.alternateBases { pairs.append(("alternateBases", bases)) }
            if let assembly = variant.assemblyId { pairs.append(("assemblyId", assembly)) }
            if let type = variant.variantType { pairs.append(("variantType", type)) }
        }
        return pairs.map { AuditRecorder.escape($0.0) + "=" + AuditRecorder.escape($0.1) }.sorted().joined(separator: "&")
    }

    /// The Beacon query kind: `beacon-boolean`, or `beacon-count` for count and record granularity.
    var beaconKind: QueryKind { requestedGranularity == .boolean ? .beaconBoolean : .beaconCount }

    /// Most results a page may ask for, and most pages it may skip (`limit`, `skip`). Only
    /// boolean and count answers are served, so pagination changes nothing; it is still checked.
    public static let maximumPagination = 1_000_000

    /// Reads a GET request's query parameters; `variantsAllowed` is false for endpoints that take filters only.
    public static func fromQuery(_ uri: URI, variantsAllowed: Bool = true) throws(GatewayError) -> BeaconRequest {
        var values: [String: Value] = [:]
        for (key, value) in try uri.singleValuedParameters() {
            guard variantParameters.contains(key) || otherParameters.contains(key) else {
                throw GatewayError(.badRequest, "unknown query parameter '\(key.prefix(60))'")
            }
            values[key] = .text(value)
        }
        return try make(values: values, variantsAllowed: variantsAllowed)
    }

    /// A request parameter's value, as the query string or the body gave it.
    enum Value {
        case text(String)
        case list([String])
        case numbers([Int])
        case flag(Bool)
    }

    static func make(values: [String: Value], variantsAllowed: Bool) throws(GatewayError) -> BeaconRequest {
        func text(_ key: String) throws(GatewayError) -> String? {
            switch values[key] {
            case nil: return nil
            case .text(let value): return value
            case .numbers(let numbers) where numbers.count == 1: return String(numbers[0])
            default: throw GatewayError(.badRequest, "\(key) must be a single text value")
            }
        }
        func positions(_ key: String) throws(GatewayError) -> [Int] {
            let wrong = GatewayError(.badRequest, "\(key) must be one or two whole numbers from 0 to \(VariantQuery.maximumPosition)")
            switch values[key] {
            case nil: return []
            case .numbers(let numbers): guard numbers.count <= 2 else { throw wrong }; return numbers
            case .list, .flag: throw wrong
            case .text(let value):
                let parts = value.split(separator: ",", maxSplits: 2, omittingEmptySubsequences: false)
                guard parts.count <= 2 else { throw wrong }
                var result: [Int] = []
                for part in parts {
                    guard let number = DecimalInteger.parse(part) else {
                        throw GatewayError(.badRequest, "\(key) '\(value.prefix(40))' is not one or two whole numbers from 0 to \(VariantQuery.maximumPosition)")
                    }
                    result.append(number)
                }
                return result
            }
        }
        func whole(_ key: String, in range: ClosedRange<Int>) throws(GatewayError) -> Int? {
            let wrong = GatewayError(.badRequest, "\(key) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            switch values[key] {
            case nil: return nil
            case .numbers(let numbers) where numbers.count == 1 && range.contains(numbers[0]): return numbers[0]
            case .text(let text): guard let number = DecimalInteger.parse(text), range.contains(number) else { throw wrong }; return number
            default: throw wrong
            }
        }
        let skip = try whole("skip", in: 0...maximumPagination) ?? 0
        let limit = try whole("limit", in: 0...maximumPagination) ?? 0
        switch values["testMode"] {
        case nil, .flag(false), .text("false"): break
        case .flag(true), .text("true"):
            throw GatewayError(.badRequest, "testMode true is not served: this beacon answers from real data only")
        default: throw GatewayError(.badRequest, "testMode must be true or false")
        }
        if let included = try text("includeResultsetResponses"), !["ALL", "HIT", "MISS", "NONE"].contains(included) {
            throw GatewayError(.badRequest, "includeResultsetResponses '\(included.prefix(20))' is not ALL, HIT, MISS or NONE")
        }
        if let schema = try text("requestedSchema"), !servedSchemas.contains(schema) {
            throw GatewayError(.badRequest, "requestedSchema '\(schema.prefix(60))' is not served; this beacon answers in \(servedSchemas.sorted().joined(separator: ", "))")
        }
        if values["requestedGranularity"] != nil, values["granularity"] != nil {
            throw GatewayError(.badRequest, "give requestedGranularity or granularity, not both")
        }
        var granularityText = "boolean"
        if let requested = try text("requestedGranularity") { granularityText = requested }
        else if let requested = try text("granularity") { granularityText = requested }
        guard let granularity = Granularity(rawValue: granularityText) else {
            throw GatewayError(.badRequest, "requestedGranularity '\(granularityText.prefix(20))' is not boolean, count or record")
        }
        var filters: [String] = []
        switch values["filters"] {
        case .list(let ids): filters = ids
        case .text(let joined): filters = joined.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        case .numbers, .flag: throw GatewayError(.badRequest, "filters must be term ids")
        case nil: break
        }
        guard filters.count <= 50 else { throw GatewayError(.badRequest, "at most 50 filters") }
        var variant: VariantQuery?
        if variantParameters.contains(where: { values[$0] != nil }) {
            guard variantsAllowed else { throw GatewayError(.badRequest, "this endpoint takes filters only, not variant parameters") }
            guard let referenceName = try text("referenceName") else {
                throw GatewayError(.badRequest, "referenceName is required for a variant query")
            }
            guard values["start"] != nil else { throw GatewayError(.badRequest, "start is required for a variant query") }
            variant = try VariantQuery(
                referenceName: referenceName, start: positions("start"), end: positions("end"),
                referenceBases: text("referenceBases").map { $0.uppercased() },
                alternateBases: text("alternateBases").map { $0.uppercased() },
                assemblyId: text("assemblyId"), variantType: text("variantType")
            ).validated()
        }
        var datasets: [String] = []
        for key in ["datasets", "datasetIds"] {
            switch values[key] {
            case .list(let ids): datasets += ids
            case .text(let joined): datasets += joined.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            case .numbers, .flag: throw GatewayError(.badRequest, "\(key) must be dataset ids")
            case nil: break
            }
        }
        guard datasets.count <= 50 else { throw GatewayError(.badRequest, "at most 50 datasets") }
        var request = BeaconRequest(requestedGranularity: granularity, filters: filters, variant: variant, approvalID: try text("approval"))
        request.datasets = datasets
        request.skip = skip
        request.limit = limit
        switch values["strata"] {
        case nil: break
        case .flag(let value): request.strata = value
        case .text("true"): request.strata = true
        case .text("false"): request.strata = false
        default: throw GatewayError(.badRequest, "strata must be true or false")
        }
        return request
    }
}
