import Foundation
import GatewayCore

extension BeaconRequest {
    /// Reads a POST body in the Beacon v2 request format (`$schema`, `meta`, `query` with
    /// `requestParameters`, `filters`, `requestedGranularity`, `pagination`, ...).
    ///
    /// The body goes through ``JSONParser`` (depth, size and duplicate keys checked while
    /// parsing); every field the Beacon v2 request schema defines is either honoured or refused.
    public static func fromBody(_ data: Data, variantsAllowed: Bool = true) throws(GatewayError) -> BeaconRequest {
        guard case .object(let body) = try JSONParser.parse(data) else {
            throw GatewayError(.badRequest, "the request body must be a JSON object (a Beacon v2 request: meta, query)")
        }
        for key in body.keys.sorted() where !["meta", "query", "$schema"].contains(key) {
            throw GatewayError(.badRequest, "unknown request body field '\(key.prefix(60))'")
        }
        if let schema = body["$schema"], !schema.isText { throw GatewayError(.badRequest, "$schema must be a string") }
        if let meta = body["meta"] { try checkMeta(meta) }
        var query: [String: JSONValue] = [:]
        if let value = body["query"] {
            guard case .object(let object) = value else { throw GatewayError(.badRequest, "query must be an object") }
            query = object
        }
        var values: [String: Value] = [:]
        for key in query.keys.sorted() {
            let value = query[key] ?? .null
            switch (key, value) {
            case ("requestParameters", .object(let parameters)):
                for name in parameters.keys.sorted() {
                    let parameter = parameters[name] ?? .null
                    if name == "datasets" {
                        values["datasets"] = .list(try datasetIDs(parameter))
                        continue
                    }
                    guard variantParameters.contains(name) else {
                        throw GatewayError(.badRequest, "unknown request parameter '\(name.prefix(60))'")
                    }
                    values[name] = try Value(json: parameter, name: name)
                }
            case ("filters", .array(let list)):
                guard list.count <= 50 else { throw GatewayError(.badRequest, "at most 50 filters") }
                values["filters"] = .list(try list.enumerated().map { index, item throws(GatewayError) in try filterTerm(item, index: index) })
            case ("requestedGranularity", .string(let text)), ("includeResultsetResponses", .string(let text)):
                values[key] = .text(text)
            case ("testMode", .bool(let flag)):
                values[key] = .flag(flag)
            case ("pagination", .object(let pagination)):
                for name in pagination.keys.sorted() {
                    guard name == "skip" || name == "limit" else {
                        throw GatewayError(.badRequest, "unknown pagination field '\(name.prefix(60))' (skip, limit)")
                    }
                    guard case .integer(let number)? = pagination[name] else {
                        throw GatewayError(.badRequest, "pagination.\(name) must be a whole number from 0 to \(maximumPagination)")
                    }
                    values[name] = .numbers([number])
                }
            case ("requestParameters", _), ("filters", _), ("requestedGranularity", _), ("includeResultsetResponses", _),
                 ("testMode", _), ("pagination", _):
                throw GatewayError(.badRequest, "query.\(key) is \(value.typeName), which is the wrong type")
            default:
                throw GatewayError(.badRequest, "unknown query field '\(key.prefix(60))'")
            }
        }
        return try make(values: values, variantsAllowed: variantsAllowed)
    }

    /// `meta`: `apiVersion` (a Beacon v2 version) and `requestedSchemas` (schemas this beacon
    /// answers in); nothing else.
    private static func checkMeta(_ meta: JSONValue) throws(GatewayError) {
        guard case .object(let fields) = meta else { throw GatewayError(.badRequest, "meta must be an object") }
        for key in fields.keys.sorted() {
            switch (key, fields[key] ?? .null) {
            case ("apiVersion", .string(let version)):
                let parts = (version.hasPrefix("v") ? version.dropFirst() : version[...]).split(separator: ".", omittingEmptySubsequences: false)
                guard parts.first == "2", parts.count <= 3, parts.allSatisfy({ DecimalInteger.parse($0).map { $0 >= 0 } ?? false }) else {
                    throw GatewayError(.badRequest, "meta.apiVersion '\(version.prefix(20))' is not a Beacon v2 version (such as v2.0.0)")
                }
            case ("$schema", .string): continue
            case ("requestedSchemas", .array(let schemas)) where schemas.count <= 10:
                for schema in schemas {
                    guard case .object(let reference) = schema, case .string(let name)? = reference["schema"],
                          reference.keys.allSatisfy({ $0 == "schema" || $0 == "entityType" }), servedSchemas.contains(name) else {
                        throw GatewayError(.badRequest, "meta.requestedSchemas: each must be {\"entityType\": ..., \"schema\": ...} naming a schema this beacon answers in (\(servedSchemas.sorted().joined(separator: ", ")))")
                    }
                }
            case ("apiVersion", _), ("$schema", _), ("requestedSchemas", _):
                throw GatewayError(.badRequest, "meta.\(key) has a value of the wrong type (requestedSchemas: a list of at most 10)")
            default:
                throw GatewayError(.badRequest, "unknown meta field '\(key.prefix(60))' (apiVersion, requestedSchemas)")
            }
        }
    }

    /// `{"datasetIds": ["...", ...]}`.
    private static func datasetIDs(_ parameter: JSONValue) throws(GatewayError) -> [String] {
        guard case .object(let datasets) = parameter, case .array(let ids)? = datasets["datasetIds"], datasets.count == 1 else {
            throw GatewayError(.badRequest, "requestParameters.datasets must be {\"datasetIds\": [...]}")
        }
        guard ids.count <= 50 else { throw GatewayError(.badRequest, "at most 50 datasets") }
        return try ids.map { item throws(GatewayError) -> String in
            guard case .string(let id) = item else { throw GatewayError(.badRequest, "datasetIds must be strings") }
            return id
        }
    }

    /// The entry types a filter's `scope` may name (this beacon's terms apply to all of them).
    static let filterScopes: Set<String> = [
        "individual", "individuals", "biosample", "biosamples", "genomicVariation", "genomicVariations", "g_variant", "g_variants",
    ]

    /// A filter: a term id, or an object as Beacon v2 defines it (ontology or custom filter).
    /// This beacon matches terms exactly, so a filter that asks for anything else (an operator
    /// other than `=`, a value, similarity other than `exact`) is refused, never ignored.
    static func filterTerm(_ item: JSONValue, index: Int) throws(GatewayError) -> String {
        if case .string(let id) = item { return id }
        guard case .object(let filter) = item, case .string(let id)? = filter["id"] else {
            throw GatewayError(.badRequest, "filters[\(index)] must be a term id or an object with an 'id'")
        }
        let name = "filter '\(id.prefix(60))'"
        for key in filter.keys.sorted() {
            switch (key, filter[key] ?? .null) {
            case ("id", _), ("includeDescendantTerms", .bool), ("similarity", .string("exact")), ("operator", .string("=")):
                continue
            case ("scope", .string(let scope)):
                guard filterScopes.contains(scope) else {
                    throw GatewayError(.badRequest, "\(name): scope '\(scope.prefix(40))' is not one of \(filterScopes.sorted().joined(separator: ", "))")
                }
            case ("operator", .string(let operation)):
                throw GatewayError(.badRequest, "\(name): operator '\(operation.prefix(10))' is not supported; filters select the samples that carry a term (no negation or comparison)")
            case ("value", _):
                throw GatewayError(.badRequest, "\(name): alphanumeric filters (operator and value) are not supported; use the terms of /api/filtering_terms")
            case ("similarity", _):
                throw GatewayError(.badRequest, "\(name): only similarity 'exact' is supported")
            case ("scope", _), ("includeDescendantTerms", _), ("operator", _):
                throw GatewayError(.badRequest, "\(name): \(key) has a value of the wrong type")
            default:
                throw GatewayError(.badRequest, "\(name): unknown filter field '\(key.prefix(60))' (id, scope, includeDescendantTerms, similarity)")
            }
        }
        return id
    }
}

extension BeaconRequest.Value {
    /// A request parameter from the body: a string, a whole number or a list of whole numbers.
    init(json: JSONValue, name: String) throws(GatewayError) {
        switch json {
        case .string(let text): self = .text(text)
        case .integer(let number): self = .numbers([number])
        case .array(let items) where items.count <= 2:
            self = .numbers(try items.map { item throws(GatewayError) -> Int in
                guard case .integer(let number) = item else {
                    throw GatewayError(.badRequest, "\(name) must be one or two whole numbers from 0 to \(VariantQuery.maximumPosition)")
                }
                return number
            })
        case .number, .array:
            throw GatewayError(.badRequest, "\(name) must be one or two whole numbers from 0 to \(VariantQuery.maximumPosition)")
        default: throw GatewayError(.badRequest, "\(name) is \(json.typeName), which is the wrong type")
        }
    }
}

extension JSONValue {
    var isText: Bool { if case .string = self { true } else { false } }
}
