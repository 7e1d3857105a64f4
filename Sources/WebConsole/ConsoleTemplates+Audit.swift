/// The auditors' pages: the log, one record, verification, the usage report.
extension ConsoleRenderer.Page.Template {
    public static let auditLog = Self(rawValue: "auditLog")
    public static let auditRecord = Self(rawValue: "auditRecord")
    public static let auditVerification = Self(rawValue: "auditVerification")
    public static let auditUsage = Self(rawValue: "auditUsage")
}

extension ConsoleTemplates {
    /// The group's pages in the navigation, in order (path, word key).
    static let auditNavigation: [(path: String, word: String)] = [
        ("/console/audit", "auditLog"),
        ("/console/audit/verification", "auditVerification"),
        ("/console/audit/usage", "auditUsage"),
    ]

    /// The group's templates by name.
    static var audit: [(ConsoleRenderer.Page.Template, String)] {
        [(.auditLog, auditLog), (.auditRecord, auditRecord), (.auditVerification, auditVerification), (.auditUsage, auditUsage)]
    }

    static let auditLog = """
        {{<layout}}{{$content}}
        <h1>{{title}}</h1>
        <form method="get" action="/console/audit" class="filters" id="audit-filters">
        {{#filters}}<label>{{label}} <input name="{{name}}" value="{{value}}" placeholder="{{placeholder}}"></label> {{/filters}}
        <label>{{words.decision}} <select name="decision">{{#decisions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/decisions}}</select></label>
        {{#languageField}}<input type="hidden" name="lang" value="{{.}}">{{/languageField}}
        <button type="submit">{{words.filter}}</button></form>
        <p class="exports">{{words.export}}: <a href="{{exportJSON}}" id="export-jsonl" download>JSON Lines</a> · <a href="{{exportCSV}}" id="export-csv" download>CSV</a></p>
        <p class="checkpoint">{{checkpoint}} · {{order}}</p>
        <table class="audit"><thead><tr><th>#</th><th>{{words.time}}</th><th>{{words.member}}</th><th>{{words.organization}}</th><th>{{words.request}}</th><th>{{words.decision}}</th><th>HTTP</th><th>{{words.answer}}</th></tr></thead>
        <tbody>{{#records}}<tr class="record" id="record-{{sequence}}"><td><a href="{{href}}">{{sequence}}</a></td><td><time datetime="{{datetime}}">{{time}}</time></td><td>{{member}}</td><td>{{organization}}</td><td>{{method}} {{path}}</td><td class="decision-{{decision}}">{{decision}} {{reasons}}</td><td>{{status}}</td><td>{{kind}}</td></tr>{{/records}}</tbody>
        </table>
        {{^records}}<p>{{words.noRecords}}</p>{{/records}}
        <p class="paging">{{#previous}}<a href="{{.}}" rel="prev">{{words.auditPrevious}}</a> {{/previous}}{{#next}}<a href="{{.}}" rel="next">{{words.next}}</a>{{/next}}</p>
        {{/content}}{{/layout}}
        """

    static let auditRecord = """
        {{<layout}}{{$content}}
        <h1>{{title}}</h1>
        <p class="paging">{{#previous}}<a href="{{.}}" rel="prev" id="previous-record">{{words.auditPreviousRecord}}</a> {{/previous}}<a href="{{log}}">{{words.auditLog}}</a>{{#next}} <a href="{{.}}" rel="next" id="next-record">{{words.auditNextRecord}}</a>{{/next}}</p>
        <table class="audit-record" id="audit-record-{{sequence}}"><tbody>
        <tr id="field-sequence"><th>{{words.auditFieldSequence}}</th><td>{{sequence}}</td></tr>
        {{#fields}}<tr id="field-{{name}}"><th>{{label}}</th><td class="value">{{value}}</td></tr>{{/fields}}
        </tbody></table>
        <h2>{{words.auditChain}}</h2>
        <dl class="hashes">
        <dt>{{words.auditHash}}</dt><dd class="hash" id="hash">{{hash}}</dd>
        <dt>{{words.auditPreviousHash}}</dt><dd class="hash" id="prev-hash">{{previousHash}}</dd>
        <dt>{{words.auditHashCheck}}</dt><dd id="hash-check" class="{{#hashMatches}}pass{{/hashMatches}}{{^hashMatches}}fail{{/hashMatches}}">{{hashCheck}}</dd>
        {{#checkpoint}}<dt>{{words.auditSignedBy}}</dt><dd id="checkpoint">{{words.auditCheckpointNumber}} {{sequence}} · {{time}} · {{words.auditKey}} {{keyID}}</dd>
        <dt>{{words.auditHeadHash}}</dt><dd class="hash">{{headHash}}</dd>
        <dt>{{words.auditSignature}}</dt><dd class="hash">{{signature}}</dd>{{/checkpoint}}
        {{^checkpoint}}<dt>{{words.auditSignedBy}}</dt><dd id="checkpoint">{{words.auditNotSignedYet}}</dd>{{/checkpoint}}
        </dl>
        <h2>{{words.auditCanonical}}</h2>
        <pre class="canonical">{{canonical}}</pre>
        {{/content}}{{/layout}}
        """

    static let auditVerification = """
        {{<layout}}{{$content}}
        <h1>{{title}}</h1>
        <p class="verdict {{#passed}}pass{{/passed}}{{^passed}}fail{{/passed}}" id="verdict">{{verdict}}</p>
        <dl class="identity verification">
        <dt>{{words.auditRange}}</dt><dd id="range">{{range}}</dd>
        <dt>{{words.auditRecordsChecked}}</dt><dd id="records-checked">{{records}}</dd>
        <dt>{{words.auditCheckpointsChecked}}</dt><dd>{{checkpoints}}</dd>
        <dt>{{words.auditClosingCheckpoint}}</dt><dd id="closing-checkpoint">{{lastCheckpoint}}</dd>
        <dt>{{words.auditKey}}</dt><dd>{{keyID}}</dd>
        <dt>{{words.auditLastSigned}}</dt><dd>{{lastSigned}}</dd>
        <dt>{{words.auditTook}}</dt><dd>{{elapsed}}</dd>
        </dl>
        {{#failure}}<p class="problem" id="first-bad-record">{{words.auditFirstBadRecord}} {{#href}}<a href="{{.}}">{{sequence}}</a>{{/href}}{{^href}}{{sequence}}{{/href}}: {{message}}</p>{{/failure}}
        <p class="note">{{words.auditVerificationNote}} ({{cap}})</p>
        <p class="paging"><a href="{{start}}">{{words.auditVerifyFromStart}}</a>{{#next}} · <a href="{{.}}" rel="next" id="next-range">{{words.auditVerifyNext}}</a>{{/next}}</p>
        {{/content}}{{/layout}}
        """

    static let auditUsage = """
        {{<layout}}{{$content}}
        <h1>{{title}}</h1>
        <form method="get" action="/console/audit/usage" class="filters" id="usage-period">
        <label>{{words.from}} <input name="from" value="{{from}}" placeholder="2026-11-01"></label>
        <label>{{words.to}} <input name="to" value="{{to}}" placeholder="2026-12-01"></label>
        {{#languageField}}<input type="hidden" name="lang" value="{{.}}">{{/languageField}}
        <button type="submit">{{words.auditShow}}</button></form>
        <p class="note">{{words.auditUsageNote}}</p>
        <p class="exports"><a href="{{csv}}" id="usage-csv" download>{{words.auditUsageCSV}}</a> · {{words.auditTotalRequests}}: <span id="usage-total">{{total}}</span></p>
        <table class="usage"><thead><tr><th>{{words.approval}}</th><th>{{words.purpose}}</th><th>{{words.auditRequests}}</th><th>{{words.auditAllowed}}</th><th>{{words.auditDenied}}</th><th>{{words.auditKinds}}</th><th>{{words.members}}</th><th>{{words.auditOrganizations}}</th><th>{{words.auditBudgetSpent}}</th></tr></thead>
        <tbody>{{#rows}}<tr class="usage-row" id="usage-{{id}}"><td>{{approval}}<br><small>{{title}}</small></td><td>{{purpose}}</td><td class="requests">{{requests}}</td><td class="allowed">{{allowed}}</td><td class="denied">{{denied}}</td><td>{{kinds}}</td><td class="members">{{members}}</td><td>{{organizations}}</td><td>{{charge}}</td></tr>{{/rows}}</tbody>
        </table>
        {{^rows}}<p>{{words.noRecords}}</p>{{/rows}}
        {{/content}}{{/layout}}
        """

    /// The group's styles, appended to the shared stylesheet.
    static let auditStylesheet = """
        form.filters label { margin-right: 0.8em; } .paging a { margin-right: 1em; }
        .decision-deny { color: #a00; } .hash { font-family: ui-monospace, monospace; font-size: 0.85em; word-break: break-all; }
        pre.canonical { white-space: pre-wrap; word-break: break-all; background: #f4f6f8; padding: 0.8em; font-size: 0.85em; }
        table.audit-record th { width: 14em; } .verdict { font-size: 1.6em; font-weight: 700; padding: 0.3em 0.6em; display: inline-block; }
        .verdict.pass, dd.pass { color: #0a6b2d; } .verdict.pass { background: #e3f4e8; } .verdict.fail, dd.fail { color: #a00; } .verdict.fail { background: #fbe4e4; }
        table.usage td.requests, table.usage td.allowed, table.usage td.denied, table.usage td.members { text-align: right; }
        """
}
