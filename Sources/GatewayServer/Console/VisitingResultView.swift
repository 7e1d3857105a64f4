import Foundation
import GatewayCore
import WebConsole

/// A released result's output (the JSON the API returns as `result`) as the result page's rows:
/// per output (a variant, a unit, a pair, a tissue's metric) its figures exactly as released
/// (counts, "<k", 2x2 tables and strata as nested tables, p-values, odds ratios with their
/// intervals, a histogram as SVG), and the airlock's findings beside it and again in one list.
/// Only what the output holds is shown: nothing is computed from the figures.
struct VisitingResultView {
    let words: ConsoleTextLookup
    /// The most rows a page shows (the API's result holds them all).
    static let maximumRows = 2_000

    var headers: [String] = []
    var rows: [[String: Any]] = []
    var facts: [(String, String)] = []
    var notes: [[String: Any]] = []
    var note: String?
    var total = 0

    init(analysis: String, output: JSONValue, words: ConsoleTextLookup) {
        self.words = words
        guard case .object(let document) = output else { return }
        switch analysis {
        case "allelic-association": association(document)
        case "burden": burden(document)
        case "co-occurrence": coOccurrence(document)
        case "strata-frequencies": strata(document)
        case "qc-distributions": qc(document)
        default: break
        }
    }

    /// The values the template reads.
    var values: [String: Any] {
        // Absent, not nil: a template section of an optional's nil would print "nil".
        var values: [String: Any] = [
            "headers": headers, "rows": rows, "hasRows": !rows.isEmpty, "notes": notes, "hasNotes": !notes.isEmpty,
            "facts": facts.map { ["factLabel": $0.0, "factValue": $0.1] },
        ]
        if let note { values["note"] = note }
        if total > rows.count { values["truncated"] = "\(rows.count) / \(total)" }
        return values
    }

    // MARK: - Each analysis

    mutating func association(_ document: [String: JSONValue]) {
        let words = self.words
        facts = [(words["visitingRegion"], Self.region(document["region"])),
                 (words["visitingGroups"], "\(words["visitingCaseRow"]) \(Self.text(document["cases"])) · \(words["visitingControlRow"]) \(Self.text(document["controls"]))")]
        headers = [words["visitingVariant"], words["visitingTable"], words["visitingOddsRatio"], words["visitingFisher"],
                   words["visitingChiSquare"], words["visitingChiSquareP"]]
        each(document["variants"]) { item in
            let name = Self.text(item["variant"])
            return (name, [Self.cell(name, "variant"),
                           Self.twoByTwo(item["table"], columns: ("visitingAlternate", "visitingReference"), words: words),
                           Self.oddsRatio(item), Self.statistic(item["pFisher"], "p-fisher"),
                           Self.statistic(item["chiSquare"], "chi-square"), Self.statistic(item["pChiSquare"], "p-chi-square")])
        }
    }

    mutating func burden(_ document: [String: JSONValue]) {
        let words = self.words
        facts = [(words["visitingRule2"], Self.text(document["rule"])),
                 (words["visitingGroups"], "\(words["visitingCaseRow"]) \(Self.text(document["cases"])) · \(words["visitingControlRow"]) \(Self.text(document["controls"]))")]
        headers = [words["visitingUnit"], words["visitingRegion"], words["visitingTable"], words["visitingOddsRatio"], words["visitingPValue"]]
        each(document["units"]) { item in
            let name = Self.text(item["name"])
            return (name, [Self.cell(name, "unit"), Self.cell(Self.region(item["region"]), "region"),
                           Self.twoByTwo(item["table"], columns: ("visitingCarriers", "visitingNonCarriers"), words: words),
                           Self.oddsRatio(item), Self.statistic(item["pValue"], "p-value")])
        }
    }

    mutating func coOccurrence(_ document: [String: JSONValue]) {
        let words = self.words
        facts = [(words["visitingTissue"], Self.text(document["tissue"])), (words["visitingSamples"], Self.text(document["people"]))]
        headers = [words["visitingPair"], words["visitingPairCounts"], words["visitingLog2"], words["visitingTendency"],
                   words["visitingPValue"], words["visitingQValue"]]
        each(document["pairs"]) { item in
            let name = "\(Self.text(item["first"])) × \(Self.text(item["second"]))"
            var counts = Self.cell("–", "counts")
            if case .array(let values)? = item["counts"] { counts = Self.cell(values.map { Self.text($0) }.joined(separator: ", "), "counts") }
            return (name, [Self.cell(name, "pair"), counts, Self.statistic(item["log2OddsRatio"], "log2-odds-ratio"),
                           Self.cell(item["tendency"].map { Self.text($0) } ?? "–", "tendency"),
                           Self.statistic(item["pValue"], "p-value"), Self.statistic(item["qValue"], "q-value")])
        }
    }

    mutating func strata(_ document: [String: JSONValue]) {
        let words = self.words
        facts = [(words["visitingRegion"], Self.region(document["region"]))]
        note = document["disclosure"].map { Self.text($0) }
        headers = [words["visitingVariant"], words["visitingType"], words["visitingTotal"], words["visitingStrata"]]
        let measures = [words["visitingSamples"], words["visitingAlleleCount"], words["visitingAlleleNumber"], words["visitingFrequency"]]
        each(document["variants"]) { item in
            let name = Self.text(item["variant"])
            let total = Self.counts(item["total"])
            var strata: [[String]] = []
            if case .array(let list)? = item["strata"] {
                for case .object(let stratum) in list {
                    strata.append(["\(Self.text(stratum["cancerTypeLabel"])) (\(Self.text(stratum["cancerType"])))", Self.text(stratum["tissue"])] + Self.counts(stratum["counts"]))
                }
            }
            return (name, [Self.cell(name, "variant"), Self.cell(Self.text(item["variantType"]), "type"),
                           Self.nested(head: measures, body: [total], "total"),
                           Self.nested(head: [words["visitingCancerType"], words["visitingTissue"]] + measures, body: strata, "strata")])
        }
    }

    mutating func qc(_ document: [String: JSONValue]) {
        let words = self.words
        headers = [words["visitingTissue"], words["visitingMetric"], words["visitingHistogram"], words["visitingTotal"], words["visitingMean"]]
        each(document["distributions"]) { item in
            let tissue = Self.text(item["tissue"]), metric = Self.text(item["metric"]), unit = Self.text(item["unit"])
            var histogram = Self.cell("", "histogram")
            if case .array(let bins)? = item["bins"] {
                var chartBins: [HistogramChart.Bin] = []
                for case .object(let bin) in bins {
                    let people = bin["people"]
                    var count: Int?
                    if case .integer(let value)? = people { count = value }
                    chartBins.append(.init(label: Self.text(bin["bin"]), count: count, text: Self.text(people)))
                }
                histogram["cellChart"] = HistogramChart(bins: chartBins).values
                histogram["cellTable"] = ["nestedHead": chartBins.map(\.label), "nestedBody": [["nestedRow": chartBins.map(\.text)]]]
            } else {
                histogram["cellText"] = "–"
            }
            return ("\(tissue)/\(metric)", [Self.cell(tissue, "tissue"), Self.cell("\(metric) (\(unit))", "metric"), histogram,
                                            Self.cell(item["total"].map { Self.text($0) } ?? "–", "total"),
                                            Self.statistic(item["mean"], "mean", format: { String(format: "%.1f", $0) })])
        }
    }

    // MARK: - Rows and cells

    /// One row per element of `list`, with its findings (`airlock`) beside it and in the notes.
    mutating func each(_ list: JSONValue?, _ row: ([String: JSONValue]) -> (String, [[String: Any]])) {
        guard case .array(let items)? = list else { return }
        total = items.count
        // The rows past the page's limit are left out with their notes (the API's result holds them).
        for case .object(let item) in items.prefix(Self.maximumRows) {
            let (name, cells) = row(item)
            var findings: [[String: Any]] = []
            if case .array(let list)? = item["airlock"] {
                for case .object(let finding) in list {
                    let rule = Self.text(finding["rule"]), outcome = Self.text(finding["outcome"]), reason = Self.text(finding["reason"])
                    var cellNames = ""
                    if case .array(let cells)? = finding["cells"] { cellNames = cells.map { Self.text($0) }.joined(separator: ", ") }
                    findings.append(["findingRule": rule, "findingOutcome": outcome, "findingCells": cellNames, "findingReason": reason])
                    notes.append(["noteOutput": name, "noteRule": rule, "noteCells": cellNames, "noteOutcome": outcome, "noteReason": reason])
                }
            }
            rows.append(["rowID": "output-\(rows.count)", "rowMasked": !findings.isEmpty, "rowFindings": findings, "cells": cells])
        }
    }

    static func twoByTwo(_ table: JSONValue?, columns: (String, String), words: ConsoleTextLookup) -> [String: Any] {
        guard case .array(let rows)? = table, rows.count == 2, case .array(let first) = rows[0], case .array(let second) = rows[1],
              first.count == 2, second.count == 2 else { return cell(words["visitingMasked"], "two-by-two masked") }
        return nested(head: ["", words[columns.0], words[columns.1]],
                           body: [[words["visitingCaseRow"]] + first.map { Self.text($0) }, [words["visitingControlRow"]] + second.map { Self.text($0) }],
                           "two-by-two")
    }

    static func cell(_ text: String, _ kind: String) -> [String: Any] { ["cellText": text, "cellClass": kind] }

    static func nested(head: [String], body: [[String]], _ kind: String) -> [String: Any] {
        ["cellText": "", "cellClass": kind, "cellTable": ["nestedHead": head, "nestedBody": body.map { ["nestedRow": $0] }]]
    }

    /// A released statistic, shown to four significant digits with its exact value in
    /// `data-value`; "–" when withheld.
    static func statistic(_ value: JSONValue?, _ kind: String, format: (Double) -> String = figure) -> [String: Any] {
        guard let number = number(value) else { return cell("–", kind + " withheld") }
        return ["cellText": format(number), "cellClass": kind, "cellRaw": text(value)]
    }

    static func oddsRatio(_ item: [String: JSONValue]) -> [String: Any] {
        guard let ratio = number(item["oddsRatio"]) else { return cell("–", "odds-ratio withheld") }
        var text = figure(ratio)
        if let lower = number(item["oddsRatioLower"]), let upper = number(item["oddsRatioUpper"]) { text += " [\(figure(lower)), \(figure(upper))]" }
        return ["cellText": text, "cellClass": "odds-ratio", "cellRaw": Self.text(item["oddsRatio"])]
    }

    /// Samples, allele count, allele number, frequency (counts as released: a number or "<k").
    static func counts(_ value: JSONValue?) -> [String] {
        guard case .object(let counts)? = value else { return ["–", "–", "–", "–"] }
        let frequency = number(counts["alleleFrequency"]).map { String(format: "%.4f", $0) } ?? "–"
        return [text(counts["samples"]), text(counts["alleleCount"]), text(counts["alleleNumber"]), frequency]
    }

    static func number(_ value: JSONValue?) -> Double? {
        switch value {
        case .integer(let whole)?: Double(whole)
        case .number(let number)? where number.isFinite: number
        default: nil
        }
    }

    /// `0.07567`, `3.1e-09`: four significant digits.
    static func figure(_ value: Double) -> String {
        value != 0 && abs(value) < 1e-4 ? String(format: "%.3e", value) : String(format: "%.4g", value)
    }

    /// A value as text: a count, "<k", a string, a number as JSON writes it.
    static func text(_ value: JSONValue?) -> String {
        switch value {
        case .string(let text)?: text
        case .integer(let whole)?: String(whole)
        case .number(let number)?: "\(number)"
        case .bool(let flag)?: flag ? "true" : "false"
        case nil, .null?: "–"
        case let other?: other.jsonText
        }
    }

    static func region(_ value: JSONValue?) -> String {
        guard case .object(let region)? = value else { return "–" }
        return "\(text(region["referenceName"])):\(text(region["start"]))-\(text(region["end"]))"
    }
}
