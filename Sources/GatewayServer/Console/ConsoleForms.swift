import Foundation
import GatewayCore
import HTTPTypes
import Hummingbird
import Synchronization

/// Console forms against cross-site requests. A client certificate is ambient authority, like a
/// cookie: a page on another site could make the member's browser post a form here. So every
/// state-changing form carries a one-time token issued with the page, for that member and that
/// action only, valid for an hour; and a post that says it comes from another site
/// (`Sec-Fetch-Site`, or an `Origin` that is not this gateway) is refused before the token is
/// looked at. Tokens live in memory: a restart asks the member to load the page again.
final class ConsoleForms: Sendable {
    private struct Issued {
        var member: String
        var action: String
        var expires: Date
    }

    private let issued = Mutex<[String: Issued]>([:])
    /// The most tokens kept at once (the oldest go first).
    static let capacity = 20_000
    static let lifetime: TimeInterval = 3600
    static let secFetchSite = HTTPField.Name("Sec-Fetch-Site")!
    static let origin = HTTPField.Name("Origin")!

    /// A fresh token for `member` to perform `action` (a form's path).
    func token(member: String, action: String, now: Date = Date()) -> String {
        let token = FormToken.random()
        issued.withLock { tokens in
            if tokens.count >= Self.capacity {
                tokens = tokens.filter { $0.value.expires > now }
                if tokens.count >= Self.capacity, let oldest = tokens.min(by: { $0.value.expires < $1.value.expires })?.key {
                    tokens[oldest] = nil
                }
            }
            tokens[token] = Issued(member: member, action: action, expires: now.addingTimeInterval(Self.lifetime))
        }
        return token
    }

    /// Refuses a post from another site, or without a live token issued to `member` for
    /// `action`; the token is used up either way.
    func check(_ request: Request, token: String?, member: String, action: String, now: Date = Date()) throws(GatewayError) {
        if let site = request.headers[Self.secFetchSite], site != "same-origin" {
            throw GatewayError(.crossSiteRequest, "this form was posted from another site (Sec-Fetch-Site: \(site.prefix(20))); post it from the console's own page")
        }
        if let origin = request.headers[Self.origin] {
            let host = request.head.authority ?? ""
            // "null" is what a browser sends from an opaque origin (a sandboxed or about:blank
            // page) and under a no-referrer policy: accepted only when the browser itself says the
            // post is same-origin.
            let vouched = origin == "null" && request.headers[Self.secFetchSite] == "same-origin"
            guard origin == "https://" + host || vouched else {
                throw GatewayError(.crossSiteRequest, "this form was posted from another origin (\(origin.prefix(80))); post it from the console's own page")
            }
        }
        let entry = token.flatMap { token in issued.withLock { $0.removeValue(forKey: token) } }
        guard let entry, entry.member == member, entry.action == action, entry.expires > now else {
            throw GatewayError(.crossSiteRequest, "this form's token is missing, used or expired; load the page again and resubmit")
        }
    }
}

/// 128 random bits as 32 hex digits.
enum FormToken {
    static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<2).map { _ in
            let hex = String(generator.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }
}

