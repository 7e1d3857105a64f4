import Foundation
import GatewayCore
import Mustache

/// Renders console pages: the templates, compiled once, filled with a page's values inside
/// the layout (navigation by role, the language switch, the words of the language).
public struct ConsoleRenderer: Sendable {
    /// A page to render: which template, its title, and its values.
    public struct Page {
        /// A template's name. Each group of pages declares its own in
        /// `ConsoleTemplates+Researcher.swift`, `+Secretariat` and `+Audit`.
        public struct Template: RawRepresentable, Hashable, Sendable {
            public var rawValue: String
            public init(rawValue: String) { self.rawValue = rawValue }
            public static let home = Self(rawValue: "home")
            public static let problem = Self(rawValue: "problem")
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
    /// and the page's own parameters (which the language switch keeps) and the language.
    public struct Viewer: Sendable {
        public var memberID: String
        public var role: Role
        public var path: String
        public var language: ConsoleLanguage
        /// The page's parameters other than `lang`, as read (the switch links to the same page).
        public var parameters: [String: String]

        public init(memberID: String, role: Role, path: String, language: ConsoleLanguage, parameters: [String: String] = [:]) {
            self.memberID = memberID
            self.role = role
            self.path = path
            self.language = language
            self.parameters = parameters
        }

        /// This page in `language`: its path and parameters (percent-encoded, by name) and `lang`.
        public func link(in language: ConsoleLanguage) -> String {
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._~:")
            let query = parameters.sorted { $0.key < $1.key }.map { name, value in
                (name.addingPercentEncoding(withAllowedCharacters: allowed) ?? "") + "=" + (value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")
            }
            return path + "?" + (query + ["lang=\(language.rawValue)"]).joined(separator: "&")
        }
    }

    private let library: MustacheLibrary

    public init() throws(GatewayError) {
        var library = MustacheLibrary()
        do {
            try library.register(ConsoleTemplates.layout, named: "layout")
            for (template, source) in ConsoleTemplates.all { try library.register(source, named: template.rawValue) }
        } catch {
            throw GatewayError(.internalError, "a console template does not parse: \(error)")
        }
        self.library = library
    }

    /// The console's stylesheet.
    public static var stylesheet: String {
        ConsoleTemplates.stylesheet + ConsoleTemplates.researcherStylesheet + ConsoleTemplates.visitingStylesheet
            + ConsoleTemplates.secretariatStylesheet
            + ConsoleTemplates.auditStylesheet
    }

    /// The pages a role may open, as navigation links (`/console/...`).
    public static func pages(for role: Role, language: ConsoleLanguage) -> [(href: String, label: String)] {
        let words = ConsoleText.words(language), query = languageQuery(language)
        let pages = switch role {
        case .researcher: ConsoleTemplates.researcherNavigation + ConsoleTemplates.visitingNavigation
        case .secretariat: ConsoleTemplates.secretariatNavigation
        case .auditor: ConsoleTemplates.auditNavigation
        }
        return pages.map { ($0.path + query, words[$0.word] ?? $0.word) }
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
            ["href": viewer.link(in: $0), "code": $0.rawValue, "name": $0.name]
        }
        guard let html = library.render(values, withTemplate: page.template.rawValue) else {
            throw GatewayError(.internalError, "the console template \(page.template.rawValue) is missing")
        }
        return html
    }
}
