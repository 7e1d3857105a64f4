/// A small bar chart of a histogram as the server draws it in SVG (no script): one bar per bin,
/// its height in proportion to the largest shown count, the count written above it and the
/// bin's label below. A bin the airlock hid ("<k") is drawn as a flat grey marker with its
/// text, never with a height that would suggest its value. The geometry is computed here; the
/// template writes it through escaped `{{…}}` values and presentation attributes (the CSP
/// allows no inline style).
public struct HistogramChart: Sendable {
    /// One bin: its label, its count when shown, and the text the answer shows (`12`, `<5`).
    public struct Bin: Sendable, Hashable {
        public var label: String
        public var count: Int?
        public var text: String

        public init(label: String, count: Int?, text: String) {
            self.label = label
            self.count = count
            self.text = text
        }
    }

    /// A bar as drawn: its box, where its texts go, and whether it is hidden.
    public struct Bar: Sendable, Hashable {
        public var x: Double
        public var y: Double
        public var width: Double
        public var height: Double
        public var centre: Double
        public var label: String
        public var text: String
        public var hidden: Bool
    }

    public let width: Double
    public let height: Double
    /// The y of the axis (bars stand on it).
    public let baseline: Double
    public let bars: [Bar]

    /// Room above the tallest bar (for its count) and below the axis (for the labels).
    static let top = 14.0, bottom = 26.0, side = 4.0
    /// The flat marker of a hidden bin.
    static let hiddenHeight = 2.0

    public init(bins: [Bin], width: Double = 360, height: Double = 150) {
        self.width = width
        self.height = height
        let baseline = height - Self.bottom
        self.baseline = baseline
        let plot = baseline - Self.top
        let largest = bins.compactMap(\.count).map { max(0, $0) }.max() ?? 0
        let slot = bins.isEmpty ? 0 : (width - 2 * Self.side) / Double(bins.count)
        bars = bins.enumerated().map { index, bin in
            let x = Self.side + Double(index) * slot
            let barHeight: Double
            if let count = bin.count {
                barHeight = largest > 0 ? plot * Double(max(0, count)) / Double(largest) : 0
            } else {
                barHeight = Self.hiddenHeight
            }
            return Bar(x: x + slot * 0.1, y: baseline - barHeight, width: slot * 0.8, height: barHeight, centre: x + slot / 2,
                       label: bin.label, text: bin.text, hidden: bin.count == nil)
        }
    }

    /// The chart as template values: `width`, `height`, `baseline`, `bars` (each `x`, `y`,
    /// `width`, `height`, `centre`, `countY`, `labelY`, `label`, `text`, `barClass`), numbers
    /// written to one decimal.
    public var values: [String: Any] {
        [
            "chartWidth": Self.number(width), "chartHeight": Self.number(height), "chartBaseline": Self.number(baseline),
            "chartBars": bars.map { bar -> [String: Any] in
                ["barX": Self.number(bar.x), "barY": Self.number(bar.y), "barWidth": Self.number(bar.width), "barHeight": Self.number(bar.height),
                 "barCentre": Self.number(bar.centre), "barCountY": Self.number(bar.y - 3), "barLabelY": Self.number(baseline + 12),
                 "barLabel": bar.label, "barText": bar.text, "barClass": bar.hidden ? "bar hidden" : "bar"]
            },
        ]
    }

    /// `12.5`: one decimal, never a trap (a non-finite value draws at 0).
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let tenths = (value * 10).rounded()
        guard abs(tenths) < 1e15 else { return "0" }
        let whole = Int(tenths)
        let sign = whole < 0 ? "-" : ""
        return "\(sign)\(abs(whole) / 10).\(abs(whole) % 10)"
    }
}
