/// The headers every console response carries. A client certificate is ambient authority, like
/// a cookie, so pages are locked down: a strict Content-Security-Policy (no script at all, styles
/// and images from the gateway only, forms post only to it, never framed), no Referer leaving
/// for another site (nothing in a URL leaks; same-origin requests keep it, so that the browser
/// sends a real `Origin` with a form post), no sniffing, no caching of pages that show data.
public enum ConsoleHeaders {
    public static let contentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    /// Name and value of each header.
    public static let all: [(name: String, value: String)] = [
        ("Content-Security-Policy", contentSecurityPolicy),
        ("Referrer-Policy", "same-origin"),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Cache-Control", "no-store"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ]
}
