import GatewayCore
import HTTPTypes
import Hummingbird

/// The API's refusal of requests a browser says another site's page made. With the console,
/// members' browsers hold their client certificates, and a certificate goes with every request
/// the browser makes to the gateway, like a cookie: another site's page could post a body as
/// `text/plain` (a simple request, no preflight) to `/api/admin/...` through the secretariat's
/// browser, or load data queries through a researcher's. Programs (curl, scripts) send no fetch
/// metadata and are unchanged; a typed-in address (`Sec-Fetch-Site: none`) and the console's own
/// links (`same-origin`, no foreign `Origin`) are answered. Console pages guard themselves
/// (``ConsoleForms``, ``ConsoleFetchMetadata``), so that a link from elsewhere still opens them.
enum BrowserOriginGuard {
    static func refuseOtherSites(_ request: Request) throws(GatewayError) {
        guard !ConsoleRoutes.isConsolePath(request.uri.path) else { return }
        if let site = request.headers[ConsoleForms.secFetchSite], site == "cross-site" || site == "same-site" {
            throw GatewayError(.crossSiteRequest, "this request was made by another site's page (Sec-Fetch-Site: \(site)); the API answers programs and the console's own pages")
        }
        if let origin = request.headers[ConsoleForms.origin], origin != "https://" + (request.head.authority ?? "") {
            throw GatewayError(.crossSiteRequest, "this request was made by another origin (\(origin.prefix(80))); the API answers programs and the console's own pages")
        }
    }
}
