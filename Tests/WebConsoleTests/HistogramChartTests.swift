import Testing
@testable import WebConsole

/// The histogram the qc-distributions result page draws: bars in proportion to the shown
/// counts, a hidden bin flat with its "<k" text, never a trap on odd input.
@Suite("Web console: the histogram chart")
struct HistogramChartTests {
    @Test("the largest shown count fills the plot; the others are in proportion; a hidden bin is a flat marker with its text")
    func proportions() {
        let chart = HistogramChart(bins: [.init(label: "<90", count: 10, text: "10"), .init(label: "90-95", count: nil, text: "<5"),
                                          .init(label: ">=95", count: 5, text: "5")], width: 300, height: 140)
        let plot = chart.baseline - HistogramChart.top
        #expect(chart.bars[0].height == plot && chart.bars[0].y == HistogramChart.top)
        #expect(chart.bars[2].height == plot / 2)
        #expect(chart.bars[1].hidden && chart.bars[1].height == HistogramChart.hiddenHeight && chart.bars[1].text == "<5")
        #expect(chart.bars.map(\.x).sorted() == chart.bars.map(\.x), "left to right")
        let values = chart.values
        let bars = values["chartBars"] as? [[String: Any]] ?? []
        #expect(bars.count == 3 && bars[1]["barClass"] as? String == "bar hidden" && bars[0]["barClass"] as? String == "bar")
        #expect(values["chartWidth"] as? String == "300.0")
    }

    @Test("no bins, only zeros, only hidden bins, or negative counts: no division by zero, no bar below the axis", arguments: [
        [HistogramChart.Bin](), [.init(label: "a", count: 0, text: "0"), .init(label: "b", count: 0, text: "0")],
        [.init(label: "a", count: nil, text: "<5")], [.init(label: "a", count: -3, text: "-3"), .init(label: "b", count: 2, text: "2")],
    ])
    func degenerate(bins: [HistogramChart.Bin]) {
        let chart = HistogramChart(bins: bins)
        #expect(chart.bars.count == bins.count)
        for bar in chart.bars {
            #expect(bar.height.isFinite && bar.height >= 0 && bar.y + bar.height <= chart.baseline + 0.001)
        }
    }

    @Test("numbers are written to one decimal, and a non-finite one as 0", arguments: [
        (12.34, "12.3"), (0, "0.0"), (-2.26, "-2.3"), (Double.nan, "0"), (Double.infinity, "0"), (1e300, "0"),
    ])
    func numbers(value: Double, text: String) {
        #expect(HistogramChart.number(value) == text)
    }
}
