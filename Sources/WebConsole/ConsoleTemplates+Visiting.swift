/// The researcher's visiting-analysis pages: the catalogue, submitting a job, its status, its
/// released result with the airlock's notes.
extension ConsoleRenderer.Page.Template {
    public static let visitingCatalogue = Self(rawValue: "visitingCatalogue")
    public static let visitingSubmit = Self(rawValue: "visitingSubmit")
    public static let visitingJob = Self(rawValue: "visitingJob")
    public static let visitingResult = Self(rawValue: "visitingResult")
    public static let visitingRerun = Self(rawValue: "visitingRerun")
}

extension ConsoleTemplates {
    /// The group's pages in the researcher's navigation, after the researcher's own.
    static let visitingNavigation: [(path: String, word: String)] = [
        ("/console/analyses", "visitingAnalyses"),
    ]

    /// The group's templates by name.
    static var visiting: [(ConsoleRenderer.Page.Template, String)] {
        [(.visitingCatalogue, visitingCatalogue), (.visitingSubmit, visitingSubmit), (.visitingJob, visitingJob),
         (.visitingResult, visitingResult), (.visitingRerun, visitingRerun)]
    }

    /// The member's jobs, newest first (on the catalogue page).
    static let visitingJobList = """
        <table class="jobs"><thead><tr><th>{{words.visitingAnalysis}}</th><th>{{words.visitingState}}</th><th>{{words.visitingProgress}}</th><th>{{words.visitingSubmitted}}</th><th>{{words.visitingLinks}}</th></tr></thead>
        <tbody>{{#jobs}}<tr class="job state-{{jobState}}" id="job-{{jobID}}"><td>{{jobAnalysis}}</td><td class="state">{{jobState}}</td><td>{{jobProgress}}</td><td>{{jobSubmitted}}</td>
        <td><a href="{{jobHref}}">{{words.visitingJob}}</a>{{#jobResultHref}} · <a class="result-link" href="{{.}}">{{words.visitingResult}}</a>{{/jobResultHref}}</td></tr>{{/jobs}}</tbody></table>
        """

    static let visitingCatalogue = """
        {{<layout}}{{$content}}
        <h1>{{title}}</h1>
        <h2>{{words.visitingMyJobs}}</h2>
        {{#hasJobs}}\(visitingJobList){{/hasJobs}}
        {{^hasJobs}}<p class="note">{{words.visitingNoJobs}}</p>{{/hasJobs}}
        <h2>{{words.visitingCatalogue}}</h2>
        {{#analyses}}<section class="analysis" id="analysis-{{analysisName}}">
        <h3><code>{{analysisName}}</code></h3>
        <p>{{analysisSummary}}</p>
        <dl class="parameters"><dt>{{words.visitingParameters}}</dt><dd><dl>{{#analysisParameters}}<dt><code>{{parameterName}}</code></dt><dd>{{parameterText}}</dd>{{/analysisParameters}}</dl></dd>
        <dt>{{words.visitingOutput}}</dt><dd>{{analysisOutput}}</dd>
        <dt>{{words.visitingAirlockRules}}</dt><dd><ul>{{#analysisAirlock}}<li>{{.}}</li>{{/analysisAirlock}}</ul></dd></dl>
        <p><a class="new-job" href="{{analysisHref}}">{{words.visitingNewJob}}: {{analysisName}}</a></p>
        </section>{{/analyses}}
        {{/content}}{{/layout}}
        """

    static let visitingSubmit = """
        {{<layout}}{{$content}}
        <h1>{{title}}</h1>
        <p>{{analysisSummary}}</p>
        {{#problem}}<p class="problem" data-code="{{problemCode}}" role="alert">{{problemMessage}}</p>{{/problem}}
        {{#noApproval}}<p class="problem">{{words.visitingNoApproval}} <code>{{.}}</code></p>{{/noApproval}}
        {{#form}}<form method="post" action="{{formAction}}" class="visiting-submit">
        <input type="hidden" name="token" value="{{formToken}}"><input type="hidden" name="lang" value="{{formLanguage}}">
        <p><label>{{words.visitingApproval}} <select name="approval">{{#approvalOptions}}<option value="{{optionValue}}"{{#optionSelected}} selected{{/optionSelected}}>{{optionLabel}}</option>{{/approvalOptions}}</select></label>
        <span class="hint">{{words.visitingApprovalHint}}</span></p>
        {{#fields}}<p class="field{{#fieldInvalid}} invalid{{/fieldInvalid}}"><label>{{fieldLabel}}
        {{#fieldTextarea}}<textarea name="{{fieldName}}" rows="4" cols="48" maxlength="{{fieldMaxLength}}"{{#fieldRequired}} required{{/fieldRequired}} placeholder="{{fieldPlaceholder}}">{{fieldValue}}</textarea>{{/fieldTextarea}}
        {{#fieldSelect}}<select name="{{fieldName}}">{{#fieldOptions}}<option value="{{optionValue}}"{{#optionSelected}} selected{{/optionSelected}}>{{optionLabel}}</option>{{/fieldOptions}}</select>{{/fieldSelect}}
        {{#fieldInput}}<input name="{{fieldName}}" type="{{fieldType}}" value="{{fieldValue}}" maxlength="{{fieldMaxLength}}"{{#fieldMin}} min="{{.}}"{{/fieldMin}}{{#fieldMax}} max="{{.}}"{{/fieldMax}}{{#fieldStep}} step="{{.}}"{{/fieldStep}}{{#fieldRequired}} required{{/fieldRequired}} placeholder="{{fieldPlaceholder}}">{{/fieldInput}}
        </label> {{#fieldHint}}<span class="hint"><code>{{fieldParameter}}</code>: {{.}}</span>{{/fieldHint}}</p>{{/fields}}
        <p><button type="submit">{{words.visitingSubmit}}</button></p>
        </form>{{/form}}
        <p><a href="/console/analyses{{languageQuery}}">{{words.visitingCatalogue}}</a></p>
        {{/content}}{{/layout}}
        """

    static let visitingJob = """
        {{<layout}}{{$content}}
        {{#refresh}}<meta http-equiv="refresh" content="2">{{/refresh}}
        <h1>{{title}}</h1>
        <dl class="identity job state-{{jobState}}" id="job">
        <dt>{{words.visitingJob}}</dt><dd><code>{{jobID}}</code></dd>
        <dt>{{words.visitingAnalysis}}</dt><dd>{{jobAnalysis}}</dd>
        <dt>{{words.visitingApproval}}</dt><dd>{{jobApproval}}</dd>
        <dt>{{words.visitingParameters}}</dt><dd><code class="parameters">{{jobParameters}}</code></dd>
        <dt>{{words.visitingState}}</dt><dd class="state">{{jobState}}</dd>
        <dt>{{words.visitingProgress}}</dt><dd><progress max="100" value="{{jobPercent}}">{{jobPercent}} %</progress> {{jobPercent}} %</dd>
        <dt>{{words.visitingAttempts}}</dt><dd>{{jobAttempts}}</dd>
        {{#jobReason}}<dt>{{words.visitingWhy}}</dt><dd class="reason">{{.}}</dd>{{/jobReason}}
        <dt>{{words.visitingSubmitted}}</dt><dd>{{jobSubmitted}}</dd>
        {{#jobStarted}}<dt>{{words.visitingStarted}}</dt><dd>{{.}}</dd>{{/jobStarted}}
        {{#jobFinished}}<dt>{{words.visitingFinished}}</dt><dd>{{.}}</dd>{{/jobFinished}}
        </dl>
        {{#refresh}}<p class="note refreshing">{{words.visitingRefreshing}}</p>{{/refresh}}
        {{#jobResultHref}}<p><a class="result-link button" href="{{.}}">{{words.visitingResult}}</a></p>{{/jobResultHref}}
        {{#cancel}}<form method="post" action="{{cancelAction}}" class="cancel"><input type="hidden" name="token" value="{{cancelToken}}"><input type="hidden" name="lang" value="{{cancelLanguage}}"><button type="submit">{{words.visitingCancel}}</button></form>{{/cancel}}
        <p><a href="/console/analyses{{languageQuery}}">{{words.visitingAnalyses}}</a></p>
        {{/content}}{{/layout}}
        """

    /// A result: the envelope, the outputs as tables (nested 2x2 or strata tables, SVG
    /// histograms), each output's airlock findings beside it, and every finding again below.
    static let visitingResult = """
        {{<layout}}{{$content}}
        <h1>{{title}}</h1>
        <dl class="identity envelope">
        <dt>{{words.visitingJob}}</dt><dd><a href="{{jobHref}}"><code>{{jobID}}</code></a></dd>
        <dt>{{words.visitingParameters}}</dt><dd><code class="parameters">{{jobParameters}}</code></dd>
        <dt>{{words.visitingComputedAt}}</dt><dd>{{computedAt}}</dd>
        <dt>{{words.visitingContributing}}</dt><dd class="contributing">{{contributingPeople}}</dd>
        {{#facts}}<dt>{{factLabel}}</dt><dd>{{factValue}}</dd>{{/facts}}
        <dt>{{words.visitingAirlock}}</dt><dd class="airlock-summary">{{words.visitingOutputs}} {{airlockOutputs}} · {{words.visitingReleased}} {{airlockReleased}} · {{words.visitingMasked}} {{airlockMasked}} — {{airlockSummary}}</dd>
        </dl>
        {{#note}}<p class="note">{{.}}</p>{{/note}}
        {{#hasRows}}<table class="result"><thead><tr>{{#headers}}<th>{{.}}</th>{{/headers}}<th>{{words.visitingAirlock}}</th></tr></thead>
        <tbody>{{#rows}}<tr class="output{{#rowMasked}} masked{{/rowMasked}}" id="{{rowID}}">{{#cells}}<td class="{{cellClass}}"{{#cellRaw}} data-value="{{.}}"{{/cellRaw}}>{{cellText}}\
        {{#cellTable}}<table class="nested"><thead><tr>{{#nestedHead}}<th>{{.}}</th>{{/nestedHead}}</tr></thead><tbody>{{#nestedBody}}<tr>{{#nestedRow}}<td>{{.}}</td>{{/nestedRow}}</tr>{{/nestedBody}}</tbody></table>{{/cellTable}}\
        {{#cellChart}}<svg class="histogram" role="img" width="{{chartWidth}}" height="{{chartHeight}}" viewBox="0 0 {{chartWidth}} {{chartHeight}}" xmlns="http://www.w3.org/2000/svg">\
        <line x1="0" y1="{{chartBaseline}}" x2="{{chartWidth}}" y2="{{chartBaseline}}" stroke="#555" stroke-width="1"/>\
        {{#chartBars}}<g class="{{barClass}}"><title>{{barLabel}}: {{barText}}</title><rect x="{{barX}}" y="{{barY}}" width="{{barWidth}}" height="{{barHeight}}"/>\
        <text x="{{barCentre}}" y="{{barCountY}}" text-anchor="middle" font-size="9">{{barText}}</text><text x="{{barCentre}}" y="{{barLabelY}}" text-anchor="middle" font-size="7">{{barLabel}}</text></g>{{/chartBars}}</svg>{{/cellChart}}</td>{{/cells}}\
        <td class="airlock">{{^rowFindings}}<span class="passed">{{words.visitingPassed}}</span>{{/rowFindings}}<ul>{{#rowFindings}}<li class="finding rule-{{findingRule}}"><strong>{{findingRule}}</strong> {{findingOutcome}}: {{findingCells}} — {{findingReason}}</li>{{/rowFindings}}</ul></td></tr>{{/rows}}</tbody></table>{{/hasRows}}
        {{^hasRows}}<p class="note">{{words.visitingNothingListed}}</p>{{/hasRows}}
        {{#truncated}}<p class="note">{{words.visitingShowing}} {{.}}</p>{{/truncated}}
        <section class="airlock-notes" id="airlock-notes"><h2>{{words.visitingAirlockNotes}}</h2>
        {{^notes}}<p>{{words.visitingNoNotes}}</p>{{/notes}}
        {{#hasNotes}}<table class="notes"><thead><tr><th>{{words.visitingOutput}}</th><th>{{words.visitingRule}}</th><th>{{words.visitingCells}}</th><th>{{words.visitingOutcome}}</th><th>{{words.visitingWhy}}</th></tr></thead>
        <tbody>{{#notes}}<tr class="note-row rule-{{noteRule}}"><td>{{noteOutput}}</td><td>{{noteRule}}</td><td>{{noteCells}}</td><td>{{noteOutcome}}</td><td>{{noteReason}}</td></tr>{{/notes}}</tbody></table>{{/hasNotes}}
        </section>
        {{/content}}{{/layout}}
        """

    static let visitingRerun = """
        {{<layout}}{{$content}}
        <meta http-equiv="refresh" content="2; url={{jobHref}}">
        <h1>{{title}}</h1>
        <p class="rerun" data-state="{{jobState}}">{{words.visitingRerunText}}</p>
        {{#jobReason}}<p class="reason">{{.}}</p>{{/jobReason}}
        <p><a href="{{jobHref}}">{{words.visitingJob}} <code>{{jobID}}</code></a></p>
        {{/content}}{{/layout}}
        """

    /// The group's styles, appended to the shared stylesheet.
    static let visitingStylesheet = """
        section.analysis { border-top: 1px solid #ccd; margin-top: 1em; } section.analysis h3 { margin-bottom: 0.2em; }
        dl.parameters > dt { margin-top: 0.5em; } dl.parameters dl dt { font-weight: 400; } dl.parameters dl dd { margin: 0 0 0.3em 1.2em; color: #333; }
        form.visiting-submit p.field label { display: inline-block; min-width: 24em; } .hint { color: #555; font-size: 0.85em; }
        p.field.invalid input, p.field.invalid textarea, p.field.invalid select { border: 2px solid #a00; background: #fff3f3; }
        a.button { display: inline-block; padding: 0.4em 1em; background: #0b3d5c; color: #fff; text-decoration: none; border-radius: 3px; }
        tr.job.state-failed .state, tr.job.state-cancelled .state, dl.state-failed .state { color: #a00; } dl.state-succeeded .state, tr.job.state-succeeded .state { color: #060; font-weight: 600; }
        code.parameters { white-space: pre-wrap; word-break: break-all; }
        table.result td { font-variant-numeric: tabular-nums; } table.nested th, table.nested td { padding: 0.15em 0.4em; font-size: 0.9em; }
        tr.output.masked > td { background: #fff6e6; } td.airlock { min-width: 16em; font-size: 0.9em; } td.airlock ul { margin: 0; padding-left: 1em; }
        li.finding strong, tr.note-row td:nth-child(2) { color: #8a4b00; } span.passed { color: #060; }
        section.airlock-notes { margin-top: 1.5em; border: 2px solid #e0a040; padding: 0.5em 1em; background: #fffaf0; }
        svg.histogram g.bar rect { fill: #2a6f97; } svg.histogram g.bar.hidden rect { fill: #aaa; } svg.histogram text { fill: #1b1f24; }
        """
}
