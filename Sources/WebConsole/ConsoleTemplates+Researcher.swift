/// The researcher's pages: approvals, search, variants, the region viewer, the cohort, visiting analyses.
extension ConsoleRenderer.Page.Template {
    public static let approvals = Self(rawValue: "approvals")
    public static let search = Self(rawValue: "search")
    public static let variants = Self(rawValue: "variants")
    public static let variant = Self(rawValue: "variant")
    public static let region = Self(rawValue: "region")
    public static let cohort = Self(rawValue: "cohort")
}

extension ConsoleTemplates {
    /// The group's pages in the navigation, in order (path, word key).
    static let researcherNavigation: [(path: String, word: String)] = [
        ("/console/approvals", "approvals"),
        ("/console/search", "dataSearch"),
        ("/console/cohort", "dataCohort"),
    ]

    /// The group's templates by name.
    static var researcher: [(ConsoleRenderer.Page.Template, String)] {
        [(.approvals, approvals), (.search, search), (.variants, variants), (.variant, variant), (.region, region), (.cohort, cohort)]
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

    /// The filter fields every data page shares: cancer type, tissue, QC, and the approval when
    /// the member holds several; `{{#keep}}` carries the page's own fields (region, variant, lang).
    static let filterFields = """
        <label>{{words.dataCancerType}} <select name="cancer">{{#filters.cancer}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/filters.cancer}}</select></label>
        <label>{{words.dataTissue}} <select name="tissue">{{#filters.tissue}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/filters.tissue}}</select></label>
        <label>{{words.dataQc}} <select name="qc">{{#filters.qc}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/filters.qc}}</select></label>
        {{#filters.hasApprovals}}<label>{{words.approval}} <select name="approval">{{#filters.approvals}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/filters.approvals}}</select></label>{{/filters.hasApprovals}}
        {{#filters.keep}}<input type="hidden" name="{{name}}" value="{{value}}">{{/filters.keep}}
        """

    static let search = """
        {{<layout}}{{$content}}
        <h1>{{title}}</h1>
        <form method="get" action="/console/search" class="search">
        <p><label>{{words.dataSearchFor}} <input name="q" value="{{query}}" size="40" maxlength="200" required placeholder="chr17:7660000-7690000 · TP53 · chr17:7675088:C>T"></label></p>
        <p class="filters">\(filterFields)</p>
        <p><button type="submit">{{words.dataSearch}}</button></p></form>
        <p class="note">{{words.dataSearchHelp}}</p>
        <h2>{{words.dataGenes}}</h2>
        <p class="genes">{{#genes}}<a href="{{href}}">{{symbol}}</a> {{/genes}}</p>
        <p class="note">{{words.dataGenesSource}}</p>
        {{/content}}{{/layout}}
        """

    /// The group's styles, appended to the shared stylesheet.
    static let researcherStylesheet = """
        form.search input[name=q] { font-family: ui-monospace, monospace; } .filters label { margin-right: 1em; }
        p.genes a { display: inline-block; margin: 0 0.5em 0.3em 0; font-family: ui-monospace, monospace; }
        table.variants td, table.strata td, table.qc td { font-variant-numeric: tabular-nums; } td.suppressed, .suppressed-text { color: #8a5a00; }
        figure.chart { margin: 1em 0; } figure.chart svg { max-width: 100%; height: auto; border: 1px solid #dde; background: #fcfcfe; }
        nav.region-nav a { margin-right: 1.2em; } nav.region-nav span.disabled { margin-right: 1.2em; color: #999; }
        dl.totals { display: grid; grid-template-columns: max-content auto; gap: 0.2em 1.2em; }
        .legend span { margin-right: 1.2em; } .legend .common { color: #c53030; } .legend .low { color: #dd6b20; } .legend .rare { color: #2b6cb0; } .legend .suppressed { color: #777; }
        """
}
