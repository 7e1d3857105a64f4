import GatewayCore
import Testing
@testable import WebConsole

/// The console's pages rendered alone: everything a member or the policy wrote is escaped, no
/// template writes unescaped text, the language is negotiated, and each role's navigation
/// holds only its own pages.
@Suite("Web console: rendering")
struct ConsoleRendererTests {
    static let viewer = ConsoleRenderer.Viewer(memberID: "researcher-jp", role: .researcher, path: "/console/approvals", language: .english)

    @Test("text from the policy is escaped: a title that is markup stays text")
    func escaping() throws {
        let renderer = try ConsoleRenderer()
        let hostile = #"<script>alert(1)</script>"' onmouseover="x"#
        let html = try renderer.render(ConsoleRenderer.Page(template: .approvals, title: "My approvals", values: [
            "hasApprovals": true,
            "approvals": [["id": "A-1", "title": hostile, "purpose": "p", "validity": "v", "status": "active", "allows": ["beacon-count"]]],
        ]), for: Self.viewer)
        #expect(!html.contains("<script>") && !html.contains(#"" onmouseover"#), "\(html)")
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39; onmouseover=&quot;x"))
        #expect(html.contains(#"<tr class="approval" id="approval-A-1">"#))
    }

    @Test("no template writes unescaped text")
    func noUnescapedText() {
        for (name, template) in [(ConsoleRenderer.Page.Template(rawValue: "layout"), ConsoleTemplates.layout)] + ConsoleTemplates.all {
            #expect(!template.contains("{{{") && !template.contains("{{&"), "\(name.rawValue)")
        }
    }

    @Test("every template has its own name, and every word key is defined once across the groups")
    func uniqueNames() {
        let names = ConsoleTemplates.all.map(\.0.rawValue)
        #expect(Set(names).count == names.count, "\(names)")
        for dictionaries in [[ConsoleText.english] + ConsoleText.groupsEnglish, [ConsoleText.japanese] + ConsoleText.groupsJapanese] {
            let keys = dictionaries.flatMap(\.keys)
            #expect(Set(keys).count == keys.count, "\(Dictionary(grouping: keys) { $0 }.filter { $0.value.count > 1 }.keys.sorted())")
        }
        #expect(Set(ConsoleText.allJapanese.keys).isSubset(of: ConsoleText.allEnglish.keys), "a Japanese word without its English")
    }

    @Test("the language: the switch first, then Accept-Language by quality, else English", arguments: [
        (nil, nil, ConsoleLanguage.english), ("ja", nil, .japanese), (nil, "ja-JP,ja;q=0.9,en;q=0.8", .japanese),
        (nil, "en-US,en;q=0.9,ja;q=0.8", .english), (nil, "fr, ja;q=0.5", .japanese), (nil, "fr", .english),
        ("en", "ja", .english), ("xx", "ja", .japanese), (nil, "ja;q=0, en;q=0.1", .english), (nil, "ja;q=nan", .japanese),
        (nil, String(repeating: "fr,", count: 10_000) + "ja", .english),
    ] as [(String?, String?, ConsoleLanguage)])
    func language(override: String?, acceptLanguage: String?, expected: ConsoleLanguage) {
        #expect(ConsoleLanguage.negotiate(acceptLanguage: acceptLanguage, override: override) == expected)
    }

    @Test("Japanese pages: the words and the lang attribute change, the switch points back to English")
    func japanese() throws {
        var viewer = Self.viewer
        viewer.language = .japanese
        let html = try ConsoleRenderer().render(ConsoleRenderer.Page(template: .approvals, title: "承認一覧", values: ["approvals": [[String: Any]]()]), for: viewer)
        #expect(html.contains(#"<html lang="ja">"#) && html.contains("承認はありません。"))
        #expect(html.contains(#"href="/console/approvals?lang=en""#))
    }

    @Test("the language switch links to the same page with its own parameters, encoded, and the other language")
    func switchKeepsParameters() throws {
        var viewer = Self.viewer
        viewer.path = "/console/variants"
        viewer.parameters = ["region": "chr17:7660000-7690000", "cancer": "NCIT:C4872", "tissue": "a&b=\"<x>\""]
        #expect(viewer.link(in: .japanese) == "/console/variants?cancer=NCIT:C4872&region=chr17:7660000-7690000&tissue=a%26b%3D%22%3Cx%3E%22&lang=ja")
        let html = try ConsoleRenderer().render(ConsoleRenderer.Page(template: .approvals, title: "x", values: ["approvals": [[String: Any]]()]), for: viewer)
        #expect(html.contains(#"href="/console/variants?cancer=NCIT:C4872&amp;region=chr17:7660000-7690000&amp;tissue=a%26b%3D%22%3Cx%3E%22&amp;lang=ja""#), "\(html)")
    }

    @Test("each role's navigation holds only its own pages")
    func navigation() {
        let researcher = ConsoleRenderer.pages(for: .researcher, language: .english).map(\.href)
        #expect(researcher.first == "/console/approvals")
        #expect(researcher.allSatisfy { !$0.hasPrefix("/console/secretariat") && !$0.hasPrefix("/console/audit") }, "\(researcher)")
        let auditor = ConsoleRenderer.pages(for: .auditor, language: .english).map(\.href)
        #expect(auditor.first == "/console/audit" && auditor.allSatisfy { $0.hasPrefix("/console/audit") }, "\(auditor)")
        let secretariat = ConsoleRenderer.pages(for: .secretariat, language: .english).map(\.href)
        #expect(secretariat.first == "/console/secretariat/approvals" && secretariat.allSatisfy { $0.hasPrefix("/console/secretariat/") }, "\(secretariat)")
    }

    @Test("the headers: no script, nothing framed, no Referer to another site")
    func headers() {
        let headers = Dictionary(uniqueKeysWithValues: ConsoleHeaders.all.map { ($0.name, $0.value) })
        #expect(headers["Content-Security-Policy"]?.contains("default-src 'none'") == true)
        #expect(headers["Content-Security-Policy"]?.contains("script-src") == false, "no script source at all")
        #expect(headers["Referrer-Policy"] == "same-origin" && headers["X-Frame-Options"] == "DENY")
    }
}
