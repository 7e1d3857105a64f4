/// What one request was charged, per account.
public struct LedgerCharge: Sendable, Hashable {
    /// One account's part of a charge.
    public struct Account: Sendable, Hashable {
        /// The account.
        public var key: LedgerAccountKey
        /// The largest exposure this request added to any one person.
        public var added: Double
        /// The account's spent budget (largest exposure of any person) before the request.
        public var spentBefore: Double
        /// The account's spent budget after the request.
        public var spentAfter: Double
        /// The budget the request was checked against.
        public var budget: Double

        /// What remains of the budget after the request (never negative).
        public var remaining: Double { max(0, budget - spentAfter) }

        /// One account's charge; see the properties.
        public init(key: LedgerAccountKey, added: Double, spentBefore: Double, spentAfter: Double, budget: Double) {
            self.key = key
            self.added = added
            self.spentBefore = spentBefore
            self.spentAfter = spentAfter
            self.budget = budget
        }
    }

    /// Each account's part, in the order the accounts were given.
    public var accounts: [Account]

    /// A charge of `accounts`.
    public init(accounts: [Account]) { self.accounts = accounts }

    /// Whether the request cost nothing (everything it released was released before, or
    /// the ledger is off).
    public var isFree: Bool { accounts.allSatisfy { $0.added == 0 } }
}
