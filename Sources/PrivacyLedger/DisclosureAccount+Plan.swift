extension DisclosureAccount {
    /// Decides `request` for this account without changing it (the partition rule of
    /// README "Privacy"): per subject, pools already released cost nothing; otherwise the
    /// samples are partitioned into cells by their in/out pattern over every pool released
    /// about the subject (old and new). A new cell holding 1 to `minimumDifferencePeople - 1`
    /// people refuses the whole request. Each new cell (not identical to an old one), and each
    /// cell newly given counts where only presence was known or a statistic
    /// (``ReleasedStatistic``) it was not given before, charges every sample in it
    /// `MembershipSignal.charge(f, cell samples, V)` with `f` and `V` of the smallest pool
    /// containing the cell; a presence-only pool charges each person in the cell once, its
    /// `presenceCharge` (the presence cap when not given); a
    /// person's added exposure is the sum over their samples and subjects.
    ///
    /// - Parameters:
    ///   - request: the request with pool ids (``PoolRegistry/resolve(_:)`` of the same `pools`).
    ///   - pools: the registry holding every pool this account has released.
    ///   - personOfSample: person number of each sample index (see ``Person``).
    ///   - settings: the thresholds.
    ///   - presenceCap: ``MembershipSignal/presenceCap(minimumCount:)`` of `settings.minimumCellCount`.
    public func plan(_ request: ResolvedRequest, pools: PoolRegistry, personOfSample: [Int],
                     settings: PrivacySettings, presenceCap: Double) -> Result<AccountPlan, PlanRefusal> {
        plan(request, pools: pools, personOfSample: personOfSample, settings: settings, presenceCap: presenceCap, people: nil)
    }

    /// ``plan(_:pools:personOfSample:settings:presenceCap:)`` charging a cell that is a whole
    /// pool from `people`'s runs of that pool (the same charges, without reading its samples).
    func plan(_ request: ResolvedRequest, pools: PoolRegistry, personOfSample: [Int],
              settings: PrivacySettings, presenceCap: Double, people: PoolPeopleCache?) -> Result<AccountPlan, PlanRefusal> {
        var plan = AccountPlan()
        plan.spentBefore = spent
        var accumulator = DeltaAccumulator()
        var seen: [Int] = []
        for (subject, requested) in request.subjects {
            let old = subjects[subject] ?? []
            var entries = old
            var shapes: [PoolShape] = []
            // Per pool, the statistics this request shows that were not shown before.
            var gained = [UInt8](repeating: 0, count: old.count)
            for released in requested {
                if let index = entries.firstIndex(where: { $0.pool == released.id }) {
                    let added = released.released.statistics & ~entries[index].statistics
                    guard added != 0 else { continue }
                    var updated = released.released
                    updated.statistics |= entries[index].statistics
                    entries[index] = updated
                    gained[index] |= added
                } else {
                    if shapes.isEmpty { shapes = old.map { pools.shape($0.pool) } }
                    entries.append(released.released)
                    shapes.append(released.shape)
                    gained.append(released.released.statistics)
                }
                plan.releases.append((subject, released.released))
            }
            guard entries.count > old.count || gained.contains(where: { $0 != 0 }) else { continue }
            if shapes.isEmpty { shapes = old.map { pools.shape($0.pool) } }
            let width = shapes.reduce(0) { Swift.max($0, $1.words.count) }
            let cells = CellPartition(pools: shapes, width: width, mark: { gained[$0] })
            let before = old.isEmpty ? nil : CellPartition(pools: Array(shapes[0..<old.count]), width: width, mark: { old[$0].statistics })
            for cell in 0..<cells.count {
                var oldCell = -1
                if let before {
                    let first = cells.firstMember(of: cell)
                    for candidate in 0..<before.count where before.contains(first, cell: candidate) {
                        oldCell = candidate
                        break
                    }
                }
                let identical = oldCell >= 0 && before!.sizes[oldCell] == cells.sizes[cell]
                if identical {
                    // Already answered about exactly these samples: free unless a statistic is new here
                    // (counts where only presence was shown, or another statistic).
                    guard cells.marks[cell] & ~before!.marks[oldCell] != 0 else { continue }
                } else {
                    let people = personOfSample.withUnsafeBufferPointer { map in
                        cells.people(in: cell, personOfSample: map, upTo: settings.minimumDifferencePeople, seen: &seen)
                    }
                    if people < settings.minimumDifferencePeople {
                        return .failure(.differencing(subject: subject, people: people, minimum: settings.minimumDifferencePeople, firstRelease: old.isEmpty))
                    }
                }
                let pool = entries[cells.smallestPool[cell]]
                // A cell as large as its smallest pool is that whole pool.
                let wholePool = people.flatMap { cache in
                    cells.sizes[cell] == shapes[cells.smallestPool[cell]].count
                        ? cache.people(of: pool.pool, shape: shapes[cells.smallestPool[cell]], personOfSample: personOfSample) : nil
                }
                if pool.presenceOnly {
                    // A threshold outcome is about a person, however many of their samples the pool holds.
                    let charge = pool.presenceCharge ?? presenceCap
                    guard charge > 0 else { continue }
                    if let wholePool {
                        accumulator.add(charge, toEveryPersonOf: wholePool, pool: pool.pool)
                    } else {
                        accumulator.add(charge, toEveryPersonOf: cell, in: cells, personOfSample: personOfSample)
                    }
                    continue
                }
                let charge = MembershipSignal.charge(frequency: pool.frequency, cellSamples: cells.sizes[cell], noiseVariance: pool.noiseVariance)
                guard charge > 0 else { continue }
                if let wholePool {
                    accumulator.add(charge, toEverySampleOf: wholePool, pool: pool.pool)
                } else {
                    accumulator.add(charge, toEverySampleOf: cell, in: cells, personOfSample: personOfSample)
                }
            }
        }
        plan.exposure = accumulator.change()
        plan.added = plan.exposure.largest
        plan.spentAfter = spent
        return .success(plan)
    }
}

extension CellPartition {
    /// The number of distinct people in `cell`, counting at most `limit`; `seen` is scratch.
    func people(in cell: Int, personOfSample: UnsafeBufferPointer<Int>, upTo limit: Int, seen: inout [Int]) -> Int {
        seen.removeAll(keepingCapacity: true)
        forEachMember(of: cell, while: { sample in
            let person = Person.of(sample, in: personOfSample).stored
            if !seen.contains(person) { seen.append(person) }
            return seen.count < limit
        })
        return seen.count
    }
}

/// Sums one request's charges per person: a dense array for mapped people (sized to the
/// mapping on first use) and a dictionary for lone samples. The change comes out as runs of
/// people in increasing order, then lone samples in increasing sample order.
struct DeltaAccumulator {
    private var mapped: [Double] = []
    private var unmapped: [Int: Double] = [:]
    /// Charges to whole pools, kept as totals until ``change()``: per pool id, its people, the
    /// sum charged per sample and the sum charged per person.
    private var wholePools: [(pool: Int64, people: PoolPeople, perSample: Double, perPerson: Double)] = []

    /// Adds `amount` for every sample of a whole pool.
    mutating func add(_ amount: Double, toEverySampleOf people: PoolPeople, pool: Int64) {
        let index = wholePoolIndex(pool, people)
        wholePools[index].perSample += amount
    }

    /// Adds `amount` once for every person of a whole pool.
    mutating func add(_ amount: Double, toEveryPersonOf people: PoolPeople, pool: Int64) {
        let index = wholePoolIndex(pool, people)
        wholePools[index].perPerson += amount
    }

    private mutating func wholePoolIndex(_ pool: Int64, _ people: PoolPeople) -> Int {
        if let index = wholePools.firstIndex(where: { $0.pool == pool }) { return index }
        wholePools.append((pool, people, 0, 0))
        return wholePools.count - 1
    }

    /// Adds `amount` for every sample of `cell`.
    mutating func add(_ amount: Double, toEverySampleOf cell: Int, in cells: CellPartition, personOfSample: [Int]) {
        add(amount, cell: cell, in: cells, personOfSample: personOfSample, oncePerPerson: false)
    }

    /// Adds `amount` once for every person with a sample in `cell`.
    mutating func add(_ amount: Double, toEveryPersonOf cell: Int, in cells: CellPartition, personOfSample: [Int]) {
        add(amount, cell: cell, in: cells, personOfSample: personOfSample, oncePerPerson: true)
    }

    private mutating func add(_ amount: Double, cell: Int, in cells: CellPartition, personOfSample: [Int], oncePerPerson: Bool) {
        if mapped.isEmpty { mapped = [Double](repeating: 0, count: personOfSample.count) }
        // People already charged for this cell, as bits (a person's second sample adds nothing).
        var charged = [UInt64](repeating: 0, count: oncePerPerson ? (mapped.count + 63) / 64 : 0)
        var lone: [Int] = []
        let width = cells.width, base = cell * width
        personOfSample.withUnsafeBufferPointer { map in
            cells.words.withUnsafeBufferPointer { bits in
                mapped.withUnsafeMutableBufferPointer { dense in
                    charged.withUnsafeMutableBufferPointer { charged in
                        for index in 0..<width {
                            var remaining = bits[base + index]
                            while remaining != 0 {
                                let sample = index << 6 | remaining.trailingZeroBitCount
                                remaining &= remaining &- 1
                                let person = Person.of(sample, in: map).stored
                                guard person >= 0 && person < dense.count else {
                                    lone.append(person)
                                    continue
                                }
                                if oncePerPerson {
                                    let bit: UInt64 = 1 << UInt64(person & 63)
                                    guard charged[person >> 6] & bit == 0 else { continue }
                                    charged[person >> 6] |= bit
                                }
                                dense[person] += amount
                            }
                        }
                    }
                }
            }
        }
        for person in oncePerPerson ? Array(Set(lone)) : lone {
            if person >= 0 {
                if person >= mapped.count { mapped.append(contentsOf: repeatElement(0, count: person + 1 - mapped.count)) }
                mapped[person] += amount
            } else {
                unmapped[person, default: 0] += amount
            }
        }
    }

    /// The summed charges: runs of consecutive people charged the same, then lone samples.
    mutating func change() -> ExposureChange {
        // One whole pool and nothing else: its runs are the change.
        if wholePools.count == 1 && mapped.isEmpty && unmapped.isEmpty {
            let whole = wholePools[0]
            var change = ExposureChange()
            for run in whole.people.runs {
                let amount = whole.perSample * Double(run.samples) + whole.perPerson
                if amount != 0 { change.append(ExposureChange.Run(first: run.first, count: run.count, amount: amount)) }
            }
            for person in whole.people.lone {
                let amount = whole.perSample + whole.perPerson
                if amount != 0 { change.appendLone(person, amount: amount) }
            }
            return change
        }
        // Otherwise the whole pools join the per-person sums.
        for whole in wholePools {
            if let last = whole.people.runs.last, last.first + last.count > mapped.count {
                mapped.append(contentsOf: repeatElement(0, count: last.first + last.count - mapped.count))
            }
            for run in whole.people.runs {
                let amount = whole.perSample * Double(run.samples) + whole.perPerson
                for person in run.first..<(run.first + run.count) { mapped[person] += amount }
            }
            for person in whole.people.lone { unmapped[person.stored, default: 0] += whole.perSample + whole.perPerson }
        }
        wholePools = []
        var change = ExposureChange()
        mapped.withUnsafeBufferPointer { dense in
            var person = 0
            while person < dense.count {
                let amount = dense[person]
                var end = person + 1
                while end < dense.count && dense[end] == amount { end += 1 }
                if amount != 0 { change.append(ExposureChange.Run(first: person, count: end - person, amount: amount)) }
                person = end
            }
        }
        for person in unmapped.keys.sorted(by: >) { change.appendLone(Person(stored: person), amount: unmapped[person]!) }
        return change
    }
}
