import GatewayCore
import VariantStore

/// The parameters of ``Burden`` as a member sends them:
///
/// ```json
/// {"units": [{"name": "BRCA2", "referenceName": "13", "start": 32315508, "end": 32400268}],
///  "cases": ["NCIT:C4872"], "controls": ["NCIT:C3058"],
///  "variantTypes": ["SNV", "INDEL"], "maximumFrequency": 0.01, "passOnly": true}
/// ```
///
/// Only `units` and `cases` are required. A qualifying variant is of one of `variantTypes`
/// (default: every sequence type, SNV, MNV, INS, DEL and INDEL), has an alternate-allele
/// frequency over the cases and controls strictly below `maximumFrequency` (0 < f <= 0.5,
/// default 0.01) and, with `passOnly` (default true), FILTER PASS.
public struct BurdenParameters: Sendable, Hashable {
    public var units: [NamedRegion]
    public var cases: [String]
    public var controls: [String]?
    public var variantTypes: [VariantType]
    public var maximumFrequency: Double
    public var passOnly: Bool

    static let analysis = "burden"
    /// The most units one job tests.
    public static let maximumUnits = 200
    /// The most bases one job reads, over all its units (10 Mb).
    public static let maximumTotalBases = 10_000_000
    /// The types a qualifying variant has when the member names none.
    public static let defaultVariantTypes: [VariantType] = [.snv, .mnv, .insertion, .deletion, .indel]
    public static let defaultMaximumFrequency = 0.01
    static let keys = ["units", "cases", "controls", "variantTypes", "maximumFrequency", "passOnly"]

    public init(json: JSONValue) throws(GatewayError) {
        guard case .object(let object) = json else { throw Self.bad("parameters", "must be an object") }
        if let unknown = object.keys.sorted().first(where: { !Self.keys.contains($0) }) {
            throw Self.bad(String(unknown.prefix(40)), "is not a parameter of burden (\(Self.keys.joined(separator: ", ")))")
        }
        units = try NamedRegion.list(object["units"], parameter: "units", analysis: Self.analysis, count: 1...Self.maximumUnits,
                                     maximumTotalBases: Self.maximumTotalBases)
        cases = try CancerTypeGroup.terms(object["cases"], parameter: "cases", analysis: Self.analysis)
        controls = try object["controls"].map { value throws(GatewayError) in
            try CancerTypeGroup.terms(value, parameter: "controls", analysis: Self.analysis)
        }
        if let controls, let shared = cases.first(where: controls.contains) {
            throw Self.bad("controls", "names \(shared), which is also a case; the groups must not overlap")
        }
        variantTypes = try object["variantTypes"].map(Self.types) ?? Self.defaultVariantTypes
        switch object["maximumFrequency"] {
        case nil: maximumFrequency = Self.defaultMaximumFrequency
        case .number(let value)? where value > 0 && value <= 0.5: maximumFrequency = value
        default: throw Self.bad("maximumFrequency", "must be a number above 0 and at most 0.5")
        }
        switch object["passOnly"] {
        case nil: passOnly = true
        case .bool(let value)?: passOnly = value
        default: throw Self.bad("passOnly", "must be true or false")
        }
    }

    private static func types(_ value: JSONValue) throws(GatewayError) -> [VariantType] {
        let names = VariantType.allCases.map(beaconName)
        guard case .array(let items) = value, (1...VariantType.allCases.count).contains(items.count) else {
            throw bad("variantTypes", "must be a list of 1 to \(VariantType.allCases.count) variant types (\(names.joined(separator: ", ")))")
        }
        var types: [VariantType] = []
        for item in items {
            guard case .string(let name) = item, let type = VariantType.allCases.first(where: { beaconName($0) == name || $0.rawValue == name }) else {
                throw bad("variantTypes", "must hold variant types among \(names.joined(separator: ", "))")
            }
            guard !types.contains(type) else { throw bad("variantTypes", "names \(beaconName(type)) twice") }
            types.append(type)
        }
        return types
    }

    /// A type as Beacon names it (`DEL` for `<DEL>`).
    static func beaconName(_ type: VariantType) -> String {
        type.rawValue.hasPrefix("<") ? String(type.rawValue.dropFirst().dropLast()) : type.rawValue
    }

    /// The qualifying-variant rule in a stable form (types sorted): `SNV,INDEL;af<0.01;pass`.
    public var rule: String {
        "\(variantTypes.map(Self.beaconName).sorted().joined(separator: ","));af<\(maximumFrequency)\(passOnly ? ";pass" : "")"
    }

    /// The parameters as canonical JSON (sorted keys, defaults filled in).
    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "units": .array(units.map(\.json)),
            "cases": .array(cases.map(JSONValue.string)),
            "variantTypes": .array(variantTypes.map { .string(Self.beaconName($0)) }),
            "maximumFrequency": .number(maximumFrequency),
            "passOnly": .bool(passOnly),
        ]
        if let controls { object["controls"] = .array(controls.map(JSONValue.string)) }
        return .object(object)
    }

    private static func bad(_ parameter: String, _ problem: String) -> GatewayError {
        GatewayError(.badRequest, "burden parameter \(parameter) \(problem)")
    }
}
