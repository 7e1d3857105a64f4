/// The researcher's visiting-analysis pages: the catalogue, submitting a job, its status, its
/// released result with the airlock's notes.
extension ConsoleTemplates {
    /// The group's pages in the researcher's navigation, after the researcher's own.
    static let visitingNavigation: [(path: String, word: String)] = []

    /// The group's templates by name.
    static var visiting: [(ConsoleRenderer.Page.Template, String)] { [] }

    /// The group's styles, appended to the shared stylesheet.
    static let visitingStylesheet = ""
}
