import GatewayCore

extension GenomicRegion {
    /// Parses `value`, refusing with `bad_request` naming `parameter` (and the field) when it is
    /// not a region of at most `maximumLength` bases. `analysis` names the analysis in messages.
    public init(json value: JSONValue?, parameter: String, analysis: String, maximumLength: Int) throws(GatewayError) {
        func bad(_ name: String, _ problem: String) -> GatewayError {
            GatewayError(.badRequest, "\(analysis) parameter \(name) \(problem)")
        }
        guard case .object(let region)? = value else { throw bad(parameter, "is required: {\"referenceName\", \"start\", \"end\"}") }
        if let unknown = region.keys.sorted().first(where: { !["referenceName", "start", "end"].contains($0) }) {
            throw bad("\(parameter).\(unknown.prefix(40))", "is not part of a region (referenceName, start, end)")
        }
        guard case .string(let name)? = region["referenceName"], (1...32).contains(name.utf8.count),
              name.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F || $0 == 0x2E }) else {
            throw bad("\(parameter).referenceName", "must be a chromosome name of 1 to 32 letters, digits, '_' or '.'")
        }
        guard case .integer(let start)? = region["start"], start >= 1 else { throw bad("\(parameter).start", "must be a whole number of at least 1") }
        guard case .integer(let end)? = region["end"], end >= start else { throw bad("\(parameter).end", "must be a whole number of at least \(parameter).start") }
        // end - start cannot overflow: both are at least 1.
        guard end - start < maximumLength else {
            throw bad(parameter, "covers \(end - start + 1) bases; the most one job covers is \(maximumLength)")
        }
        self.init(referenceName: name, start: start, end: end)
    }
}
