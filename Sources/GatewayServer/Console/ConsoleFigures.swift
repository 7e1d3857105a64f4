import DisclosureControl
import Foundation
import WebConsole

/// How the data pages write figures: a count as the API shows it ("<5" when suppressed), a
/// frequency to four decimals ("–" when the API gives none).
enum ConsoleFigures {
    /// A count's text and class (`suppressed` for "<k").
    static func count(_ count: DisclosedCount?) -> [String: String] {
        guard let count else { return ["text": "–", "class": ""] }
        return ["text": count.description, "class": count.isSuppressed ? "suppressed" : ""]
    }

    /// A frequency's text and class.
    static func frequency(_ value: Double?) -> [String: String] {
        guard let value else { return ["text": "–", "class": "suppressed"] }
        return ["text": frequencyText(value), "class": ""]
    }

    static func frequencyText(_ value: Double) -> String { String(format: "%.4f", value) }

    /// A position with thousands separators, `7,675,088`.
    static func position(_ value: Int) -> String {
        let digits = String(value)
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return out
    }

    /// `values` without the entries that are an absent optional: a template's section then
    /// skips them (an absent optional inside `Any` would otherwise be written as "nil").
    static func present(_ values: [String: Any]) -> [String: Any] {
        values.filter { !(($0.value as? any OptionalValue)?.isAbsent ?? false) }
    }

    /// A bar chart as the template draws it (``ConsoleTemplates`` `barChart`).
    /// `totalFirst`: the first bar is the whole cohort's, drawn darker.
    static func chart(_ chart: BarChart, caption: String, extras: [[String: Any]], totalFirst: Bool = false) -> [String: Any] {
        let c = BarChart.coordinate
        return [
            "width": c(chart.width), "height": c(chart.height), "caption": caption,
            "bars": chart.bars.enumerated().map { index, bar -> [String: Any] in
                var values: [String: Any] = [
                    "label": bar.label, "text": bar.text, "value": bar.value.map { "\($0)" } ?? "", "suppressed": bar.isSuppressed,
                    "labelX": c(chart.labelWidth - 8), "textY": c(bar.y + chart.barHeight - 4), "x": c(chart.labelWidth), "y": c(bar.y),
                    "length": c(bar.length), "barHeight": c(chart.barHeight), "textX": c(bar.textX),
                    "colour": totalFirst && index == 0 ? "#0b3d5c" : "#2b6cb0", "textColour": bar.isSuppressed ? "#8a5a00" : "#1b1f24",
                ]
                if index < extras.count { values.merge(extras[index]) { _, extra in extra } }
                return values
            },
        ]
    }
}

/// An optional seen through `Any`.
protocol OptionalValue {
    var isAbsent: Bool { get }
}

extension Optional: OptionalValue {
    var isAbsent: Bool { self == nil }
}
