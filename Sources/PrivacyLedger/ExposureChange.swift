/// The exposure one request adds to one account's people: runs of consecutive people charged
/// the same amount (a release over a whole cohort charges everyone the same, so it is one run
/// whatever the cohort's size), and samples without a person (``Person/unmapped(sample:)``).
public struct ExposureChange: Sendable, Equatable {
    /// People `first ..< first + count` (mapped numbers, `first >= 0`, `count >= 1`), each
    /// charged `amount` (positive).
    public struct Run: Sendable, Equatable {
        /// The first person's number.
        public var first: Int
        /// How many consecutive people.
        public var count: Int
        /// What each is charged.
        public var amount: Double

        /// A run; see the properties.
        public init(first: Int, count: Int, amount: Double) {
            self.first = first
            self.count = count
            self.amount = amount
        }
    }

    /// Mapped people, in increasing order, never overlapping.
    public private(set) var runs: [Run] = []
    /// Samples without a person, in increasing sample order (one delta each).
    public private(set) var lone: [AccountPlan.Delta] = []

    /// No exposure.
    public init() {}

    /// The exposure of `deltas` (any order; a person named twice is charged the sum).
    public init(deltas: [AccountPlan.Delta]) {
        var mapped: [(person: Int, amount: Double)] = []
        var unmapped: [Int: Double] = [:]
        for delta in deltas where delta.amount != 0 {
            if delta.person.stored >= 0 {
                mapped.append((delta.person.stored, delta.amount))
            } else {
                unmapped[delta.person.stored, default: 0] += delta.amount
            }
        }
        mapped.sort { $0.person < $1.person }
        var merged: [(person: Int, amount: Double)] = []
        for entry in mapped {
            if let last = merged.last, last.person == entry.person {
                merged[merged.count - 1].amount += entry.amount
            } else {
                merged.append(entry)
            }
        }
        for entry in merged { append(person: entry.person, amount: entry.amount) }
        for person in unmapped.keys.sorted(by: >) { appendLone(Person(stored: person), amount: unmapped[person]!) }
    }

    /// Whether nobody is charged.
    public var isEmpty: Bool { runs.isEmpty && lone.isEmpty }

    /// The largest amount charged to one person (0 when empty).
    public var largest: Double {
        var largest = 0.0
        for run in runs { largest = Swift.max(largest, run.amount) }
        for delta in lone { largest = Swift.max(largest, delta.amount) }
        return largest
    }

    /// One delta per person: increasing person number, then lone samples by sample.
    public var deltas: [AccountPlan.Delta] {
        var deltas: [AccountPlan.Delta] = []
        for run in runs {
            for person in run.first..<(run.first + run.count) { deltas.append(AccountPlan.Delta(person: .mapped(person), amount: run.amount)) }
        }
        return deltas + lone
    }

    /// Charges `person` (greater than every person appended before) `amount`, extending the
    /// last run when it ends just before `person` with the same amount.
    mutating func append(person: Int, amount: Double) {
        if let last = runs.last, last.amount == amount, last.first + last.count == person {
            runs[runs.count - 1].count += 1
        } else {
            runs.append(Run(first: person, count: 1, amount: amount))
        }
    }

    /// Appends a run (after every run appended before), merging it with the last when they
    /// touch with the same amount.
    mutating func append(_ run: Run) {
        if let last = runs.last, last.amount == run.amount, last.first + last.count == run.first {
            runs[runs.count - 1].count += run.count
        } else {
            runs.append(run)
        }
    }

    /// Charges a sample without a person (after every lone sample appended before).
    mutating func appendLone(_ person: Person, amount: Double) {
        lone.append(AccountPlan.Delta(person: person, amount: amount))
    }
}
