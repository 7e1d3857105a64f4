import Foundation

/// The GA4GH Data Use Ontology terms the gateway understands, and how each one is matched
/// against an approval (the consent-ontology matching rules; README "Consent codes").
///
/// Every dataset carries exactly one permission term and any number of modifiers. A term
/// not listed here is refused when the dataset is recorded, so nothing unknown is ever
/// treated as permissive. Every purpose of ``Approval/Purpose`` is health/medical/biomedical
/// research on genetic data, not methods development and not population-origins research.
public enum DataUseOntology {
    public enum Category: String, Sendable {
        case permission, modifier
    }

    /// One DUO term: its CURIE, short code and label.
    public struct Term: Sendable, Hashable {
        public let id: String
        public let code: String
        public let label: String
        public let category: Category
    }

    /// The terms, by CURIE.
    public static let terms: [String: Term] = {
        let list: [(String, String, String, Category)] = [
            ("DUO:0000004", "NRES", "no restriction", .permission),
            ("DUO:0000042", "GRU", "general research use", .permission),
            ("DUO:0000006", "HMB", "health or medical or biomedical research", .permission),
            ("DUO:0000007", "DS", "disease specific research", .permission),
            ("DUO:0000011", "POA", "population origins or ancestry research only", .permission),
            ("DUO:0000043", "CC", "clinical care use", .permission),
            ("DUO:0000012", "RS", "research specific restrictions", .modifier),
            ("DUO:0000015", "NMDS", "no general methods research", .modifier),
            ("DUO:0000016", "GSO", "genetic studies only", .modifier),
            ("DUO:0000018", "NPUNCU", "not for profit, non commercial use only", .modifier),
            ("DUO:0000019", "PUB", "publication required", .modifier),
            ("DUO:0000020", "COL", "collaboration required", .modifier),
            ("DUO:0000021", "IRB", "ethics approval required", .modifier),
            ("DUO:0000022", "GS", "geographical restriction", .modifier),
            ("DUO:0000024", "MOR", "publication moratorium", .modifier),
            ("DUO:0000025", "TS", "time limit on use", .modifier),
            ("DUO:0000026", "US", "user specific restriction", .modifier),
            ("DUO:0000027", "PS", "project specific restriction", .modifier),
            ("DUO:0000028", "IS", "institution specific restriction", .modifier),
            ("DUO:0000029", "RTN", "return to database or resource", .modifier),
            ("DUO:0000044", "NPOA", "population origins or ancestry research prohibited", .modifier),
            ("DUO:0000045", "NPU", "not for profit organisation use only", .modifier),
            ("DUO:0000046", "NCU", "non-commercial use only", .modifier),
        ]
        return Dictionary(uniqueKeysWithValues: list.map { ($0.0, Term(id: $0.0, code: $0.1, label: $0.2, category: $0.3)) })
    }()

    /// Who asks, under what: the facts a dataset's terms are matched against.
    public struct Use: Sendable {
        public var approval: Approval
        public var organization: Organization
        public var memberID: String
        public var time: Date
        public var diseases: DiseaseHierarchy

        public init(approval: Approval, organization: Organization, memberID: String, time: Date, diseases: DiseaseHierarchy = .standard) {
            self.approval = approval
            self.organization = organization
            self.memberID = memberID
            self.time = time
            self.diseases = diseases
        }

        /// Commercial purpose, or use by a commercial entity (both exclude NCU and NPU data).
        var isCommercial: Bool { approval.commercialUse || organization.kind == .industry }
    }

    /// Why `use` is not compatible with `dataset`'s consent, or nil when every term allows it.
    public static func incompatibility(of dataset: Dataset, with use: Use) -> String? {
        for term in dataset.dataUse {
            if let reason = incompatibility(of: term, with: use) {
                let code = terms[term.id]?.code ?? term.id
                return "dataset \(dataset.id) is \(code) (\(term.id)): \(reason)"
            }
        }
        return nil
    }

    /// Why one term does not allow `use`, or nil. Unknown terms never allow anything.
    static func incompatibility(of term: DataUseTerm, with use: Use) -> String? {
        guard let known = terms[term.id] else { return "the term is not one the gateway knows" }
        switch known.code {
        case "NRES", "GRU", "HMB":
            return nil
        case "DS":
            guard let disease = term.disease else { return "no disease is recorded for the restriction" }
            let types = use.approval.scope.cancerTypes ?? []
            guard !types.isEmpty else {
                return "use is limited to research on \(disease), and the approval is not limited to it"
            }
            if let outside = types.first(where: { !use.diseases.isWithin($0, disease) }) {
                return "use is limited to research on \(disease), and the approval covers \(outside)"
            }
            return nil
        case "POA":
            return "use is limited to population origins or ancestry research"
        case "CC":
            return "use is limited to clinical care, not research"
        case "RS":
            return "its research-specific restriction cannot be checked automatically"
        case "NMDS", "GSO", "NPOA":
            return nil
        case "NCU":
            return use.isCommercial ? "commercial use, or use by a company, is not allowed" : nil
        case "NPU", "NPUNCU":
            return use.isCommercial ? "use by a for-profit organisation, or for a commercial purpose, is not allowed" : nil
        case "IRB", "PUB", "COL", "MOR", "RTN":
            // Obligations the committee checks before approving; its decision is the ethics review.
            return nil
        case "GS":
            guard let countries = term.countries, !countries.isEmpty else { return "no countries are recorded for the restriction" }
            return countries.contains(use.organization.country)
                ? nil : "use is limited to \(countries.joined(separator: ", ")), and the organization is in \(use.organization.country)"
        case "TS":
            guard let until = term.until else { return "no end date is recorded for the time limit" }
            return use.time < until ? nil : "the time allowed for use has ended"
        case "US":
            return (term.allowed ?? []).contains(use.memberID) ? nil : "use is limited to named users"
        case "PS":
            return (term.allowed ?? []).contains(use.approval.id) ? nil : "use is limited to named projects"
        case "IS":
            return (term.allowed ?? []).contains(use.organization.id) ? nil : "use is limited to named institutions"
        default:
            return "the term is not one the gateway knows"
        }
    }

    /// Problems with a dataset's terms as recorded (for validation), each naming the term.
    public static func problems(in dataset: Dataset) -> [String] {
        var problems: [String] = []
        var permissions = 0
        var seen = Set<String>()
        for term in dataset.dataUse {
            guard let known = terms[term.id] else {
                problems.append("unknown DUO term '\(term.id.prefix(40))' (known: \(terms.values.map(\.code).sorted().joined(separator: ", ")) as DUO CURIEs)")
                continue
            }
            if !seen.insert(term.id).inserted { problems.append("\(known.code) (\(term.id)) is listed twice") }
            if known.category == .permission { permissions += 1 }
            switch known.code {
            case "DS" where term.disease == nil: problems.append("DS (\(term.id)) needs a 'disease'")
            case "GS" where (term.countries ?? []).isEmpty: problems.append("GS (\(term.id)) needs 'countries'")
            case "GS":
                for country in term.countries ?? [] where !CountryCodes.isValid(country) {
                    problems.append("GS (\(term.id)): '\(country.prefix(8))' is not an ISO 3166-1 alpha-2 country code")
                }
            case "TS" where term.until == nil: problems.append("TS (\(term.id)) needs 'until'")
            case "US", "PS", "IS":
                if (term.allowed ?? []).isEmpty { problems.append("\(known.code) (\(term.id)) needs 'allowed' ids") }
            default: break
            }
        }
        if permissions != 1 {
            problems.append("a dataset needs exactly one DUO permission term (NRES, GRU, HMB, DS, POA or CC); it has \(permissions)")
        }
        return problems
    }
}
