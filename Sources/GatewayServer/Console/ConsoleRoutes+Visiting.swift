import Foundation
import GatewayCore
import Hummingbird
import WebConsole

extension ConsoleRoutes {
    /// The researcher's visiting-analysis pages (README "Console"): the catalogue, a job's
    /// submission form, its status and its released result with the airlock's notes, through the
    /// same code paths as `/api/visiting/jobs`.
    static func registerVisiting(on router: Router<GatewayRequestContext>, dependencies: ConsoleDependencies, forms: ConsoleForms,
                                 compiled: Result<ConsoleRenderer, GatewayError>) {
    }
}
