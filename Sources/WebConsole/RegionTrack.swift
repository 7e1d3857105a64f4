import GatewayCore
import Foundation

/// The region viewer's drawing, computed alone (the page's template only writes these numbers
/// into SVG attributes): a coordinate axis with ticks at round positions, and one mark per
/// variant at its position, as tall as its allele frequency is high on a scale from 0 to
/// ``scaleMaximum``; a variant whose frequency is not shown (suppressed, "<k") is a short grey
/// mark with no figure.
public struct RegionTrack: Sendable {
    /// A variant to draw: its 1-based position, its frequency (nil: not shown) and what it shows.
    public struct Variant: Sendable {
        public var position: Int
        public var frequency: Double?
        public var label: String
        public var link: String

        public init(position: Int, frequency: Double?, label: String, link: String) {
            self.position = position
            self.frequency = frequency
            self.label = label
            self.link = link
        }
    }

    /// A drawn variant: x of its stem, top and height of its bar (SVG user units).
    public struct Mark: Sendable {
        public var variant: Variant
        public var x: Double
        public var top: Double
        public var height: Double
        /// `common` (>= 10 %), `low` (>= 1 %), `rare` or `suppressed`: the colour class.
        public var band: String
    }

    /// A tick on the axis: its x and the position it names.
    public struct Tick: Sendable {
        public var x: Double
        public var position: Int
    }

    public let window: GenomicRegion
    /// The whole drawing's width and height, and the plot's left, right, top and baseline.
    public let width: Double, height: Double
    public let left: Double, right: Double, top: Double, baseline: Double
    /// The frequency a full-height mark stands for.
    public let scaleMaximum: Double
    /// Height of a suppressed variant's mark.
    public static let suppressedHeight = 12.0

    public private(set) var marks: [Mark] = []
    public private(set) var ticks: [Tick] = []

    public init(window: GenomicRegion, variants: [Variant], width: Double = 900, height: Double = 240) {
        self.window = window
        self.width = width
        self.height = height
        left = 60
        right = width - 20
        top = 20
        baseline = height - 50
        let shown = variants.filter { $0.position >= window.start && $0.position <= window.end }
        let highest = shown.compactMap(\.frequency).max() ?? 0
        let scale = Self.niceCeiling(max(highest, 0.01))
        scaleMaximum = scale
        let (left, right, top, baseline) = (left, right, top, baseline)
        func x(_ position: Int) -> Double { Self.x(of: position, in: window, from: left, to: right) }
        marks = shown.map { variant in
            guard let frequency = variant.frequency else {
                return Mark(variant: variant, x: x(variant.position), top: baseline - Self.suppressedHeight, height: Self.suppressedHeight, band: "suppressed")
            }
            let height = (baseline - top) * min(max(frequency, 0), scale) / scale
            let band = frequency >= 0.1 ? "common" : frequency >= 0.01 ? "low" : "rare"
            return Mark(variant: variant, x: x(variant.position), top: baseline - height, height: height, band: band)
        }
        let step = Self.tickStep(width: window.length)
        var position = (window.start + step - 1) / step * step
        var ticks: [Tick] = []
        while position <= window.end {
            ticks.append(Tick(x: x(position), position: position))
            position += step
        }
        self.ticks = ticks
    }

    /// The x of a position: `left` at the window's first base, `right` at its last.
    public func x(of position: Int) -> Double { Self.x(of: position, in: window, from: left, to: right) }

    static func x(of position: Int, in window: GenomicRegion, from left: Double, to right: Double) -> Double {
        let span = Double(max(window.end - window.start, 1))
        return left + (right - left) * Double(position - window.start) / span
    }

    /// A round step (1, 2 or 5 times a power of ten) giving 4 to 10 ticks over `width` bases.
    public static func tickStep(width: Int) -> Int {
        var magnitude = 1
        while magnitude < Int.max / 100 {
            for factor in [1, 2, 5] where width / (magnitude * factor) <= 10 { return magnitude * factor }
            magnitude *= 10
        }
        return magnitude
    }

    /// The smallest of 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1 at least `value` (1 at most).
    public static func niceCeiling(_ value: Double) -> Double {
        for candidate in [0.01, 0.02, 0.05, 0.1, 0.2, 0.5] where value <= candidate { return candidate }
        return 1
    }
}
