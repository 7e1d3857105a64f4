import Foundation
import GatewayCore

/// Checks a whole ``PolicyState``: every field well-formed, every reference resolvable,
/// every certificate owned once. A change is applied only if this finds nothing.
public enum PolicyValidation {
    /// Everything wrong with `state`, in a stable order (empty when it is valid). With
    /// `before`, the valid state it was changed from, withdrawals already there are not
    /// checked again (they are independent records, never changed); a withdrawal of `before`
    /// missing from `state` is a problem (they are never removed). With `now`, the time of the
    /// change, an approval created or changed by it may not be decided more than a day later.
    public static func problems(in state: PolicyState, changedFrom before: PolicyState? = nil, now: Date? = nil) -> [PolicyProblem] {
        var problems: [PolicyProblem] = []
        for organization in state.organizations.values.sorted(by: { $0.id < $1.id }) {
            problems += self.problems(in: organization)
        }
        var owners: [CertificateIdentity: String] = [:]
        for member in state.members.values.sorted(by: { $0.id < $1.id }) {
            problems += self.problems(in: member, state: state)
            for (index, certificate) in member.certificates.map(normalized).enumerated() {
                if let other = owners[certificate], other != member.id {
                    problems.append(PolicyProblem(.member, member.id, field: "certificates[\(index)]",
                                                  "the certificate (\(certificate)) already belongs to member \(other); nobody holds two roles"))
                }
                owners[certificate] = member.id
            }
        }
        for approval in state.approvals.values.sorted(by: { $0.id < $1.id }) {
            problems += self.problems(in: approval, state: state)
            if let now, before?.approvals[approval.id] != approval, approval.decisionDate > now.addingTimeInterval(86_400) {
                problems.append(PolicyProblem(.approval, approval.id, field: "decision_date",
                                              "is in the future; an approval records a decision already taken"))
            }
        }
        for dataset in state.datasets.values.sorted(by: { $0.id < $1.id }) {
            problems += self.problems(in: dataset)
        }
        for entry in state.jurisdictions.values.sorted(by: { $0.country < $1.country }) {
            problems += self.problems(in: entry)
            problems += freeText(entry.name, .name, .jurisdiction, entry.country, field: "name")
        }
        for withdrawal in state.withdrawals.values where before?.withdrawals[withdrawal.participantID] == nil
            && !isParticipantID(withdrawal.participantID) {
            problems.append(PolicyProblem(.withdrawal, String(withdrawal.participantID.prefix(80)), field: "participant_id",
                                          "must be 1 to 128 printable ASCII characters without commas, quotes or spaces at either end"))
        }
        if let before {
            for (id, approval) in before.approvals where approval.status == .revoked && state.approvals[id]?.status != .revoked {
                problems.append(PolicyProblem(.approval, id, field: "status", "approval \(id) is revoked; revocation is final"))
            }
            for (id, member) in before.members where member.status == .revoked && state.members[id]?.status != .revoked {
                problems.append(PolicyProblem(.member, id, field: "status", "member \(id) is revoked; revocation is final"))
            }
        }
        if let before, before.withdrawals.count > state.withdrawals.count || before.withdrawals.keys.contains(where: { state.withdrawals[$0] == nil }) {
            problems.append(PolicyProblem(.withdrawal, "*", "a recorded withdrawal cannot be removed"))
        }
        return problems
    }

    static func problems(in organization: Organization) -> [PolicyProblem] {
        var problems: [PolicyProblem] = []
        if !isIdentifier(organization.id) { problems.append(PolicyProblem(.organization, organization.id, field: "id", identifierRule)) }
        if organization.name.isEmpty { problems.append(PolicyProblem(.organization, organization.id, field: "name", "is empty")) }
        problems += freeText(organization.name, .name, .organization, organization.id, field: "name")
        if !CountryCodes.isValid(organization.country) {
            problems.append(PolicyProblem(.organization, organization.id, field: "country",
                                          "'\(organization.country.prefix(8))' is not an ISO 3166-1 alpha-2 country code such as JP"))
        }
        return problems
    }

    static func problems(in member: Member, state: PolicyState) -> [PolicyProblem] {
        var problems: [PolicyProblem] = []
        if !isIdentifier(member.id) { problems.append(PolicyProblem(.member, member.id, field: "id", identifierRule)) }
        if member.name.isEmpty { problems.append(PolicyProblem(.member, member.id, field: "name", "is empty")) }
        problems += freeText(member.name, .name, .member, member.id, field: "name")
        if state.organizations[member.organization] == nil {
            problems.append(PolicyProblem(.member, member.id, field: "organization", "no organization '\(FreeText.shown(member.organization))' is registered"))
        }
        for (index, certificate) in member.certificates.enumerated() {
            guard case .distinguishedName(let subject, let issuer) = certificate else { continue }
            problems += freeText(subject, .distinguishedName, .member, member.id, field: "certificates[\(index)].subject")
            problems += freeText(issuer, .distinguishedName, .member, member.id, field: "certificates[\(index)].issuer")
        }
        if member.certificates.isEmpty && member.status == .active {
            problems.append(PolicyProblem(.member, member.id, field: "certificates", "lists no certificate (an active member needs one)"))
        }
        problems += repeated(member.certificates.map(normalized), .member, member.id, field: "certificates") { "the certificate (\($0))" }
        return problems
    }

    static func problems(in approval: Approval, state: PolicyState) -> [PolicyProblem] {
        var problems: [PolicyProblem] = []
        func problem(_ field: String?, _ message: String) { problems.append(PolicyProblem(.approval, approval.id, field: field, message)) }
        if !isIdentifier(approval.id) { problem("id", identifierRule) }
        if approval.decisionReference.trimmingCharacters(in: .whitespaces).isEmpty { problem("decision_reference", "is empty") }
        if approval.title.trimmingCharacters(in: .whitespaces).isEmpty { problem("title", "is empty") }
        problems += freeText(approval.decisionReference, .name, .approval, approval.id, field: "decision_reference")
        problems += freeText(approval.title, .title, .approval, approval.id, field: "title")
        if approval.validUntil <= approval.validFrom { problem("valid_until", "ends before (or when) valid_from starts") }
        if approval.decisionDate > approval.validFrom {
            problem("decision_date", "is after valid_from; an approval cannot be valid before it was decided")
        }
        if state.organizations[approval.organization] == nil {
            problem("organization", "no organization '\(FreeText.shown(approval.organization))' is registered")
        }
        if approval.members.isEmpty { problem("members", "names no member") }
        for (index, id) in approval.members.enumerated() {
            guard let member = state.members[id] else { problem("members[\(index)]", "no member '\(FreeText.shown(id))' is registered"); continue }
            if member.organization != approval.organization {
                problem("members[\(index)]", "member \(id) belongs to \(member.organization), not \(approval.organization)")
            }
            if member.role != .researcher { problem("members[\(index)]", "member \(id) is \(member.role.rawValue); only researchers query under approvals") }
        }
        if approval.scope.datasets.isEmpty { problem("scope.datasets", "names no dataset") }
        for (index, id) in approval.scope.datasets.enumerated() where state.datasets[id] == nil {
            problem("scope.datasets[\(index)]", "no dataset '\(FreeText.shown(id))' is registered")
        }
        if approval.scope.queryKinds.isEmpty { problem("scope.query_kinds", "names no query kind (\(QueryKind.allowedDescription))") }
        for (index, term) in (approval.scope.cancerTypes ?? []).enumerated() where !isCURIE(term) {
            problem("scope.cancer_types[\(index)]", "'\(FreeText.shown(term, limit: 40))' is not an ontology term such as NCIT:C4872")
        }
        problems += repeated(approval.members, .approval, approval.id, field: "members")
        problems += repeated(approval.scope.datasets, .approval, approval.id, field: "scope.datasets")
        problems += repeated(approval.scope.queryKinds.map(\.rawValue), .approval, approval.id, field: "scope.query_kinds")
        problems += repeated(approval.scope.cancerTypes ?? [], .approval, approval.id, field: "scope.cancer_types")
        if let budget = approval.privacyBudget, !(budget > 0 && budget <= Approval.maximumPrivacyBudget) {
            problem("privacy_budget", "\(budget) is not in (0, \(Approval.maximumPrivacyBudget)]")
        }
        if approval.legalBasis == .academicResearch && approval.commercialUse {
            problem("legal_basis", "the academic-research exception does not cover commercial use")
        }
        return problems
    }

    static func problems(in dataset: Dataset) -> [PolicyProblem] {
        var problems: [PolicyProblem] = []
        if !isIdentifier(dataset.id) { problems.append(PolicyProblem(.dataset, dataset.id, field: "id", identifierRule)) }
        if dataset.name.isEmpty { problems.append(PolicyProblem(.dataset, dataset.id, field: "name", "is empty")) }
        problems += freeText(dataset.name, .name, .dataset, dataset.id, field: "name")
        problems += freeText(dataset.description, .text, .dataset, dataset.id, field: "description")
        for (index, term) in dataset.dataUse.enumerated() {
            problems += freeText(term.label, .name, .dataset, dataset.id, field: "duo[\(index)].label")
            for (position, id) in (term.allowed ?? []).enumerated() where !isIdentifier(id) {
                problems.append(PolicyProblem(.dataset, dataset.id, field: "duo[\(index)].allowed[\(position)]", identifierRule))
            }
            problems += repeated(term.allowed ?? [], .dataset, dataset.id, field: "duo[\(index)].allowed")
            problems += repeated(term.countries ?? [], .dataset, dataset.id, field: "duo[\(index)].countries")
            if let disease = term.disease, !isCURIE(disease) {
                problems.append(PolicyProblem(.dataset, dataset.id, field: "duo[\(index)].disease",
                                              "'\(FreeText.shown(disease, limit: 40))' is not an ontology term such as NCIT:C4872"))
            }
        }
        problems += DataUseOntology.problems(in: dataset).map { PolicyProblem(.dataset, dataset.id, field: "duo", $0) }
        return problems
    }

    /// One problem for each entry listed more than once in the list `field` of record `kind id`
    /// (`'researcher-jp' is listed twice`), in the order the repeats first appear: a list
    /// names each thing once, so a repeat is a mistake, never read as two of it.
    static func repeated<Entry: Hashable>(
        _ entries: [Entry], _ kind: PolicyEntityKind, _ id: String, field: String,
        shown: (Entry) -> String = { "'\(FreeText.shown(String(describing: $0), limit: 80))'" }
    ) -> [PolicyProblem] {
        var counts: [Entry: Int] = [:]
        for entry in entries { counts[entry, default: 0] += 1 }
        var reported = Set<Entry>()
        var problems: [PolicyProblem] = []
        for entry in entries where counts[entry, default: 0] > 1 && reported.insert(entry).inserted {
            let times = counts[entry, default: 0]
            problems.append(PolicyProblem(kind, id, field: field, "\(shown(entry)) is listed \(times == 2 ? "twice" : "\(times) times")"))
        }
        return problems
    }

    /// A certificate identity as it is compared: a fingerprint in lower case without colons.
    static func normalized(_ certificate: CertificateIdentity) -> CertificateIdentity {
        guard case .fingerprint(let value) = certificate else { return certificate }
        return .fingerprint(value.lowercased().filter { $0 != ":" })
    }

    /// The problem of free-text `text` in `field` of record `kind id` (none when nil): see ``FreeText``.
    static func freeText(_ text: String?, _ limit: FreeText.Kind, _ kind: PolicyEntityKind, _ id: String, field: String) -> [PolicyProblem] {
        guard let text, let problem = FreeText.problem(in: text, limit) else { return [] }
        return [PolicyProblem(kind, id, field: field, problem)]
    }

    /// What is wrong with a change's summary, which holds the reason given for it (the admin
    /// API's `reason`, the CLI's `--reason`): the history keeps it, so it is free text like
    /// any other. Nil when nothing is.
    public static func problem(inChangeSummary summary: String) -> String? {
        FreeText.problem(in: summary, .text).map { "the change's summary with its reason \($0)" }
    }

    static func problems(in entry: EquivalentJurisdiction) -> [PolicyProblem] {
        var problems: [PolicyProblem] = []
        if !CountryCodes.isValid(entry.country) {
            problems.append(PolicyProblem(.jurisdiction, entry.country, field: "country", "'\(entry.country.prefix(8))' is not an ISO 3166-1 alpha-2 country code"))
        } else if entry.country == Jurisdiction.home {
            problems.append(PolicyProblem(.jurisdiction, entry.country, field: "country", "Japan is the home jurisdiction, not an equivalent one"))
        }
        if let until = entry.effectiveUntil, until <= entry.effectiveFrom {
            problems.append(PolicyProblem(.jurisdiction, entry.country, field: "effective_until", "ends before (or when) effective_from starts"))
        }
        return problems
    }

    static let identifierRule = "must be 1 to 64 letters, digits, '.', '_' or '-'"

    /// 1-64 of `A-Z a-z 0-9 . _ -`.
    public static func isIdentifier(_ text: String) -> Bool {
        let bytes = text.utf8
        return !bytes.isEmpty && bytes.count <= 64 && bytes.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2E || byte == 0x5F || byte == 0x2D
        }
    }

    /// 1-128 printable ASCII characters, no commas or quotes (so CSV stays plain), no edge
    /// spaces: ids are compared exactly, so nothing that could be mis-encoded is accepted.
    public static func isParticipantID(_ text: String) -> Bool {
        let bytes = text.utf8
        guard !bytes.isEmpty, bytes.count <= 128, bytes.first != 0x20, bytes.last != 0x20 else { return false }
        return bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != 0x2C && $0 != 0x22 }
    }

    /// `PREFIX:LOCAL`, e.g. `NCIT:C4872`.
    /// At most 100 characters; the local part printable ASCII without spaces.
    static func isCURIE(_ text: String) -> Bool {
        guard text.utf8.count <= 100 else { return false }
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, let first = parts[0].first, first.isLetter, !parts[1].isEmpty else { return false }
        return parts[0].allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
            && parts[1].utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }
    }
}
