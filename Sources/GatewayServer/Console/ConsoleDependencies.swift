/// What the console's pages call: the same services as the API's routes, so a page is decided,
/// charged and audited as the API call it shows.
struct ConsoleDependencies: Sendable {
    /// The admin API's handlers (policy changes, withdrawals), with the policy, the audit log
    /// and the variant query service (`admin.queries`, with its disclosure accounting).
    let admin: Admin
    /// The visiting analysis environment (jobs, results).
    let visiting: VisitingEnvironment
}
