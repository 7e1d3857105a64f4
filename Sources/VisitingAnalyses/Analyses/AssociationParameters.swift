import GatewayCore

/// The parameters of ``AllelicAssociation`` as a member sends them:
///
/// ```json
/// {"region": {"referenceName": "1", "start": 1000000, "end": 2000000},
///  "cases": ["NCIT:C4872"], "controls": ["NCIT:C3058"]}
/// ```
///
/// `start` and `end` are 1-based and inclusive; `controls` may be left out (everyone else in
/// the approval's cohort). Anything else, a missing or out-of-range value, or an unknown key
/// is refused with `bad_request` naming the parameter.
public struct AssociationParameters: Sendable, Hashable {
    public var region: GenomicRegion
    public var cases: [String]
    public var controls: [String]?

    /// The longest region one job may cover (10 Mb): a bound on its time and memory.
    public static let maximumRegionLength = 10_000_000
    /// The most cancer types one group may name.
    public static let maximumGroupTerms = CancerTypeGroup.maximumTerms

    public init(json: JSONValue) throws(GatewayError) {
        guard case .object(let object) = json else { throw Self.bad("parameters", "must be an object") }
        if let unknown = object.keys.sorted().first(where: { !["region", "cases", "controls"].contains($0) }) {
            throw Self.bad(unknown, "is not a parameter of allelic-association (region, cases, controls)")
        }
        region = try GenomicRegion(json: object["region"], parameter: "region", analysis: "allelic-association",
                                   maximumLength: Self.maximumRegionLength)
        cases = try Self.terms(object["cases"], "cases")
        controls = try object["controls"].map { value throws(GatewayError) in try Self.terms(value, "controls") }
        if let controls, let shared = cases.first(where: controls.contains) {
            throw Self.bad("controls", "names \(shared), which is also a case; the groups must not overlap")
        }
    }

    /// The parameters as canonical JSON (sorted keys): what the job stores and the audit records.
    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "region": region.json,
            "cases": .array(cases.map(JSONValue.string)),
        ]
        if let controls { object["controls"] = .array(controls.map(JSONValue.string)) }
        return .object(object)
    }

    private static func terms(_ value: JSONValue?, _ name: String) throws(GatewayError) -> [String] {
        try CancerTypeGroup.terms(value, parameter: name, analysis: "allelic-association")
    }

    private static func bad(_ parameter: String, _ problem: String) -> GatewayError {
        GatewayError(.badRequest, "allelic-association parameter \(parameter) \(problem)")
    }
}
