import Foundation
import Synchronization

/// What a console post did, kept for the page it redirects to (post/redirect/get) without
/// putting it in the URL: the redirect names a random one-time key, and only the member who
/// posted can read it, within ten minutes (a reload shows it again). Bounded: the oldest go first.
final class ConsoleOutcomes<Value: Sendable>: Sendable {
    private struct Kept: Sendable {
        var member: String
        var value: Value
        var expires: Date
    }

    private let kept = Mutex<[String: Kept]>([:])
    static var capacity: Int { 1000 }
    static var lifetime: TimeInterval { 600 }

    /// Keeps `value` for `member`; the key to read it with.
    func keep(_ value: Value, for member: String, now: Date = Date()) -> String {
        let key = FormToken.random()
        kept.withLock { kept in
            if kept.count >= Self.capacity {
                kept = kept.filter { $0.value.expires > now }
                if kept.count >= Self.capacity, let oldest = kept.min(by: { $0.value.expires < $1.value.expires })?.key { kept[oldest] = nil }
            }
            kept[key] = Kept(member: member, value: value, expires: now.addingTimeInterval(Self.lifetime))
        }
        return key
    }

    /// The value kept under `key` for `member`, or nil (another member's, expired, or never kept).
    func value(_ key: String, for member: String, now: Date = Date()) -> Value? {
        kept.withLock { kept in
            guard let entry = kept[key], entry.member == member, entry.expires > now else { return nil }
            return entry.value
        }
    }
}
