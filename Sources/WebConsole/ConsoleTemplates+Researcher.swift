/// The researcher's pages: approvals, search, variants, the region viewer, the cohort, visiting analyses.
extension ConsoleRenderer.Page.Template {
    public static let approvals = Self(rawValue: "approvals")
}

extension ConsoleTemplates {
    /// The group's pages in the navigation, in order (path, word key).
    static let researcherNavigation: [(path: String, word: String)] = [
        ("/console/approvals", "approvals"),
    ]

    /// The group's templates by name.
    static var researcher: [(ConsoleRenderer.Page.Template, String)] {
        [(.approvals, approvals)]
    }

    static let approvals = """
        {{<layout}}{{$content}}
        <h1>{{title}}</h1>
        {{^approvals}}<p>{{words.noApprovals}}</p>{{/approvals}}
        {{#hasApprovals}}
        <table class="approvals">
        <thead><tr><th>{{words.approval}}</th><th>{{words.title}}</th><th>{{words.purpose}}</th><th>{{words.validity}}</th><th>{{words.status}}</th><th>{{words.allows}}</th><th>{{words.budget}}</th></tr></thead>
        <tbody>{{#approvals}}<tr class="approval" id="approval-{{id}}"><td>{{id}}</td><td>{{title}}</td><td>{{purpose}}</td><td>{{validity}}</td><td class="status-{{status}}">{{status}}</td>
        <td><ul>{{#allows}}<li>{{.}}</li>{{/allows}}</ul></td>
        <td>{{#budget}}<meter min="0" max="{{total}}" value="{{remaining}}"></meter> {{remaining}} {{words.remaining}} / {{spent}} {{words.spent}}{{/budget}}{{^budget}}{{words.ledgerOff}}{{/budget}}</td></tr>{{/approvals}}</tbody>
        </table>
        {{/hasApprovals}}
        {{/content}}{{/layout}}
        """

    /// The group's styles, appended to the shared stylesheet.
    static let researcherStylesheet = ""
}
