/// A continuous distribution given by its quantile function: straight lines between
/// knots (cumulative probability, value), from probability 0 (the minimum) to 1 (the maximum).
///
/// Drawing a value is `quantile(uniform)`, so the table's minimum, median, maximum and
/// tail shares are met by construction, any skew can be described, and only
/// correctly rounded arithmetic is used (no `log`/`exp`, whose last bit can differ
/// between C libraries), which keeps the output byte-identical across machines.
struct QuantileTable: Sendable {
    /// (cumulative probability, value) pairs, both ascending; first probability 0, last 1.
    let knots: [(probability: Double, value: Double)]

    init(_ knots: [(probability: Double, value: Double)]) {
        precondition(knots.count >= 2 && knots.first?.probability == 0 && knots.last?.probability == 1)
        self.knots = knots
    }

    /// The value at cumulative probability `probability` (0...1).
    func quantile(_ probability: Double) -> Double {
        for index in 1..<knots.count where probability <= knots[index].probability {
            let lower = knots[index - 1]
            let upper = knots[index]
            let fraction = (probability - lower.probability) / (upper.probability - lower.probability)
            return lower.value + (upper.value - lower.value) * fraction
        }
        return knots[knots.count - 1].value
    }

    /// The exact mean of the distribution (for tests and documentation).
    var mean: Double {
        var total = 0.0
        for index in 1..<knots.count {
            let width = knots[index].probability - knots[index - 1].probability
            total += width * (knots[index].value + knots[index - 1].value) / 2
        }
        return total
    }

    /// A random value from the distribution.
    func draw(using generator: inout SeededGenerator) -> Double {
        quantile(generator.nextUnit())
    }
}
