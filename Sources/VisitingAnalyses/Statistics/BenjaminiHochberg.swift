/// Benjamini-Hochberg q-values (false discovery rate) of a set of p-values, in their order:
/// q(i) = min over the p-values ranked at or above i of p * m / rank, capped at 1 (as R's
/// `p.adjust(method = "BH")` and scipy's `false_discovery_control`).
public enum BenjaminiHochberg {
    /// The q-values of `pValues` (each in 0...1; a NaN counts as 1).
    public static func qValues(_ pValues: [Double]) -> [Double] {
        let count = pValues.count
        guard count > 0 else { return [] }
        let cleaned = pValues.map { $0.isNaN ? 1 : min(1, max(0, $0)) }
        let order = cleaned.indices.sorted { cleaned[$0] > cleaned[$1] || (cleaned[$0] == cleaned[$1] && $0 > $1) }
        var qValues = [Double](repeating: 1, count: count)
        var running = 1.0
        for (position, index) in order.enumerated() {
            let rank = count - position
            running = min(running, cleaned[index] * Double(count) / Double(rank))
            qValues[index] = running
        }
        return qValues
    }
}
