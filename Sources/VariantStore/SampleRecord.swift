import GatewayCore

/// One registered sample: its bit index in every ``SampleSet`` of the store, and the
/// metadata the gateway filters cohorts by.
///
/// Records come from a sample sheet (``SampleSheet``) or, for a VCF sample without one, are
/// registered at ingest with minimal metadata (``SampleRecord/minimal(index:sampleID:datasetID:)``).
public struct SampleRecord: Sendable, Hashable, Codable {
    /// The sample's bit position in every stored set; stable for the life of the store.
    public var index: Int
    public var sampleID: String
    /// The case (patient) the sample belongs to: a tumour and its matched normal share it.
    public var participantID: String
    public var datasetID: String
    public var tissue: Tissue
    public var cancerType: OntologyTerm
    /// Whether the donor consented to provision of their data overseas (APPI).
    public var overseasConsent: Bool
    public var qc: QCMetrics
    /// The tumour/normal identity check (NGSCheckMate) of the sample's case.
    public var identityCheck: IdentityCheck

    public init(
        index: Int, sampleID: String, participantID: String, datasetID: String, tissue: Tissue,
        cancerType: OntologyTerm, overseasConsent: Bool, qc: QCMetrics, identityCheck: IdentityCheck
    ) {
        self.index = index
        self.sampleID = sampleID
        self.participantID = participantID
        self.datasetID = datasetID
        self.tissue = tissue
        self.cancerType = cancerType
        self.overseasConsent = overseasConsent
        self.qc = qc
        self.identityCheck = identityCheck
    }

    /// The record registered for a VCF sample ingested without a sample sheet: participant =
    /// sample id, tumour, cancer type ``OntologyTerm/unknownNeoplasm``, no overseas consent,
    /// identity check passed and QC metrics of 0 (so it raises every QC flag).
    public static func minimal(index: Int, sampleID: String, datasetID: String) -> SampleRecord {
        SampleRecord(
            index: index, sampleID: sampleID, participantID: sampleID, datasetID: datasetID, tissue: .tumour,
            cancerType: .unknownNeoplasm, overseasConsent: false,
            qc: QCMetrics(mappingRate: 0, duplicateRate: 0, meanInsertSize: 0, meanDepth: 0), identityCheck: .pass
        )
    }

    /// The same record under another index (the registry assigns indexes).
    func withIndex(_ newIndex: Int) -> SampleRecord {
        var copy = self
        copy.index = newIndex
        return copy
    }
}

/// Which tissue a sample was sequenced from.
public enum Tissue: String, Sendable, Hashable, Codable, CaseIterable {
    case tumour
    case normal
}

/// The tumour/normal identity check of a case.
public enum IdentityCheck: String, Sendable, Hashable, Codable, CaseIterable {
    /// Tumour and normal come from the same person.
    case pass
    /// Tumour and normal do not match: the whole case must be excluded from results.
    case mismatch
}

/// A term of an ontology, e.g. `NCIT:C4872` "Breast Carcinoma".
public struct OntologyTerm: Sendable, Hashable, Codable {
    /// The CURIE, `PREFIX:LOCAL` (e.g. `NCIT:C4872`).
    public var id: String
    public var label: String

    public init(id: String, label: String) {
        self.id = id
        self.label = label
    }

    /// `NCIT:C3262` "Neoplasm": the cancer type of samples registered without a sample sheet.
    public static let unknownNeoplasm = OntologyTerm(id: "NCIT:C3262", label: "Neoplasm")

    /// Whether `id` looks like a CURIE: a prefix of letters, digits, `_` or `.` starting with a
    /// letter, a colon, and a non-empty local part without spaces.
    static func isValidID(_ id: String) -> Bool {
        guard let colon = id.firstIndex(of: ":") else { return false }
        let prefix = id[..<colon], local = id[id.index(after: colon)...]
        guard let first = prefix.first, first.isASCII, first.isLetter, !local.isEmpty else { return false }
        let prefixIsValid = prefix.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == ".") }
        return prefixIsValid && !local.contains(where: { $0.isWhitespace })
    }
}
