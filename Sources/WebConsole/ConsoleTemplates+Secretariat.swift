/// The secretariat's pages: approvals and their decisions, members, organizations, equivalence, withdrawals, policy history.
extension ConsoleRenderer.Page.Template {
    public static let secretariatApprovals = Self(rawValue: "secretariatApprovals")
}

extension ConsoleTemplates {
    /// The group's pages in the navigation, in order (path, word key).
    static let secretariatNavigation: [(path: String, word: String)] = [
        ("/console/secretariat/approvals", "allApprovals"),
    ]

    /// The group's templates by name.
    static var secretariat: [(ConsoleRenderer.Page.Template, String)] {
        [(.secretariatApprovals, secretariatApprovals)]
    }

    static let secretariatApprovals = """
        {{<layout}}{{$content}}
        <h1>{{title}}</h1>
        <table class="approvals">
        <thead><tr><th>{{words.approval}}</th><th>{{words.title}}</th><th>{{words.organization}}</th><th>{{words.members}}</th><th>{{words.status}}</th><th>{{words.actions}}</th></tr></thead>
        <tbody>{{#approvals}}<tr class="approval" id="approval-{{id}}"><td>{{id}}</td><td>{{title}}</td><td>{{organization}}</td><td>{{members}}</td><td class="status-{{status}}">{{status}}</td>
        <td>{{#actions}}<form method="post" action="{{action}}" class="action-{{name}}"><input type="hidden" name="token" value="{{token}}">
        <label>{{words.reason}} <input name="reason" required maxlength="1000"></label> <button type="submit">{{label}}</button></form>{{/actions}}</td></tr>{{/approvals}}</tbody>
        </table>
        {{/content}}{{/layout}}
        """

    /// The group's styles, appended to the shared stylesheet.
    static let secretariatStylesheet = ""
}
