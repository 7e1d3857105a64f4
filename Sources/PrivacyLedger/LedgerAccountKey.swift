/// The account a release is charged to: an approval or a member.
public struct LedgerAccountKey: Sendable, Hashable, CustomStringConvertible {
    /// `approval:<id>` or `member:<id>`, as stored.
    public let rawValue: String

    /// The account of approval `id`.
    public static func approval(_ id: String) -> LedgerAccountKey { LedgerAccountKey(rawValue: "approval:" + id) }
    /// The account of member `id`.
    public static func member(_ id: String) -> LedgerAccountKey { LedgerAccountKey(rawValue: "member:" + id) }

    /// A key from its stored form; nil unless it starts with `approval:` or `member:`.
    public init?(stored: String) {
        guard stored.hasPrefix("approval:") || stored.hasPrefix("member:") else { return nil }
        rawValue = stored
    }

    private init(rawValue: String) { self.rawValue = rawValue }

    /// Whether this is an approval's account.
    public var isApproval: Bool { rawValue.hasPrefix("approval:") }

    /// The approval or member id after the prefix.
    public var id: Substring { rawValue[rawValue.index(after: rawValue.firstIndex(of: ":")!)...] }

    /// Words for messages: `approval ID` or `member ID`.
    public var description: String { (isApproval ? "approval " : "member ") + id }
}
