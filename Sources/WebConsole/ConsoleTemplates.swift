/// The console's Mustache templates. Every value is written with `{{name}}`, which escapes
/// HTML (`<`, `>`, `&`, `"`, `'`); pages fill the layout's `content` block (template
/// inheritance), so no template ever writes unescaped text (`{{{…}}}` or `{{&…}}`).
enum ConsoleTemplates {
    /// Every page template by name: the shared ones, then each group's.
    static var all: [(ConsoleRenderer.Page.Template, String)] {
        [(.home, home), (.problem, problem)] + researcher + visiting + secretariat + audit
    }

    static let layout = """
        <!DOCTYPE html>
        <html lang="{{language}}">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} · GenomeGate</title><link rel="stylesheet" href="/console/static/console.css"></head>
        <body>
        <header><a class="brand" href="/console{{languageQuery}}">GenomeGate</a>
        <nav>{{#navigation}}<a href="{{href}}">{{label}}</a>{{/navigation}}</nav>
        <span class="who">{{words.signedInAs}} <strong>{{memberID}}</strong> ({{role}})</span>
        <span class="languages">{{#languages}}<a href="{{href}}" hreflang="{{code}}" lang="{{code}}">{{name}}</a>{{/languages}}</span></header>
        <main>{{$content}}{{/content}}</main>
        <footer>{{words.footer}}</footer>
        </body></html>
        """

    static let home = """
        {{<layout}}{{$content}}
        <h1>{{title}}</h1>
        <dl class="identity">
        <dt>{{words.member}}</dt><dd>{{memberID}}</dd>
        <dt>{{words.organization}}</dt><dd>{{organization}}</dd>
        <dt>{{words.country}}</dt><dd>{{country}}</dd>
        <dt>{{words.role}}</dt><dd>{{role}}</dd>
        <dt>{{words.certificate}}</dt><dd>{{certificate}}</dd>
        <dt>{{words.tls}}</dt><dd>{{tls}}</dd>
        <dt>{{words.policyVersion}}</dt><dd>{{policyVersion}}</dd>
        </dl>
        <h2>{{words.pages}}</h2>
        <ul class="pages">{{#pages}}<li><a href="{{href}}">{{label}}</a></li>{{/pages}}</ul>
        {{/content}}{{/layout}}
        """

    static let problem = """
        {{<layout}}{{$content}}
        <h1>{{title}}</h1>
        <p class="problem" data-code="{{code}}">{{message}}</p>
        {{/content}}{{/layout}}
        """

    static let stylesheet = """
        body { font-family: system-ui, sans-serif; margin: 0; color: #1b1f24; }
        header { display: flex; gap: 1.5em; align-items: baseline; padding: 0.8em 1.5em; background: #0b3d5c; color: #fff; }
        header a { color: #fff; } .brand { font-weight: 700; text-decoration: none; }
        nav a { margin-right: 1em; } .who { margin-left: auto; } .languages a { margin-left: 0.6em; }
        main { padding: 1em 1.5em; max-width: 72em; } footer { padding: 1em 1.5em; color: #555; font-size: 0.85em; }
        dl.identity { display: grid; grid-template-columns: max-content auto; gap: 0.3em 1.2em; }
        dt { font-weight: 600; } table { border-collapse: collapse; } th, td { border: 1px solid #ccd; padding: 0.35em 0.6em; vertical-align: top; text-align: left; }
        td ul { margin: 0; padding-left: 1.1em; } .status-suspended, .status-revoked, .status-expired { color: #a00; font-weight: 600; }
        .problem { color: #a00; } .note { color: #555; }
        """
}
