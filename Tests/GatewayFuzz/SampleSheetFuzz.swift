import Foundation
import GatewayCore
@testable import VariantStore

/// Sample sheets (TSV) as `genomegate ingest --samples` reads them.
enum SampleSheetFuzz {
    static let target = FuzzTarget(name: "sample-sheet") { data in
        guard var text = data.utf8Text else { return }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let sheet: SampleSheet
        do { sheet = try SampleSheet(text: text, path: "fuzz.tsv") } catch is VariantStoreError { return } catch {
            fuzzFailure("SampleSheet threw \(type(of: error)), not VariantStoreError: \(error)")
        }
        guard sheet.entries.allSatisfy({ $0.sample.qc.mappingRate.isFinite && $0.sample.qc.meanDepth >= 0 }) else {
            fuzzFailure("a sample with QC metrics out of range was accepted")
        }
        // Written back in the standard column order, the sheet reads as the same samples.
        // (ASCII only: a field starting with a combining mark would join the tab before it.)
        let samples = sheet.entries.map(\.sample)
        guard samples.allSatisfy({ [$0.sampleID, $0.participantID, $0.datasetID, $0.cancerType.id, $0.cancerType.label].allSatisfy { $0.allSatisfy(\.isASCII) } }) else { return }
        let lines = samples.map { sample in
            [sample.sampleID, sample.participantID, sample.datasetID, sample.tissue.rawValue, sample.cancerType.id, sample.cancerType.label,
             sample.overseasConsent ? "yes" : "no", "\(sample.qc.mappingRate)", "\(sample.qc.duplicateRate)",
             "\(sample.qc.meanInsertSize)", "\(sample.qc.meanDepth)", sample.identityCheck.rawValue].joined(separator: "\t")
        }
        let written = ([SampleSheet.columns.joined(separator: "\t")] + lines).joined(separator: "\n") + "\n"
        do {
            let again = try SampleSheet(text: written, path: "rewritten.tsv").entries.map(\.sample)
            guard again == samples else { fuzzFailure("rewritten sheet reads differently:\n\(written)") }
        } catch {
            fuzzFailure("rewritten sheet is refused: \(error)\n\(written)")
        }
    }
}
