/// The is-a relation between cancer types, for approvals limited to a cancer type and for
/// disease-specific (DS) consent: a type covers itself and every narrower type.
///
/// The standard hierarchy is the part of the NCI Thesaurus the programme's cancer types sit
/// in. A term it does not know covers only itself.
public struct DiseaseHierarchy: Sendable, Hashable {
    /// Term -> its broader term.
    public var parents: [String: String]

    public init(parents: [String: String]) { self.parents = parents }

    /// Whether `term` is `ancestor` or narrower than it.
    public func isWithin(_ term: String, _ ancestor: String) -> Bool {
        var current: String? = term
        var steps = 0
        while let node = current, steps < 64 {
            if node == ancestor { return true }
            current = parents[node]
            steps += 1
        }
        return false
    }

    /// NCIt: Neoplasm > Malignant Neoplasm > Carcinoma / Malignant Glioma > the programme's types.
    public static let standard = DiseaseHierarchy(parents: [
        "NCIT:C9305": "NCIT:C3262",  // Malignant Neoplasm < Neoplasm
        "NCIT:C2916": "NCIT:C9305",  // Carcinoma < Malignant Neoplasm
        "NCIT:C2852": "NCIT:C2916",  // Adenocarcinoma < Carcinoma
        "NCIT:C4822": "NCIT:C9305",  // Malignant Glioma < Malignant Neoplasm
        "NCIT:C2955": "NCIT:C2916",  // Colorectal Carcinoma
        "NCIT:C4878": "NCIT:C2916",  // Lung Carcinoma
        "NCIT:C4872": "NCIT:C2916",  // Breast Carcinoma
        "NCIT:C4911": "NCIT:C2916",  // Gastric Carcinoma
        "NCIT:C8294": "NCIT:C2852",  // Pancreatic Adenocarcinoma
        "NCIT:C3099": "NCIT:C2916",  // Hepatocellular Carcinoma
        "NCIT:C7558": "NCIT:C2916",  // Endometrial Carcinoma
        "NCIT:C3058": "NCIT:C4822",  // Glioblastoma
    ])
}
