/// The secretariat's pages: approvals and their decisions, members, organizations, equivalence, withdrawals, policy history.
extension ConsoleRenderer.Page.Template {
    public static let secretariatApprovals = Self(rawValue: "secretariatApprovals")
    public static let secretariatApproval = Self(rawValue: "secretariatApproval")
    public static let secretariatApprovalForm = Self(rawValue: "secretariatApprovalForm")
    public static let secretariatMembers = Self(rawValue: "secretariatMembers")
    public static let secretariatOrganizations = Self(rawValue: "secretariatOrganizations")
    public static let secretariatWithdrawals = Self(rawValue: "secretariatWithdrawals")
    public static let secretariatHistory = Self(rawValue: "secretariatHistory")
}

extension ConsoleTemplates {
    /// The group's pages in the navigation, in order (path, word key).
    static let secretariatNavigation: [(path: String, word: String)] = [
        ("/console/secretariat/approvals", "allApprovals"),
        ("/console/secretariat/members", "membersPage"),
        ("/console/secretariat/organizations", "organizationsPage"),
        ("/console/secretariat/withdrawals", "withdrawalsPage"),
        ("/console/secretariat/history", "historyPage"),
    ]

    /// The group's templates by name.
    static var secretariat: [(ConsoleRenderer.Page.Template, String)] {
        [(.secretariatApprovals, secretariatApprovals), (.secretariatApproval, secretariatApproval),
         (.secretariatApprovalForm, secretariatApprovalForm), (.secretariatMembers, secretariatMembers),
         (.secretariatOrganizations, secretariatOrganizations), (.secretariatWithdrawals, secretariatWithdrawals),
         (.secretariatHistory, secretariatHistory)]
    }

    static let secretariatApprovals = """
        {{<layout}}{{$content}}
        <h1>{{title}}</h1>
        <p><a class="button" id="new-approval" href="{{createLink}}">{{words.newApproval}}</a></p>
        <table class="approvals">
        <thead><tr><th>{{words.approval}}</th><th>{{words.title}}</th><th>{{words.organization}}</th><th>{{words.members}}</th><th>{{words.status}}</th><th>{{words.actions}}</th></tr></thead>
        <tbody>{{#approvals}}<tr class="approval" id="approval-{{id}}"><td><a href="{{link}}">{{id}}</a></td><td>{{title}}</td><td>{{organization}}</td><td>{{members}}</td><td class="status-{{status}}">{{status}}</td>
        <td>{{#actions}}<form method="post" action="{{action}}" class="action-{{name}}"><input type="hidden" name="token" value="{{token}}">
        <label>{{words.reason}} <input name="reason" required maxlength="1000"></label> <button type="submit">{{label}}</button></form>{{/actions}}</td></tr>{{/approvals}}</tbody>
        </table>
        {{/content}}{{/layout}}
        """

    /// One approval in full, its decisions, and its history as diffs.
    static let secretariatApproval = """
        {{<layout}}{{$content}}
        <h1>{{title}}</h1>
        <p><a class="button" id="amend" href="{{amendLink}}">{{words.amend}}</a> <a href="{{listLink}}">{{words.allApprovals}}</a></p>
        <dl class="record" id="approval-detail">{{#facts}}<dt>{{label}}</dt><dd class="fact-{{name}}">{{value}}</dd>{{/facts}}</dl>
        <h2>{{words.datasets}}</h2>
        <table class="datasets"><thead><tr><th>{{words.dataset}}</th><th>{{words.consent}}</th></tr></thead>
        <tbody>{{#datasets}}<tr><td>{{id}} · {{name}}</td><td><ul>{{#terms}}<li>{{.}}</li>{{/terms}}</ul></td></tr>{{/datasets}}</tbody></table>
        <h2>{{words.decide}}</h2>
        {{#actions}}<form method="post" action="{{action}}" class="action-{{name}}"><input type="hidden" name="token" value="{{token}}"><input type="hidden" name="back" value="detail">
        <label>{{words.reason}} <input name="reason" required maxlength="1000"></label> <button type="submit">{{label}}</button></form>{{/actions}}
        {{#budgetForm}}<form method="post" action="{{action}}" class="privacy-budget"><input type="hidden" name="token" value="{{token}}">
        <label>{{words.budget}} <input name="budget" inputmode="decimal" required value="{{value}}"></label>
        <label>{{words.reason}} <input name="reason" required maxlength="1000"></label> <button type="submit">{{words.setBudget}}</button></form>{{/budgetForm}}
        <h2>{{words.history}}</h2>
        <ol class="history">{{#history}}<li class="change"><span class="version">v{{version}}</span> {{time}} · {{actor}} · {{summary}}
        <ul class="diff">{{#lines}}<li class="diff-{{kind}}">{{text}}</li>{{/lines}}</ul></li>{{/history}}</ol>
        {{/content}}{{/layout}}
        """

    /// Create and amend: every field the admin API takes; a refusal names the field and keeps what was typed.
    static let secretariatApprovalForm = """
        {{<layout}}{{$content}}
        <h1>{{title}}</h1>
        {{#problem}}<p class="problem" id="form-problem">{{.}}</p>{{/problem}}
        <form method="post" action="{{action}}" id="approval-form" class="record-form">
        <input type="hidden" name="token" value="{{token}}">{{#base}}<input type="hidden" name="base" value="{{.}}">{{/base}}
        {{#fields}}<label for="field-{{name}}">{{label}}</label>
        {{#options}}<select id="field-{{name}}" name="{{name}}"{{#invalid}} class="invalid" aria-invalid="true"{{/invalid}}>{{#choices}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/choices}}</select>{{/options}}
        {{^options}}<input id="field-{{name}}" name="{{name}}" value="{{value}}" maxlength="4000"{{#invalid}} class="invalid" aria-invalid="true"{{/invalid}}>{{/options}}
        <small>{{hint}}</small>{{/fields}}
        <button type="submit">{{submit}}</button>
        </form>
        {{/content}}{{/layout}}
        """

    /// The group's styles, appended to the shared stylesheet.
    static let secretariatStylesheet = """
        .button { display: inline-block; padding: 0.3em 0.8em; border: 1px solid #0b3d5c; border-radius: 4px; text-decoration: none; }
        dl.record { display: grid; grid-template-columns: max-content auto; gap: 0.3em 1.2em; }
        form.record-form { display: grid; grid-template-columns: max-content minmax(16em, 32em) auto; gap: 0.4em 1em; align-items: baseline; }
        form.record-form button { grid-column: 2; justify-self: start; } small { color: #555; }
        .invalid { border: 2px solid #a00; background: #fff4f4; }
        ol.history { padding-left: 1.2em; } li.change { margin-bottom: 0.6em; } .version { font-weight: 700; }
        ul.diff { font-family: ui-monospace, monospace; font-size: 0.9em; list-style: none; padding-left: 1em; }
        .diff-added { color: #05622b; } .diff-removed { color: #a00; } .diff-changed { color: #6b4b00; }
        .counts td { text-align: right; } .inline-form { display: inline; } .subtle { color: #555; font-size: 0.9em; }
        section.box { border: 1px solid #ccd; padding: 0.6em 1em; margin: 1em 0; }
        """
}
