/// The auditors' pages: the log, one record, verification, the usage report.
extension ConsoleRenderer.Page.Template {
    public static let auditLog = Self(rawValue: "auditLog")
}

extension ConsoleTemplates {
    /// The group's pages in the navigation, in order (path, word key).
    static let auditNavigation: [(path: String, word: String)] = [
        ("/console/audit", "auditLog"),
    ]

    /// The group's templates by name.
    static var audit: [(ConsoleRenderer.Page.Template, String)] {
        [(.auditLog, auditLog)]
    }

    static let auditLog = """
        {{<layout}}{{$content}}
        <h1>{{title}}</h1>
        <form method="get" action="/console/audit" class="filters">
        {{#filters}}<label>{{label}} <input name="{{name}}" value="{{value}}"></label> {{/filters}}
        <label>{{words.decision}} <select name="decision">{{#decisions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/decisions}}</select></label>
        {{#languageField}}<input type="hidden" name="lang" value="{{.}}">{{/languageField}}
        <button type="submit">{{words.filter}}</button></form>
        <p class="exports">{{words.export}}: <a href="{{exportJSON}}" download>JSON Lines</a> · <a href="{{exportCSV}}" download>CSV</a></p>
        <p class="checkpoint">{{checkpoint}}</p>
        <table class="audit"><thead><tr><th>#</th><th>{{words.time}}</th><th>{{words.member}}</th><th>{{words.organization}}</th><th>{{words.request}}</th><th>{{words.decision}}</th><th>HTTP</th><th>{{words.answer}}</th></tr></thead>
        <tbody>{{#records}}<tr class="record" id="record-{{sequence}}"><td>{{sequence}}</td><td>{{time}}</td><td>{{member}}</td><td>{{organization}}</td><td>{{method}} {{path}}</td><td class="decision-{{decision}}">{{decision}} {{reasons}}</td><td>{{status}}</td><td>{{kind}}</td></tr>{{/records}}</tbody>
        </table>
        {{^records}}<p>{{words.noRecords}}</p>{{/records}}
        {{#next}}<p><a href="{{.}}" rel="next">{{words.next}}</a></p>{{/next}}
        {{/content}}{{/layout}}
        """

    /// The group's styles, appended to the shared stylesheet.
    static let auditStylesheet = ""
}
