/// A cancer type of the demo cohort: an NCI Thesaurus term and its share of cases.
public struct DemoCancerType: Sendable, Hashable {
    /// CURIE of the NCIt term, e.g. `NCIT:C4872`.
    public var id: String
    /// The term's preferred label, e.g. `Breast Carcinoma`.
    public var label: String
    /// Share of cases with this cancer type (the catalogue's shares sum to 1).
    public var share: Double

    public init(id: String, label: String, share: Double) {
        self.id = id
        self.label = label
        self.share = share
    }

    /// The cancer types cases are drawn from, most frequent first, with shares
    /// roughly like a Japanese cancer genome programme (common solid tumours first,
    /// glioblastoma rare).
    public static let catalogue: [DemoCancerType] = [
        DemoCancerType(id: "NCIT:C2955", label: "Colorectal Carcinoma", share: 0.21),
        DemoCancerType(id: "NCIT:C4878", label: "Lung Carcinoma", share: 0.18),
        DemoCancerType(id: "NCIT:C4872", label: "Breast Carcinoma", share: 0.16),
        DemoCancerType(id: "NCIT:C4911", label: "Gastric Carcinoma", share: 0.14),
        DemoCancerType(id: "NCIT:C8294", label: "Pancreatic Adenocarcinoma", share: 0.10),
        DemoCancerType(id: "NCIT:C3099", label: "Hepatocellular Carcinoma", share: 0.09),
        DemoCancerType(id: "NCIT:C7558", label: "Endometrial Carcinoma", share: 0.07),
        DemoCancerType(id: "NCIT:C3058", label: "Glioblastoma", share: 0.05),
    ]
}
