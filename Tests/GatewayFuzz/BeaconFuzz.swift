import Foundation
import GatewayCore
import Hummingbird
import HummingbirdCore
@testable import GatewayServer

/// Beacon v2 requests: GET query strings and POST bodies, then what the gateway does with a
/// parsed request before it reaches the store (audit description, policy query, scan range).
enum BeaconFuzz {
    /// `GET /api/g_variants?<input>`.
    static let query = FuzzTarget(name: "beacon-query") { data in
        let uri = URI("/api/g_variants?" + String(decoding: data, as: UTF8.self))
        for variantsAllowed in [true, false] {
            if let request = try? BeaconRequest.fromQuery(uri, variantsAllowed: variantsAllowed) {
                check(request, variantsAllowed: variantsAllowed)
            }
        }
    }

    /// `POST /api/g_variants` with the input as body.
    static let body = FuzzTarget(name: "beacon-body") { data in
        for variantsAllowed in [true, false] {
            if let request = try? BeaconRequest.fromBody(data, variantsAllowed: variantsAllowed) {
                check(request, variantsAllowed: variantsAllowed)
            }
        }
    }

    /// What must hold of every request the parser accepts.
    static func check(_ request: BeaconRequest, variantsAllowed: Bool) {
        guard request.filters.count <= 50, request.datasets.count <= 50 else {
            fuzzFailure("accepted \(request.filters.count) filters and \(request.datasets.count) datasets (at most 50 each)")
        }
        if !variantsAllowed, request.variant != nil { fuzzFailure("a filters-only endpoint accepted a variant query") }
        _ = request.normalisedDescription
        _ = request.dataQuery(request.beaconKind)
        guard let variant = request.variant else { return }
        do { _ = try variant.validated() } catch {
            fuzzFailure("an accepted variant query fails validation again: \(error.message)")
        }
        // The store scans this range, then matches each stored variant against the query.
        let range = variant.positionRange
        guard range.lowerBound >= 1 else { fuzzFailure("scan range \(range) starts before position 1") }
        for position in [1, 2, 1_000, 248_956_422] {
            _ = variant.matches(position: position, reference: "A", alternate: "T", variantType: "SNV", endPosition: position)
        }
    }
}
