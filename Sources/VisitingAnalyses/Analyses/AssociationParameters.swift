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
    public var referenceName: String
    public var start: Int
    public var end: Int
    public var cases: [String]
    public var controls: [String]?

    /// The longest region one job may cover (10 Mb): a bound on its time and memory.
    public static let maximumRegionLength = 10_000_000
    /// The most cancer types one group may name.
    public static let maximumGroupTerms = 20

    public init(json: JSONValue) throws(GatewayError) {
        guard case .object(let object) = json else { throw Self.bad("parameters", "must be an object") }
        if let unknown = object.keys.sorted().first(where: { !["region", "cases", "controls"].contains($0) }) {
            throw Self.bad(unknown, "is not a parameter of allelic-association (region, cases, controls)")
        }
        guard case .object(let region)? = object["region"] else { throw Self.bad("region", "is required: {\"referenceName\", \"start\", \"end\"}") }
        if let unknown = region.keys.sorted().first(where: { !["referenceName", "start", "end"].contains($0) }) {
            throw Self.bad("region.\(unknown)", "is not part of a region (referenceName, start, end)")
        }
        guard case .string(let name)? = region["referenceName"], (1...32).contains(name.utf8.count),
              name.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F || $0 == 0x2E }) else {
            throw Self.bad("region.referenceName", "must be a chromosome name of 1 to 32 letters, digits, '_' or '.'")
        }
        guard case .integer(let start)? = region["start"], start >= 1 else { throw Self.bad("region.start", "must be a whole number of at least 1") }
        guard case .integer(let end)? = region["end"], end >= start else { throw Self.bad("region.end", "must be a whole number of at least region.start") }
        // end - start cannot overflow: both are at least 1.
        guard end - start < Self.maximumRegionLength else {
            throw Self.bad("region", "covers \(end - start + 1) bases; the most one job covers is \(Self.maximumRegionLength)")
        }
        referenceName = name
        self.start = start
        self.end = end
        cases = try Self.terms(object["cases"], "cases")
        controls = try object["controls"].map { value throws(GatewayError) in try Self.terms(value, "controls") }
        if let controls, let shared = cases.first(where: controls.contains) {
            throw Self.bad("controls", "names \(shared), which is also a case; the groups must not overlap")
        }
    }

    /// The parameters as canonical JSON (sorted keys): what the job stores and the audit records.
    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "region": .object(["referenceName": .string(referenceName), "start": .integer(start), "end": .integer(end)]),
            "cases": .array(cases.map(JSONValue.string)),
        ]
        if let controls { object["controls"] = .array(controls.map(JSONValue.string)) }
        return .object(object)
    }

    private static func terms(_ value: JSONValue?, _ name: String) throws(GatewayError) -> [String] {
        guard case .array(let items)? = value, (1...maximumGroupTerms).contains(items.count) else {
            throw bad(name, "must be a list of 1 to \(maximumGroupTerms) cancer types (NCIT terms)")
        }
        var terms: [String] = []
        for item in items {
            guard case .string(let term) = item, (1...64).contains(term.utf8.count), term.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
                throw bad(name, "must hold cancer-type terms of 1 to 64 visible ASCII characters")
            }
            guard !terms.contains(term) else { throw bad(name, "names \(term) twice") }
            terms.append(term)
        }
        return terms
    }

    private static func bad(_ parameter: String, _ problem: String) -> GatewayError {
        GatewayError(.badRequest, "allelic-association parameter \(parameter) \(problem)")
    }
}
