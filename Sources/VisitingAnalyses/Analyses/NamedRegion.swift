import GatewayCore

/// A region with a member's name for it, as burden and co-occurrence take their units:
/// `{"name": "BRCA2", "referenceName": "13", "start": 32315508, "end": 32400268}`. GenomeGate
/// holds no gene annotation, so a gene is a named region.
public struct NamedRegion: Sendable, Hashable, Codable {
    public var name: String
    public var region: GenomicRegion

    public init(name: String, region: GenomicRegion) {
        self.name = name
        self.region = region
    }

    /// The longest name (in bytes).
    public static let maximumNameLength = 64

    /// Parses a list of 1-based inclusive named regions: `count` of them, names unique (1 to 64
    /// visible ASCII characters), no two overlapping, together covering at most `maximumTotalBases` bases. A bad one
    /// is refused with `bad_request` naming `parameter` (`units[3].start`).
    public static func list(_ value: JSONValue?, parameter: String, analysis: String, count: ClosedRange<Int>,
                            maximumTotalBases: Int) throws(GatewayError) -> [NamedRegion] {
        func bad(_ name: String, _ problem: String) -> GatewayError { GatewayError(.badRequest, "\(analysis) parameter \(name) \(problem)") }
        guard case .array(let items)? = value, count.contains(items.count) else {
            throw bad(parameter, "must be a list of \(count.lowerBound) to \(count.upperBound) named regions {\"name\", \"referenceName\", \"start\", \"end\"}")
        }
        var units: [NamedRegion] = []
        var keys: [String] = []  // each unit's chromosome, as the store matches it
        var names: Set<String> = []
        var totalBases = 0
        for (index, item) in items.enumerated() {
            let itemName = "\(parameter)[\(index)]"
            guard case .object(var object) = item else { throw bad(itemName, "must be an object {\"name\", \"referenceName\", \"start\", \"end\"}") }
            guard case .string(let name)? = object.removeValue(forKey: "name"), (1...maximumNameLength).contains(name.utf8.count),
                  name.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
                throw bad("\(itemName).name", "must be a name of 1 to \(maximumNameLength) visible ASCII characters")
            }
            guard names.insert(name).inserted else { throw bad("\(itemName).name", "repeats \(name); names must be unique") }
            // Each region alone is bounded by the total, so the sum below cannot overflow.
            let region = try GenomicRegion(json: .object(object), parameter: itemName, analysis: analysis, maximumLength: maximumTotalBases)
            totalBases += region.length
            guard totalBases <= maximumTotalBases else {
                throw bad(parameter, "covers more than \(maximumTotalBases) bases in all; the most one job reads is \(maximumTotalBases)")
            }
            // Nested or overlapping units difference each other (carriers of A and B less those of B
            // are A's own, however few), so the units of one job must be disjoint.
            let key = region.chromosomeKey
            if let other = units.indices.first(where: { keys[$0] == key && units[$0].region.start <= region.end && region.start <= units[$0].region.end }) {
                throw bad(itemName, "overlaps \(parameter)[\(other)] (\(units[other].name)); units must not overlap")
            }
            units.append(NamedRegion(name: name, region: region))
            keys.append(key)
        }
        return units
    }

    /// The named region as canonical JSON.
    public var json: JSONValue {
        guard case .object(var object) = region.json else { return region.json }
        object["name"] = .string(name)
        return .object(object)
    }
}
