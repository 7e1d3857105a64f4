import Foundation
import GatewayCore
import VisitingAnalyses

/// The submission form of each visiting analysis: its fields, generated from the analysis's
/// parameters (a region as chromosome, start and end; cancer-type groups; units and variants
/// one per line; the qualifying rule's bounds), and the translation of a posted form into the
/// same JSON parameters `POST /api/visiting/jobs` takes. The translation does not judge the
/// values: a number that is not one is passed on as text, so the analysis's own validation
/// refuses it with the API's message naming the parameter.
struct VisitingForm {
    /// How a field is entered.
    enum Kind: Equatable {
        /// A whole number (start, end).
        case integer
        /// A decimal number in a range (`maximumFrequency`).
        case decimal(minimum: String, maximum: String, step: String)
        /// Free text of one line (a chromosome).
        case text
        /// Cancer-type terms separated by commas or white space: a JSON list of strings.
        case terms
        /// Lines of text: a JSON list of strings (variants `chr:pos:ref:alt`, variant types).
        case lines
        /// Lines `NAME CHROM:START-END`: a JSON list of named regions.
        case units
        /// Yes or no.
        case boolean(default: Bool)
    }

    /// One field: the form's name for it (`region.start`: the parameter path the API's messages
    /// name), the catalogue parameter it belongs to, the word key of its label, its kind.
    struct Field {
        var name: String
        var parameter: String
        var word: String
        var kind: Kind
        var required: Bool
        var placeholder: String = ""
    }

    /// The longest value of a field (characters); the whole form is at most 16 KiB anyway.
    static let maximumLength = 8_000

    static func region(_ prefix: String) -> [Field] {
        [Field(name: "\(prefix).referenceName", parameter: prefix, word: "visitingChromosome", kind: .text, required: true, placeholder: "1"),
         Field(name: "\(prefix).start", parameter: prefix, word: "visitingStart", kind: .integer, required: true, placeholder: "1000000"),
         Field(name: "\(prefix).end", parameter: prefix, word: "visitingEnd", kind: .integer, required: true, placeholder: "2000000")]
    }

    static func terms(_ name: String, _ word: String, required: Bool) -> Field {
        Field(name: name, parameter: name, word: word, kind: .terms, required: required, placeholder: "NCIT:C4872")
    }

    /// The fields of `analysis`, in the order the form shows them.
    static func fields(of analysis: String) -> [Field] {
        switch analysis {
        case "allelic-association":
            return region("region") + [terms("cases", "visitingCases", required: true), terms("controls", "visitingControls", required: false)]
        case "burden":
            return [Field(name: "units", parameter: "units", word: "visitingUnits", kind: .units, required: true, placeholder: "BRCA2 13:32315508-32400268"),
                    terms("cases", "visitingCases", required: true), terms("controls", "visitingControls", required: false),
                    Field(name: "variantTypes", parameter: "variantTypes", word: "visitingVariantTypes", kind: .terms, required: false, placeholder: "SNV, INDEL"),
                    Field(name: "maximumFrequency", parameter: "maximumFrequency", word: "visitingMaximumFrequency",
                          kind: .decimal(minimum: "0.0001", maximum: "0.5", step: "any"), required: false, placeholder: "0.01"),
                    Field(name: "passOnly", parameter: "passOnly", word: "visitingPassOnly", kind: .boolean(default: true), required: false)]
        case "co-occurrence":
            return [Field(name: "variants", parameter: "variants", word: "visitingVariantsField", kind: .lines, required: false, placeholder: "13:32338104:G:A"),
                    Field(name: "units", parameter: "units", word: "visitingUnits", kind: .units, required: false, placeholder: "BRCA2 13:32315508-32400268"),
                    terms("cancerTypes", "visitingCancerTypes", required: false)]
        case "strata-frequencies":
            return region("region") + [terms("cancerTypes", "visitingCancerTypes", required: false)]
        case "qc-distributions":
            return [terms("cancerTypes", "visitingCancerTypes", required: false)]
        default:
            return []
        }
    }

    /// The posted fields of `analysis`'s form as the API's `parameters` object. An empty field
    /// is left out (the analysis says when it was required); a field not of the form is refused.
    static func parameters(_ posted: [String: String], analysis: String) throws(GatewayError) -> JSONValue {
        let fields = fields(of: analysis)
        for name in posted.keys.sorted() where !["token", "approval", "lang"].contains(name) && !fields.contains(where: { $0.name == name }) {
            throw GatewayError(.badRequest, "\(analysis) has no form field '\(name.prefix(40))' (\(fields.map(\.name).joined(separator: ", ")))")
        }
        var object: [String: JSONValue] = [:]
        var regions: [String: [String: JSONValue]] = [:]
        for field in fields {
            guard let raw = posted[field.name] else { continue }
            guard raw.count <= maximumLength else {
                throw GatewayError(.badRequest, "\(analysis) parameter \(field.name) is longer than \(maximumLength) characters")
            }
            let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else { continue }
            let value: JSONValue = switch field.kind {
            case .integer: DecimalInteger.parse(text).map(JSONValue.integer) ?? .string(text)
            case .decimal: decimal(text).map(JSONValue.number) ?? .string(text)
            case .text: .string(text)
            case .terms: .array(text.split { $0 == "," || $0.isWhitespace }.map { .string(String($0)) })
            case .lines: .array(lines(text).map { .string($0) })
            case .units: .array(try lines(text).enumerated().map { index, line throws(GatewayError) in try unit(line, index: index, analysis: analysis) })
            case .boolean: text == "true" ? .bool(true) : text == "false" ? .bool(false) : .string(text)
            }
            if let dot = field.name.firstIndex(of: ".") {
                regions[String(field.name[..<dot]), default: [:]][String(field.name[field.name.index(after: dot)...])] = value
            } else {
                object[field.name] = value
            }
        }
        for (name, region) in regions { object[name] = .object(region) }
        return .object(object)
    }

    static func lines(_ text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// `0.01`: plain decimal notation only (digits and one point, at most 32 characters).
    static func decimal(_ text: String) -> Double? {
        guard text.utf8.count <= 32, text.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E }),
              text.utf8.filter({ $0 == 0x2E }).count <= 1, let value = Double(text), value.isFinite else { return nil }
        return value
    }

    /// `BRCA2 13:32315508-32400268` as `{"name", "referenceName", "start", "end"}`; the
    /// numbers are checked by the analysis (as the API's).
    static func unit(_ line: String, index: Int, analysis: String) throws(GatewayError) -> JSONValue {
        let parts = line.split(whereSeparator: \.isWhitespace)
        let location = parts.count == 2 ? parts[1].split(separator: ":", omittingEmptySubsequences: false) : []
        let span = location.count == 2 ? location[1].split(separator: "-", omittingEmptySubsequences: false) : []
        guard parts.count == 2, location.count == 2, span.count == 2 else {
            throw GatewayError(.badRequest, "\(analysis) parameter units[\(index)] must be a line NAME CHROM:START-END (e.g. BRCA2 13:32315508-32400268), not '\(line.prefix(60))'")
        }
        func number(_ text: Substring) -> JSONValue { DecimalInteger.parse(text).map(JSONValue.integer) ?? .string(String(text)) }
        return .object(["name": .string(String(parts[0])), "referenceName": .string(String(location[0])),
                        "start": number(span[0]), "end": number(span[1])])
    }

    /// The field a refusal's message names (`... parameter region.start must ...`), if any.
    static func field(namedIn message: String, of analysis: String) -> String? {
        guard let range = message.range(of: "parameter ") else { return nil }
        let path = message[range.upperBound...].prefix { !$0.isWhitespace }
        return fields(of: analysis).map(\.name).filter { path == $0 || path.hasPrefix($0 + "[") || path.hasPrefix($0 + ".") }.max { $0.count < $1.count }
            ?? fields(of: analysis).first { $0.name.hasPrefix(path + ".") }?.name
    }
}
