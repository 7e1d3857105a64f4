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

    /// The live tokens, and each member's in the order issued (oldest first; a used token stays
    /// in its member's order until it falls out of it).
    private struct Store {
        var tokens: [String: Issued] = [:]
        var issueOrder: [String: [String]] = [:]
    }

    private let store = Mutex(Store())
    /// The most tokens kept at once (the oldest go first).
    static let capacity = 20_000
    /// The most one member holds (their oldest go first), so that no member's page loads can
    /// push out the tokens of another member's open forms.
    static let capacityPerMember = 2_000
    static let lifetime: TimeInterval = 3600
    static let secFetchSite = HTTPField.Name("Sec-Fetch-Site")!
    static let origin = HTTPField.Name("Origin")!

    /// A fresh token for `member` to perform `action` (a form's path).
    func token(member: String, action: String, now: Date = Date()) -> String {
        let token = FormToken.random()
        store.withLock { store in
            var order = store.issueOrder[member, default: []]
            if order.count >= Self.capacityPerMember {
                for oldest in order.prefix(order.count - Self.capacityPerMember + 1) { store.tokens[oldest] = nil }
                order.removeFirst(order.count - Self.capacityPerMember + 1)
            }
            if store.tokens.count >= Self.capacity {
                store.tokens = store.tokens.filter { $0.value.expires > now }
                if store.tokens.count >= Self.capacity, let oldest = store.tokens.min(by: { $0.value.expires < $1.value.expires })?.key {
                    store.tokens[oldest] = nil
                }
            }
            store.tokens[token] = Issued(member: member, action: action, expires: now.addingTimeInterval(Self.lifetime))
            order.append(token)
            store.issueOrder[member] = order
        }
        return token
    }

    /// Refuses a post from another site, or without a live token issued to `member` for
    /// `action`; the token is used up either way.
    func check(_ request: Request, token: String?, member: String, action: String, now: Date = Date()) throws(GatewayError) {
        try Self.refuseOtherSites(request)
        guard let token, redeem(token, member: member, action: action, now: now) else {
            throw GatewayError(.crossSiteRequest, "this form's token is missing, used or expired; load the page again and resubmit")
        }
    }

    /// Uses up `token`: true when it was live and issued to `member` for `action`.
    func redeem(_ token: String, member: String, action: String, now: Date = Date()) -> Bool {
        guard let entry = store.withLock({ $0.tokens.removeValue(forKey: token) }) else { return false }
        return entry.member == member && entry.action == action && entry.expires > now
    }

    /// Refuses a post the browser says another site made (its headers alone: run before the
    /// body is read).
    static func refuseOtherSites(_ request: Request) throws(GatewayError) {
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

