import DisclosureControl
import Foundation
import GatewayCore
import GatewayPolicy
import WebConsole

/// The filters of the researcher's data pages, as the API's queries take them: a cancer type
/// (an NCIt term of the catalogue), a tissue (tumour or normal), QC (only samples passing the
/// data centre's thresholds) and the approval to query under. Each becomes the filter term or
/// approval of the ``BeaconRequest`` the page's API call would send, so the page is decided,
/// selected and charged exactly like it.
struct ConsoleDataFilters: Sendable {
    /// The parameters the data pages take besides their own (region, variant) and `lang`.
    static let names: Set<String> = ["cancer", "tissue", "qc", "approval"]

    var cancer: String?
    var tissue: String?
    var qcPass = false
    var approval: String?

    /// Reads the filter parameters; a wrong value is a `bad_request` naming the parameter.
    init(_ parameters: [String: String]) throws(GatewayError) {
        if let cancer = parameters["cancer"] {
            guard (1...64).contains(cancer.count), cancer.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || ":._-".contains($0)) }) else {
                throw GatewayError(.badRequest, "cancer '\(cancer.prefix(40))' is not a cancer type term such as NCIT:C4872 (see the search page's list)")
            }
            self.cancer = cancer
        }
        if let tissue = parameters["tissue"] {
            guard ["tumour", "normal"].contains(tissue) else { throw GatewayError(.badRequest, "tissue must be tumour or normal, not '\(tissue.prefix(20))'") }
            self.tissue = tissue
        }
        if let qc = parameters["qc"] {
            guard qc == "pass" else { throw GatewayError(.badRequest, "qc must be pass (or left out for all samples), not '\(qc.prefix(20))'") }
            qcPass = true
        }
        if let approval = parameters["approval"] {
            guard PolicyValidation.isIdentifier(approval) else {
                throw GatewayError(.badRequest, "approval '\(approval.prefix(40))' is not an approval id (1 to 64 letters, digits, '.', '_' or '-')")
            }
            self.approval = approval
        }
    }

    /// The Beacon filter terms, as `filters=` of the API.
    var terms: [String] {
        var terms: [String] = []
        if let cancer { terms.append(cancer) }
        if let tissue { terms.append(tissue == "tumour" ? CohortCatalog.tumourTerm : CohortCatalog.normalTerm) }
        if qcPass { terms.append(CohortCatalog.qcPassTerm) }
        return terms
    }

    /// The API request these filters and `variant` make (`strata`: as `strata=` of the API).
    func beaconRequest(variant: VariantQuery?, strata: Bool? = nil) -> BeaconRequest {
        var request = BeaconRequest(requestedGranularity: .boolean, filters: terms, variant: variant, approvalID: approval)
        request.strata = strata
        return request
    }

    /// The filters as query parameters for links, in a fixed order.
    var queryItems: [(name: String, value: String)] {
        var items: [(name: String, value: String)] = []
        if let cancer { items.append(("cancer", cancer)) }
        if let tissue { items.append(("tissue", tissue)) }
        if qcPass { items.append(("qc", "pass")) }
        if let approval { items.append(("approval", approval)) }
        return items
    }

    /// `path` with `own` parameters, these filters and the language (Japanese only), percent-encoded.
    func link(_ path: String, _ own: [(name: String, value: String)], language: ConsoleLanguage) -> String {
        var items = own + queryItems
        if language == .japanese { items.append(("lang", language.rawValue)) }
        guard !items.isEmpty else { return path }
        return path + "?" + items.map { "\($0.name)=\(ConsoleRoutes.percentEncoded($0.value))" }.joined(separator: "&")
    }

    /// The filter form's values: the catalogue's cancer types, the tissues, QC, the member's
    /// approvals (a choice only when there are several), and hidden `lang`.
    func formValues(catalog: CohortCatalog, approvals: [Approval], language: ConsoleLanguage) -> [String: Any] {
        let words = ConsoleTextLookup(language)
        let cancerTypes = catalog.cancerTypeLabels.sorted { ($0.value, $0.key) < ($1.value, $1.key) }
        func option(_ value: String, _ label: String, _ selected: Bool) -> [String: Any] { ["value": value, "label": label, "selected": selected] }
        return [
            "cancer": [option("", words["dataAnyCancerType"], cancer == nil)] + cancerTypes.map { option($0.key, "\($0.value) (\($0.key))", $0.key == cancer) },
            "tissue": [option("", words["dataAnyTissue"], tissue == nil), option("tumour", words["dataTumour"], tissue == "tumour"),
                       option("normal", words["dataNormal"], tissue == "normal")],
            "qc": [option("", words["dataAnyQC"], !qcPass), option("pass", words["dataQcPass"], qcPass)],
            "hasApprovals": approvals.count > 1,
            "approvals": approvals.enumerated().map { index, item in
                option(item.id, "\(item.id) · \(item.title)", approval.map { $0 == item.id } ?? (index == 0))
            },
            "keep": language == .japanese ? [["name": "lang", "value": language.rawValue]] : [[String: String]](),
        ]
    }
}
