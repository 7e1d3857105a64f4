import Foundation
import GatewayCore
import GatewayPolicy
import Hummingbird
import HummingbirdCore

/// A Beacon v2 request, from GET query parameters or a POST request body.
///
/// Parsing is strict: an unknown parameter, a malformed number or an unknown
/// granularity is a `bad_request` naming it, never a silently broader query.
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

    static let variantParameters: Set<String> = [
        "referenceName", "start", "end", "referenceBases", "alternateBases", "assemblyId", "variantType",
    ]
    static let otherParameters: Set<String> = [
        "filters", "requestedGranularity", "granularity", "skip", "limit", "includeResultsetResponses", "testMode", "approval", "requestedSchema", "datasets", "datasetIds",
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

    /// Reads a GET request's query parameters; `variantsAllowed` is false for endpoints that take filters only.
    static func fromQuery(_ uri: URI, variantsAllowed: Bool = true) throws(GatewayError) -> BeaconRequest {
        var values: [String: String] = [:]
        for (name, value) in uri.queryParameters {
            let key = String(name)
            guard variantParameters.contains(key) || otherParameters.contains(key) else {
                throw GatewayError(.badRequest, "unknown query parameter '\(key)'")
            }
            guard values[key] == nil else { throw GatewayError(.badRequest, "query parameter '\(key)' is given twice") }
            values[key] = String(value)
        }
        return try make(values: values.mapValues { Value.text($0) }, variantsAllowed: variantsAllowed)
    }

    /// Reads a POST body in the Beacon v2 request format (`meta`, `query.requestParameters`, `query.filters`, ...).
    static func fromBody(_ data: Data, variantsAllowed: Bool = true) throws(GatewayError) -> BeaconRequest {
        let decoded: JSONValue
        do { decoded = try JSONDecoder().decode(JSONValue.self, from: data) } catch {
            throw GatewayError(.badRequest, "the request body is not JSON")
        }
        guard case .object(let body) = decoded else { throw GatewayError(.badRequest, "the request body must be a JSON object") }
        for key in body.keys where !["meta", "query", "$schema"].contains(key) {
            throw GatewayError(.badRequest, "unknown request body field '\(key)'")
        }
        var query: [String: JSONValue] = [:]
        if let value = body["query"] {
            guard case .object(let object) = value else { throw GatewayError(.badRequest, "query must be an object") }
            query = object
        }
        var values: [String: Value] = [:]
        for (key, value) in query {
            switch (key, value) {
            case ("requestParameters", .object(let parameters)):
                for (name, parameter) in parameters {
                    if name == "datasets" {
                        guard case .object(let datasets) = parameter, case .array(let ids)? = datasets["datasetIds"],
                              datasets.count == 1 else {
                            throw GatewayError(.badRequest, "requestParameters.datasets must be {\"datasetIds\": [...]}")
                        }
                        values["datasets"] = .list(try ids.map { item throws(GatewayError) -> String in
                            guard case .string(let id) = item else { throw GatewayError(.badRequest, "datasetIds must be strings") }
                            return id
                        })
                        continue
                    }
                    guard variantParameters.contains(name) else { throw GatewayError(.badRequest, "unknown request parameter '\(name)'") }
                    values[name] = try Value(json: parameter, name: name)
                }
            case ("filters", .array(let list)):
                values["filters"] = .list(try list.map { item throws(GatewayError) -> String in
                    if case .string(let id) = item { return id }
                    if case .object(let object) = item, case .string(let id)? = object["id"] { return id }
                    throw GatewayError(.badRequest, "each filter must be a term id or an object with an 'id'")
                })
            case ("requestedGranularity", .string(let text)), ("includeResultsetResponses", .string(let text)):
                values[key] = .text(text)
            case ("pagination", _), ("testMode", _), ("requestedSchemas", _):
                continue
            case ("requestParameters", _), ("filters", _), ("requestedGranularity", _), ("includeResultsetResponses", _):
                throw GatewayError(.badRequest, "query.\(key) has a value of the wrong type")
            default:
                throw GatewayError(.badRequest, "unknown query field '\(key)'")
            }
        }
        return try make(values: values, variantsAllowed: variantsAllowed)
    }

    enum Value {
        case text(String)
        case list([String])
        case numbers([Int])

        init(json: JSONValue, name: String) throws(GatewayError) {
            switch json {
            case .string(let text): self = .text(text)
            case .integer(let number): self = .numbers([number])
            case .array(let items):
                self = .numbers(try items.map { item throws(GatewayError) -> Int in
                    guard case .integer(let number) = item else { throw GatewayError(.badRequest, "\(name) must be a list of whole numbers") }
                    return number
                })
            default: throw GatewayError(.badRequest, "\(name) has a value of the wrong type")
            }
        }
    }

    private static func make(values: [String: Value], variantsAllowed: Bool) throws(GatewayError) -> BeaconRequest {
        func text(_ key: String) throws(GatewayError) -> String? {
            switch values[key] {
            case nil: return nil
            case .text(let value): return value
            case .numbers(let numbers) where numbers.count == 1: return String(numbers[0])
            default: throw GatewayError(.badRequest, "\(key) must be a single value")
            }
        }
        func positions(_ key: String) throws(GatewayError) -> [Int] {
            switch values[key] {
            case nil: return []
            case .numbers(let numbers): return numbers
            case .list: throw GatewayError(.badRequest, "\(key) must be one or two whole numbers")
            case .text(let value):
                var result: [Int] = []
                for part in value.split(separator: ",", omittingEmptySubsequences: false) {
                    guard let number = Int(part.trimmingCharacters(in: .whitespaces)) else {
                        throw GatewayError(.badRequest, "\(key) '\(value.prefix(40))' is not one or two whole numbers")
                    }
                    result.append(number)
                }
                return result
            }
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
        case .numbers: throw GatewayError(.badRequest, "filters must be term ids")
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
            case .numbers: throw GatewayError(.badRequest, "\(key) must be dataset ids")
            case nil: break
            }
        }
        guard datasets.count <= 50 else { throw GatewayError(.badRequest, "at most 50 datasets") }
        var request = BeaconRequest(requestedGranularity: granularity, filters: filters, variant: variant, approvalID: try text("approval"))
        request.datasets = datasets
        return request
    }
}
