/// One account's disclosure state (an approval's or a member's): each person's exposure and,
/// per subject, the pools released about it. A plain value: ``plan(_:pools:personOfSample:settings:presenceCap:)``
/// decides a request without changing anything, ``apply(_:)`` records an accepted plan, and
/// replaying the stored plans in order rebuilds the identical state.
///
/// People are numbered by the caller (`personOfSample[sampleIndex]`, stable for the life of
/// the store). A sample at or beyond `personOfSample.count`, or mapped to a negative number,
/// counts as a person of its own (``Person/unmapped(sample:)``): never merged with anyone, so
/// it is refused and charged as strictly as possible.
public struct DisclosureAccount: Sendable, Equatable {
    /// Exposure of person `p` (`p >= 0`).
    public private(set) var exposure: [Double] = []
    /// Exposure of samples without a person, by sample index.
    public private(set) var unmappedExposure: [Int: Double] = [:]
    /// The largest exposure of anyone: the spent budget.
    public private(set) var spent: Double = 0
    /// Per subject, the pools released about it, in release order.
    public private(set) var subjects: [String: [ReleasedPool]] = [:]

    /// An account with nothing released.
    public init() {}

    /// The exposure of `person` (0 when never charged).
    public func exposure(of person: Person) -> Double {
        let number = person.stored
        return number >= 0 ? (number < exposure.count ? exposure[number] : 0) : unmappedExposure[-number - 1] ?? 0
    }

    /// Records an accepted plan (or a stored one, on replay): its releases, then its
    /// added exposure. Returns the spent budget after it.
    @discardableResult
    public mutating func apply(_ plan: AccountPlan) -> Double {
        for (subject, released) in plan.releases { record(released, subject: subject) }
        if let last = plan.exposure.runs.last, last.first + last.count > exposure.count {
            exposure.append(contentsOf: repeatElement(0, count: last.first + last.count - exposure.count))
        }
        var largest = spent
        exposure.withUnsafeMutableBufferPointer { dense in
            guard let base = dense.baseAddress else { return }
            for run in plan.exposure.runs {
                let start = base + run.first, amount = run.amount
                var runLargest = largest
                for offset in 0..<run.count {
                    let updated = start[offset] + amount
                    start[offset] = updated
                    if updated > runLargest { runLargest = updated }
                }
                largest = runLargest
            }
        }
        for delta in plan.exposure.lone {
            let sample = -delta.person.stored - 1
            let updated = (unmappedExposure[sample] ?? 0) + delta.amount
            unmappedExposure[sample] = updated
            largest = Swift.max(largest, updated)
        }
        spent = largest
        return largest
    }

    /// Adds `released` to `subject`'s pools: a pool released before is given the statistics it
    /// did not show yet (counts where only presence was shown, or another statistic), with the
    /// latest figures; a repeat adding nothing is ignored.
    private mutating func record(_ released: ReleasedPool, subject: String) {
        // Mutated in place (no copy of the subject's list).
        if let index = subjects[subject]?.firstIndex(where: { $0.pool == released.pool }) {
            let existing = subjects[subject]![index]
            guard released.statistics & ~existing.statistics != 0 else { return }
            var updated = released
            updated.statistics |= existing.statistics
            subjects[subject]![index] = updated
        } else {
            subjects[subject, default: []].append(released)
        }
    }
}

/// A person, for exposure: a number from the caller's mapping (`personOfSample[sample]`), or a
/// sample outside the mapping counted as its own person.
public struct Person: Sendable, Hashable, CustomStringConvertible {
    /// `n >= 0` for person number `n`; `-(sample + 1)` for a lone sample (also the stored form).
    public let stored: Int

    /// Person number `number` (`>= 0`).
    public static func mapped(_ number: Int) -> Person { Person(stored: number) }
    /// Sample `sample` outside the mapping, as its own person.
    public static func unmapped(sample: Int) -> Person { Person(stored: -sample - 1) }

    /// The person from its stored form.
    public init(stored: Int) { self.stored = stored }

    /// The person holding `sample`: its mapped number, or the sample itself when it is beyond
    /// the mapping or mapped to a negative number.
    @inline(__always)
    static func of(_ sample: Int, in personOfSample: UnsafeBufferPointer<Int>) -> Person {
        if sample < personOfSample.count {
            let number = personOfSample[sample]
            if number >= 0 { return Person(stored: number) }
        }
        return Person(stored: -sample - 1)
    }

    /// `person N` or `sample N`.
    public var description: String { stored >= 0 ? "person \(stored)" : "sample \(-(stored + 1))" }
}

/// What one request adds to one account: the releases to record and each person's added
/// exposure. Produced by ``DisclosureAccount/plan(_:pools:personOfSample:settings:presenceCap:)``.
public struct AccountPlan: Sendable, Equatable {
    /// One person's added exposure.
    public struct Delta: Sendable, Equatable {
        /// The person.
        public var person: Person
        /// The added exposure (positive).
        public var amount: Double

        /// A delta; see the properties.
        public init(person: Person, amount: Double) {
            self.person = person
            self.amount = amount
        }
    }
    /// The releases to record, per subject (new pools, and presence pools now given counts).
    public var releases: [(subject: String, released: ReleasedPool)] = []
    /// Added exposure per person.
    public var exposure = ExposureChange()
    /// The largest exposure added to one person.
    public var added: Double = 0
    /// The account's spent budget before the request.
    public var spentBefore: Double = 0
    /// The account's spent budget once the plan is applied (the ledger sets it then;
    /// ``DisclosureAccount/plan(_:pools:personOfSample:settings:presenceCap:)`` leaves it at
    /// `spentBefore`).
    public var spentAfter: Double = 0

    /// An empty plan.
    public init() {}

    /// Added exposure per person, one delta each (increasing person number, then lone samples
    /// by sample).
    public var deltas: [Delta] { exposure.deltas }

    /// Whether applying the plan changes anything.
    public var isEmpty: Bool { releases.isEmpty && exposure.isEmpty }

    /// Plans are equal when they record the same releases and exposure with the same figures.
    public static func == (left: AccountPlan, right: AccountPlan) -> Bool {
        left.exposure == right.exposure && left.added == right.added && left.spentBefore == right.spentBefore
            && left.spentAfter == right.spentAfter && left.releases.count == right.releases.count
            && zip(left.releases, right.releases).allSatisfy { $0.subject == $1.subject && $0.released == $1.released }
    }
}

/// Why a plan was refused.
public enum PlanRefusal: Error, Sendable, Equatable {
    /// A new cell of `subject` holds `people` people, fewer than `minimum`;
    /// `firstRelease` when nothing was released about the subject before.
    case differencing(subject: String, people: Int, minimum: Int, firstRelease: Bool)
}
