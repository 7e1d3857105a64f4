import Foundation

/// A horizontal bar chart, computed alone (the page's template only writes these numbers into
/// SVG attributes): one row per bar, its label on the left, its bar as long as its value is
/// large on a scale from 0 to ``maximum``, its value written after it. A bar whose value is not
/// shown (suppressed, "<k") has no length and shows its text only.
public struct BarChart: Sendable {
    /// A bar to draw: its label, its value (nil: not shown) and the text shown for it.
    public struct Bar: Sendable {
        public var label: String
        public var value: Double?
        public var text: String
        /// Its row's `y`, the bar's length and where its text starts.
        public var y: Double = 0
        public var length: Double = 0
        public var textX: Double = 0

        public init(label: String, value: Double?, text: String) {
            self.label = label
            self.value = value
            self.text = text
        }

        public var isSuppressed: Bool { value == nil }
    }

    public let labelWidth: Double, plotWidth: Double, rowHeight: Double, barHeight: Double
    /// The value a full-length bar stands for.
    public let maximum: Double
    public private(set) var bars: [Bar]

    /// The whole drawing's width and height.
    public var width: Double { labelWidth + plotWidth + 90 }
    public var height: Double { rowHeight * Double(bars.count) + 8 }

    /// The chart of `bars` on a scale to `maximum` (default: the largest value, 1 if none is
    /// above 0). A value outside 0...maximum is drawn at the nearest end.
    public init(_ bars: [Bar], maximum: Double? = nil, labelWidth: Double = 240, plotWidth: Double = 420, rowHeight: Double = 26) {
        self.labelWidth = labelWidth
        self.plotWidth = plotWidth
        self.rowHeight = rowHeight
        self.barHeight = rowHeight - 8
        let largest = bars.compactMap(\.value).filter(\.isFinite).max() ?? 0
        let scale = maximum ?? (largest > 0 ? largest : 1)
        self.maximum = scale.isFinite && scale > 0 ? scale : 1
        self.bars = bars
        for index in self.bars.indices {
            let value = self.bars[index].value.map { $0.isFinite ? min(max($0, 0), self.maximum) : 0 } ?? 0
            self.bars[index].y = 4 + rowHeight * Double(index)
            self.bars[index].length = plotWidth * value / self.maximum
            self.bars[index].textX = labelWidth + self.bars[index].length + 6
        }
    }

    /// A number for an SVG attribute: one decimal.
    public static func coordinate(_ value: Double) -> String { String(format: "%.1f", value) }
}
