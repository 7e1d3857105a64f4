import Foundation
import GatewayCore

/// A parsed sample sheet: a UTF-8 TSV whose first line names the columns.
///
/// Required columns (any order): `sample_id participant_id dataset_id tissue cancer_type_id
/// cancer_type_label overseas_consent mapping_rate duplicate_rate mean_insert_size mean_depth
/// nt_check`. Other columns are ignored. `tissue` is `tumour` or `normal` (`tumor` accepted),
/// `overseas_consent` is `yes` or `no`, `nt_check` is `pass` or `mismatch`; rates are percentages
/// in 0...100, insert size and depth are non-negative numbers. Blank lines are skipped. Errors
/// name the file, the line and column, and the reason.
struct SampleSheet {
    /// One data line of the sheet.
    struct Entry {
        /// 1-based line number in the file.
        var line: Int
        /// The sample; its `index` is assigned when the sheet is imported.
        var sample: SampleRecord
    }

    static let columns = [
        "sample_id", "participant_id", "dataset_id", "tissue", "cancer_type_id", "cancer_type_label",
        "overseas_consent", "mapping_rate", "duplicate_rate", "mean_insert_size", "mean_depth", "nt_check",
    ]

    var path: String
    var entries: [Entry]
    /// 1-based column number of each required column.
    var columnNumbers: [String: Int] = [:]

    /// Reads and validates the sheet at `path`.
    init(contentsOf path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw VariantStoreError(.unreadableFile, "Cannot read the sample sheet \(path): the file does not exist or is not readable.")
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw VariantStoreError(.invalidSampleSheet, "The sample sheet \(path) is not UTF-8 text.")
        }
        try self.init(text: text, path: path)
    }

    /// Parses sheet text (a leading byte order mark, U+FEFF, is skipped; lines end in LF or
    /// CRLF); `path` is only used in error messages.
    init(text: String, path: String) throws {
        let text = text.unicodeScalars.first == "\u{FEFF}" ? String(text.unicodeScalars.dropFirst()) : text
        self.path = path
        self.entries = []
        // "\r\n" is one Character in Swift, so splitting at "\n" alone would not split CRLF files.
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map { line in
            line.hasSuffix("\r") ? line.dropLast() : line
        }
        guard let headerLine = lines.first, !headerLine.allSatisfy({ $0.isWhitespace }) else {
            throw VariantStoreError(.invalidSampleSheet, "\(path) line 1: the header line is missing; the first line must name the columns: \(Self.columns.joined(separator: " ")).")
        }
        let header = headerLine.split(separator: "\t", omittingEmptySubsequences: false).map { String($0).trimmingCharacters(in: .whitespaces) }
        var columnOf: [String: Int] = [:]
        for (position, name) in header.enumerated() {
            if columnOf[name] != nil, Self.columns.contains(name) {
                throw VariantStoreError(.invalidSampleSheet, "\(path) line 1, column \(position + 1): the column \(name) appears twice.")
            }
            columnOf[name] = columnOf[name] ?? position
        }
        for column in Self.columns { columnNumbers[column] = columnOf[column].map { $0 + 1 } }
        let missing = Self.columns.filter { columnOf[$0] == nil }
        guard missing.isEmpty else {
            throw VariantStoreError(.invalidSampleSheet, "\(path) line 1: missing column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")); the header must name \(Self.columns.joined(separator: " ")) (tab-separated).")
        }
        for (offset, line) in lines.enumerated().dropFirst() where !line.allSatisfy({ $0.isWhitespace }) {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map { String($0).trimmingCharacters(in: .whitespaces) }
            let row = Row(path: path, line: offset + 1, fields: fields, header: header, columnOf: columnOf)
            entries.append(Entry(line: offset + 1, sample: try row.sample()))
        }
    }

    /// One data line being validated.
    private struct Row {
        var path: String
        var line: Int
        var fields: [String]
        var header: [String]
        var columnOf: [String: Int]

        func sample() throws -> SampleRecord {
            guard fields.count == header.count else {
                throw VariantStoreError(.invalidSampleSheet, "\(path) line \(line): \(fields.count) tab-separated fields, but the header has \(header.count) columns.")
            }
            let cancerTypeID = try text("cancer_type_id")
            guard OntologyTerm.isValidID(cancerTypeID) else {
                throw failure("cancer_type_id", "'\(cancerTypeID)' is not an ontology id such as NCIT:C4872")
            }
            return SampleRecord(
                index: -1,
                sampleID: try text("sample_id"),
                participantID: try text("participant_id"),
                datasetID: try text("dataset_id"),
                tissue: try choice("tissue", ["tumour": .tumour, "tumor": .tumour, "normal": .normal], expected: "tumour or normal"),
                cancerType: OntologyTerm(id: cancerTypeID, label: try text("cancer_type_label")),
                overseasConsent: try choice("overseas_consent", ["yes": true, "no": false], expected: "yes or no"),
                qc: QCMetrics(
                    mappingRate: try number("mapping_rate", in: 0...100, unit: "a percentage such as 99.9"),
                    duplicateRate: try number("duplicate_rate", in: 0...100, unit: "a percentage such as 12.7"),
                    meanInsertSize: try number("mean_insert_size", in: 0...Double.greatestFiniteMagnitude, unit: "base pairs such as 441"),
                    meanDepth: try number("mean_depth", in: 0...Double.greatestFiniteMagnitude, unit: "a depth such as 31.5")
                ),
                identityCheck: try choice("nt_check", ["pass": .pass, "mismatch": .mismatch], expected: "pass or mismatch")
            )
        }

        private func value(_ column: String) -> String { fields[columnOf[column]!] }

        private func failure(_ column: String, _ reason: String) -> VariantStoreError {
            VariantStoreError(.invalidSampleSheet, "\(path) line \(line), column \(columnOf[column]! + 1) (\(column)): \(reason).")
        }

        private func text(_ column: String) throws -> String {
            let field = value(column)
            guard !field.isEmpty else { throw failure(column, "the value is empty") }
            return field
        }

        private func choice<T>(_ column: String, _ options: [String: T], expected: String) throws -> T {
            let field = try text(column)
            guard let result = options[field.lowercased()] else { throw failure(column, "'\(field)' is not \(expected)") }
            return result
        }

        private func number(_ column: String, in range: ClosedRange<Double>, unit: String) throws -> Double {
            let field = try text(column)
            let isPlainDecimal = field.allSatisfy { $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }
            guard isPlainDecimal, let result = Double(field), result.isFinite else {
                throw failure(column, "'\(field)' is not a number; expected \(unit)")
            }
            guard range.contains(result) else {
                throw failure(column, "\(field) is outside \(range.lowerBound.plainText)...\(range.upperBound == .greatestFiniteMagnitude ? "" : range.upperBound.plainText); expected \(unit)")
            }
            return result
        }
    }
}

private extension Double {
    var plainText: String { self == rounded() ? String(Int(self)) : String(self) }
}
