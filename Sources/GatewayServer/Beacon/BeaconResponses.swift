import Foundation

/// Beacon v2 response documents (framework v2.0), encoded exactly as the official
/// schemas require; tests validate every kind against them.
enum BeaconResponses {
    static let beaconID = "jp.genomegate.beacon"
    static let apiVersion = "v2.0.0"

    struct SchemaReference: Encodable, Sendable {
        var entityType: String
        var schema: String
    }

    static let genomicVariantSchema = SchemaReference(entityType: "genomicVariant", schema: "beacon-g_variant-v2.0.0")
    static let individualSchema = SchemaReference(entityType: "individual", schema: "beacon-individual-v2.0.0")
    static let biosampleSchema = SchemaReference(entityType: "biosample", schema: "beacon-biosample-v2.0.0")
    static let datasetSchema = SchemaReference(entityType: "dataset", schema: "beacon-dataset-v2.0.0")

    struct Pagination: Encodable, Sendable {
        var skip = 0
        var limit = 0
    }

    struct ReceivedRequestSummary: Encodable, Sendable {
        var apiVersion = BeaconResponses.apiVersion
        var requestedSchemas: [SchemaReference]
        var pagination = Pagination()
        var requestedGranularity: String
        var filters: [String]?
        var requestParameters: [String: AnyEncodable]?
    }

    struct ResponseMeta: Encodable, Sendable {
        var beaconId = BeaconResponses.beaconID
        var apiVersion = BeaconResponses.apiVersion
        var returnedSchemas: [SchemaReference]
        var returnedGranularity: String
        var receivedRequestSummary: ReceivedRequestSummary
    }

    struct InformationalMeta: Encodable, Sendable {
        var beaconId = BeaconResponses.beaconID
        var apiVersion = BeaconResponses.apiVersion
        var returnedSchemas: [SchemaReference]
    }

    struct Summary: Encodable, Sendable {
        var exists: Bool
        var numTotalResults: Int?
        /// Beacon v2.1's `countPrecision`: `exact`, or `imprecise` for a perturbed count (with the
        /// details in `info.privacy`); only with `numTotalResults`.
        var countPrecision: String?
    }

    /// A boolean or count response (`numTotalResults` present only for count).
    struct CountResponse: Encodable, Sendable {
        var meta: ResponseMeta
        var responseSummary: Summary
        var info: [String: AnyEncodable]?
    }

    struct ErrorResponse: Encodable, Sendable {
        struct Detail: Encodable, Sendable {
            var errorCode: Int
            var errorMessage: String
        }
        var meta: ResponseMeta
        var error: Detail
    }

    struct InformationalResponse<Body: Encodable & Sendable>: Encodable, Sendable {
        var meta: InformationalMeta
        var response: Body
    }
}

/// A type-erased `Encodable` for the free-form parts of Beacon documents (`info`, request echoes).
struct AnyEncodable: Encodable, Sendable {
    private let encodeValue: @Sendable (any Encoder) throws -> Void

    init<T: Encodable & Sendable>(_ value: T) {
        encodeValue = { encoder in try value.encode(to: encoder) }
    }

    func encode(to encoder: any Encoder) throws { try encodeValue(encoder) }
}
