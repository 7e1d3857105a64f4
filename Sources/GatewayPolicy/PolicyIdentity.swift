import Foundation

/// Which policy version a snapshot is: its number and the random revision written with it.
///
/// The number alone is not an identity: restoring `policy.sqlite` from a backup takes the
/// numbers back, and the next change reuses a number already served with other content. The
/// revision (128 random bits, hex) is drawn for every change and stored with it, so a
/// restored backup brings back its own identities, and a change made after a restore gets
/// one that no version ever had. Caches of anything derived from a policy are keyed by this.
public struct PolicyIdentity: Sendable, Hashable, CustomStringConvertible {
    /// The version number: 0 for an empty store, then one more per committed change.
    public var version: Int
    /// 32 lowercase hex digits; empty for version 0 (the empty policy, the same everywhere).
    public var revision: String

    public init(version: Int, revision: String) {
        self.version = version
        self.revision = revision
    }

    /// The empty policy of a store no change was ever committed to.
    public static let empty = PolicyIdentity(version: 0, revision: "")

    /// `12 (3f9a0c1b2d4e)`: the number and the start of the revision.
    public var description: String {
        revision.isEmpty ? String(version) : "\(version) (\(revision.prefix(12)))"
    }
}
