/// The secretariat's directory pages (members and their certificates; organizations and the
/// equivalence list) and its records (withdrawals, the policy history).
extension ConsoleTemplates {
    /// A status decision with its reason (members), posted to `action`.
    static let statusForms = """
        {{#actions}}<form method="post" action="{{action}}" class="inline-form action-{{name}}"><input type="hidden" name="token" value="{{token}}">
        <input name="reason" required maxlength="1000" placeholder="{{words.reason}}" aria-label="{{words.reason}}"> <button type="submit">{{label}}</button></form> {{/actions}}
        """

    static let secretariatMembers = """
        {{<layout}}{{$content}}
        <h1>{{title}}</h1>
        {{#problem}}<p class="problem" id="form-problem">{{.}}</p>{{/problem}}
        <table class="members">
        <thead><tr><th>{{words.member}}</th><th>{{words.role}}</th><th>{{words.organization}}</th><th>{{words.certificates}}</th><th>{{words.status}}</th><th>{{words.actions}}</th></tr></thead>
        <tbody>{{#members}}<tr class="member" id="member-{{id}}"><td>{{id}}<br><span class="subtle">{{name}}</span></td><td>{{role}}</td><td>{{organization}}</td>
        <td><ul class="certificates">{{#certificates}}<li><code>{{text}}</code>
        <form method="post" action="{{action}}" class="inline-form unbind"><input type="hidden" name="token" value="{{token}}">{{#fields}}<input type="hidden" name="{{name}}" value="{{value}}">{{/fields}}<button type="submit">{{words.unbind}}</button></form></li>{{/certificates}}</ul>
        <form method="post" action="{{bind.action}}" class="bind"><input type="hidden" name="token" value="{{bind.token}}">
        <input name="fingerprint" maxlength="200" placeholder="{{words.fingerprint}}" aria-label="{{words.fingerprint}}">
        <input name="subject" maxlength="1024" placeholder="{{words.subject}}" aria-label="{{words.subject}}">
        <input name="issuer" maxlength="1024" placeholder="{{words.issuer}}" aria-label="{{words.issuer}}"> <button type="submit">{{words.bind}}</button></form></td>
        <td class="status-{{status}}">{{status}}</td><td>\(statusForms)</td></tr>{{/members}}</tbody>
        </table>
        <h2>{{words.registerMember}}</h2>
        <form method="post" action="{{register.action}}" id="register-member" class="record-form"><input type="hidden" name="token" value="{{register.token}}">
        <label for="m-id">{{words.memberID}}</label><input id="m-id" name="id" required maxlength="128"><small></small>
        <label for="m-name">{{words.name}}</label><input id="m-name" name="name" required maxlength="200"><small></small>
        <label for="m-org">{{words.organization}}</label><select id="m-org" name="organization">{{#organizations}}<option value="{{.}}">{{.}}</option>{{/organizations}}</select><small></small>
        <label for="m-role">{{words.role}}</label><select id="m-role" name="role">{{#roles}}<option value="{{.}}">{{.}}</option>{{/roles}}</select><small></small>
        <label for="m-fp">{{words.fingerprint}}</label><input id="m-fp" name="fingerprint" maxlength="200"><small>{{words.fingerprintHint}}</small>
        <label for="m-subject">{{words.subject}}</label><input id="m-subject" name="subject" maxlength="1024"><small></small>
        <label for="m-issuer">{{words.issuer}}</label><input id="m-issuer" name="issuer" maxlength="1024"><small></small>
        <button type="submit">{{words.registerMember}}</button></form>
        {{/content}}{{/layout}}
        """

    static let secretariatOrganizations = """
        {{<layout}}{{$content}}
        <h1>{{title}}</h1>
        {{#problem}}<p class="problem" id="form-problem">{{.}}</p>{{/problem}}
        <table class="organizations">
        <thead><tr><th>{{words.organization}}</th><th>{{words.name}}</th><th>{{words.kind}}</th><th>{{words.country}}</th><th>{{words.jurisdictionBasis}}</th><th>{{words.status}}</th><th></th></tr></thead>
        <tbody>{{#organizations}}<tr class="organization" id="organization-{{id}}"><td>{{id}}</td><td>{{name}}</td><td>{{kind}}</td><td>{{country}}</td><td>{{basis}}</td>
        <td class="status-{{status}}">{{status}}</td><td><a href="{{edit}}">{{words.edit}}</a></td></tr>{{/organizations}}</tbody>
        </table>
        <h2>{{organizationFormTitle}}</h2>
        <form method="post" action="{{organizationForm.action}}" id="save-organization" class="record-form"><input type="hidden" name="token" value="{{organizationForm.token}}">
        {{#organizationForm.fields}}<label for="o-{{name}}">{{label}}</label>
        {{#options}}<select id="o-{{name}}" name="{{name}}">{{#choices}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/choices}}</select>{{/options}}
        {{^options}}<input id="o-{{name}}" name="{{name}}" value="{{value}}" maxlength="200">{{/options}}<small>{{hint}}</small>{{/organizationForm.fields}}
        <button type="submit">{{words.save}}</button></form>
        <h2 id="equivalence">{{words.equivalenceList}}</h2>
        <p class="subtle">{{words.equivalenceNote}}</p>
        <table class="jurisdictions"><thead><tr><th>{{words.country}}</th><th>{{words.name}}</th><th>{{words.effectiveFrom}}</th><th>{{words.effectiveUntil}}</th><th>{{words.inForce}}</th><th></th></tr></thead>
        <tbody>{{#jurisdictions}}<tr class="jurisdiction" id="jurisdiction-{{country}}"><td>{{country}}</td><td>{{name}}</td><td>{{from}}</td><td>{{until}}</td><td>{{inForce}}</td><td><a href="{{edit}}">{{words.edit}}</a></td></tr>{{/jurisdictions}}</tbody></table>
        <form method="post" action="{{jurisdictionForm.action}}" id="save-jurisdiction" class="record-form"><input type="hidden" name="token" value="{{jurisdictionForm.token}}">
        {{#jurisdictionForm.fields}}<label for="j-{{name}}">{{label}}</label><input id="j-{{name}}" name="{{name}}" value="{{value}}" maxlength="200"><small>{{hint}}</small>{{/jurisdictionForm.fields}}
        <button type="submit">{{words.save}}</button></form>
        {{/content}}{{/layout}}
        """

    static let secretariatWithdrawals = """
        {{<layout}}{{$content}}
        <h1>{{title}}</h1>
        {{#outcome}}<section class="box" id="withdrawal-outcome"><h2>{{words.uploadOutcome}} {{file}}</h2>
        <table class="counts"><tbody>
        <tr><th>{{words.rowsRead}}</th><td id="rows">{{rows}}</td></tr>
        <tr><th>{{words.recordedNow}}</th><td id="recorded">{{recorded}}</td></tr>
        <tr><th>{{words.alreadyWithdrawn}}</th><td id="already">{{already}}</td></tr>
        <tr><th>{{words.notInStore}}</th><td id="unknown">{{unknownCount}}</td></tr>
        <tr><th>{{words.withdrawnTotal}}</th><td id="total">{{total}}</td></tr>
        <tr><th>{{words.policyVersion}}</th><td>{{version}}</td></tr></tbody></table>
        {{#hasUnknown}}<p class="subtle">{{words.notInStoreNote}}</p><ul class="unknown">{{#unknown}}<li><code>{{.}}</code></li>{{/unknown}}</ul>{{/hasUnknown}}
        </section>{{/outcome}}
        <p>{{words.withdrawnTotal}}: <strong id="withdrawn-total">{{withdrawnTotal}}</strong></p>
        <form method="post" action="{{upload.action}}" enctype="multipart/form-data" id="upload-withdrawals">
        <input type="hidden" name="token" value="{{upload.token}}">
        <label>{{words.withdrawalCSV}} <input type="file" name="file" accept=".csv,text/csv" required></label>
        <button type="submit">{{words.upload}}</button></form>
        <p class="subtle">{{words.withdrawalFormat}}</p>
        <h2>{{words.recordings}}</h2>
        <table class="recordings"><thead><tr><th>{{words.policyVersion}}</th><th>{{words.time}}</th><th>{{words.by}}</th><th>{{words.withdrawalsRecorded}}</th></tr></thead>
        <tbody>{{#recordings}}<tr><td>{{version}}</td><td>{{time}}</td><td>{{actor}} ({{channel}})</td><td>{{count}}</td></tr>{{/recordings}}</tbody></table>
        {{^recordings}}<p>{{words.noRecordings}}</p>{{/recordings}}
        {{#next}}<p><a href="{{.}}" rel="next">{{words.next}}</a></p>{{/next}}
        {{/content}}{{/layout}}
        """

    static let secretariatHistory = """
        {{<layout}}{{$content}}
        <h1>{{title}}</h1>
        <ol class="history" reversed>{{#versions}}<li class="change" id="version-{{version}}"><span class="version">v{{version}}</span> {{time}} · {{actor}} ({{channel}}) · {{summary}}
        {{#records}}<div class="record-change"><strong>{{kind}} {{id}}</strong> <span class="subtle">{{action}}</span>
        <ul class="diff">{{#lines}}<li class="diff-{{kind}}">{{text}}</li>{{/lines}}</ul></div>{{/records}}
        {{#withdrawals}}<p class="subtle">{{withdrawals}} {{words.withdrawalsRecorded}}</p>{{/withdrawals}}
        {{#truncated}}<p class="subtle">{{words.truncated}}</p>{{/truncated}}</li>{{/versions}}</ol>
        {{^versions}}<p>{{words.noVersions}}</p>{{/versions}}
        {{#next}}<p><a href="{{.}}" rel="next">{{words.older}}</a></p>{{/next}}
        {{/content}}{{/layout}}
        """
}
