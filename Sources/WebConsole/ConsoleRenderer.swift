import GatewayCore
import Mustache

/// Renders console pages: the templates, compiled once, filled with a page's values inside
/// the layout (navigation by role, the language switch, the words of the language).
public struct ConsoleRenderer: Sendable {
    /// A page to render: which template, its title, and its values.
    public struct Page {
        public enum Template: String, Sendable, CaseIterable {
            case home, approvals, secretariatApprovals, auditLog, problem
        }

        public var template: Template
        public var title: String
        public var values: [String: Any]

        public init(template: Template, title: String, values: [String: Any] = [:]) {
            self.template = template
            self.title = title
            self.values = values
        }
    }

    /// Who the page is for: the member, their role (which decides the navigation), the path
    /// (for the language switch) and the language.
    public struct Viewer: Sendable {
        public var memberID: String
        public var role: Role
        public var path: String
        public var language: ConsoleLanguage

        public init(memberID: String, role: Role, path: String, language: ConsoleLanguage) {
            self.memberID = memberID
            self.role = role
            self.path = path
            self.language = language
        }
    }

    private let library: MustacheLibrary

    public init() throws(GatewayError) {
        var library = MustacheLibrary()
        do {
            try library.register(ConsoleTemplates.layout, named: "layout")
            try library.register(ConsoleTemplates.home, named: Page.Template.home.rawValue)
            try library.register(ConsoleTemplates.approvals, named: Page.Template.approvals.rawValue)
            try library.register(ConsoleTemplates.problem, named: Page.Template.problem.rawValue)
            try library.register(ConsoleTemplates.secretariatApprovals, named: Page.Template.secretariatApprovals.rawValue)
            try library.register(ConsoleTemplates.auditLog, named: Page.Template.auditLog.rawValue)
        } catch {
            throw GatewayError(.internalError, "a console template does not parse: \(error)")
        }
        self.library = library
    }

    /// The console's stylesheet.
    public static var stylesheet: String { ConsoleTemplates.stylesheet }

    /// The pages a role may open, as navigation links (`/console/...`).
    public static func pages(for role: Role, language: ConsoleLanguage) -> [(href: String, label: String)] {
        let words = ConsoleText.words(language), query = languageQuery(language)
        switch role {
        case .researcher: return [("/console/approvals" + query, words["approvals"] ?? "approvals")]
        case .secretariat: return [("/console/secretariat/approvals" + query, words["allApprovals"] ?? "approvals")]
        case .auditor: return [("/console/audit" + query, words["auditLog"] ?? "audit log")]
        }
    }

    /// `?lang=ja`, or nothing for English (the default).
    static func languageQuery(_ language: ConsoleLanguage) -> String { language == .english ? "" : "?lang=\(language.rawValue)" }

    /// The page as HTML.
    public func render(_ page: Page, for viewer: Viewer) throws(GatewayError) -> String {
        var values = page.values
        let words = ConsoleText.words(viewer.language)
        values["title"] = page.title
        values["words"] = words
        values["language"] = viewer.language.rawValue
        values["languageQuery"] = Self.languageQuery(viewer.language)
        values["memberID"] = viewer.memberID
        values["role"] = viewer.role.rawValue
        values["navigation"] = [["href": "/console" + Self.languageQuery(viewer.language), "label": words["home"] ?? "Home"]]
            + Self.pages(for: viewer.role, language: viewer.language).map { ["href": $0.href, "label": $0.label] }
        values["languages"] = ConsoleLanguage.allCases.filter { $0 != viewer.language }.map {
            ["href": viewer.path + "?lang=\($0.rawValue)", "code": $0.rawValue, "name": $0.name]
        }
        guard let html = library.render(values, withTemplate: page.template.rawValue) else {
            throw GatewayError(.internalError, "the console template \(page.template.rawValue) is missing")
        }
        return html
    }
}
