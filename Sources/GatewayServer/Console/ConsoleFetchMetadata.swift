import GatewayCore
import Hummingbird

/// Pages that spend the privacy budget (or, for auditors, seconds of the gateway's work: the
/// verification and the usage report) are opened from the console, not from other sites. A
/// client certificate goes with every request the browser makes to the gateway, so another
/// site's `<img src=…/console/variants?region=…>`, `<iframe>` or navigation would otherwise make
/// the researcher's browser answer (and charge, and feed the differencing check) queries the
/// researcher never asked, until their budget is gone. Browsers say where a request comes from
/// (`Sec-Fetch-Site`): `same-origin` (the console's own links and forms) and `none` (typed in,
/// a bookmark) are answered, as is a client that sends no fetch metadata (curl); `cross-site`
/// and `same-site` are refused before anything is decided or charged.
enum ConsoleFetchMetadata {
    /// Refuses a data page's request that another site's page made.
    static func refuseOtherSites(_ request: Request) throws(GatewayError) {
        guard let site = request.headers[ConsoleForms.secFetchSite], site != "same-origin", site != "none" else { return }
        throw GatewayError(.crossSiteRequest, "this page spends your privacy budget or the gateway's work and was loaded by another site (Sec-Fetch-Site: \(site.prefix(20))); open it from the console's own pages, or type its address")
    }
}
