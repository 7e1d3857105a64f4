extension DisclosureAccount {
    /// Decides `request` for this account without changing it (the partition rule of
    /// README "Privacy"): per subject, pools already released cost nothing; otherwise the
    /// samples are partitioned into cells by their in/out pattern over every pool released
    /// about the subject (old and new). A new cell holding 1 to `minimumDifferencePeople - 1`
    /// people refuses the whole request. Each new cell (not identical to an old one), and each
    /// cell newly given counts where only presence was known, charges every sample in it
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
        var plan = AccountPlan()
        plan.spentBefore = spent
        var accumulator = DeltaAccumulator()
        var seen: [Int] = []
        for (subject, requested) in request.subjects {
            let old = subjects[subject] ?? []
            var entries = old
            var shapes: [PoolShape] = []
            var countsAdded = [Bool](repeating: false, count: old.count)
            for released in requested {
                if let index = entries.firstIndex(where: { $0.pool == released.id }) {
                    guard entries[index].presenceOnly && !released.released.presenceOnly else { continue }
                    entries[index] = released.released
                    countsAdded[index] = true
                } else {
                    if shapes.isEmpty { shapes = old.map { pools.shape($0.pool) } }
                    entries.append(released.released)
                    shapes.append(released.shape)
                    countsAdded.append(!released.released.presenceOnly)
                }
                plan.releases.append((subject, released.released))
            }
            guard entries.count > old.count || countsAdded.contains(true) else { continue }
            if shapes.isEmpty { shapes = old.map { pools.shape($0.pool) } }
            let width = shapes.reduce(0) { Swift.max($0, $1.words.count) }
            let cells = CellPartition(pools: shapes, width: width, isMarked: { countsAdded[$0] })
            let before = old.isEmpty ? nil : CellPartition(pools: Array(shapes[0..<old.count]), width: width, isMarked: { !old[$0].presenceOnly })
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
                    // Already answered about exactly these samples: free unless counts are new here.
                    guard cells.marked[cell] && !before!.marked[oldCell] else { continue }
                } else {
                    let people = personOfSample.withUnsafeBufferPointer { map in
                        cells.people(in: cell, personOfSample: map, upTo: settings.minimumDifferencePeople, seen: &seen)
                    }
                    if people < settings.minimumDifferencePeople {
                        return .failure(.differencing(subject: subject, people: people, minimum: settings.minimumDifferencePeople, firstRelease: old.isEmpty))
                    }
                }
                let pool = entries[cells.smallestPool[cell]]
                if pool.presenceOnly {
                    // A threshold outcome is about a person, however many of their samples the pool holds.
                    let charge = pool.presenceCharge ?? presenceCap
                    guard charge > 0 else { continue }
                    accumulator.add(charge, toEveryPersonOf: cell, in: cells, personOfSample: personOfSample)
                    continue
                }
                let charge = MembershipSignal.charge(frequency: pool.frequency, cellSamples: cells.sizes[cell], noiseVariance: pool.noiseVariance)
                guard charge > 0 else { continue }
                accumulator.add(charge, toEverySampleOf: cell, in: cells, personOfSample: personOfSample)
            }
        }
        plan.deltas = accumulator.deltas()
        var after = spent
        for delta in plan.deltas {
            plan.added = Swift.max(plan.added, delta.amount)
            after = Swift.max(after, exposure(of: delta.person) + delta.amount)
        }
        plan.spentAfter = after
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
/// mapping on first use) and a dictionary for lone samples. Deltas come out in increasing
/// person number, then lone samples in increasing sample order.
struct DeltaAccumulator {
    private var mapped: [Double] = []
    private var unmapped: [Int: Double] = [:]

    /// Adds `amount` for every sample of `cell`.
    mutating func add(_ amount: Double, toEverySampleOf cell: Int, in cells: CellPartition, personOfSample: [Int]) {
        if mapped.isEmpty { mapped = [Double](repeating: 0, count: personOfSample.count) }
        var lone: [Int] = []
        let width = cells.width, base = cell * width
        personOfSample.withUnsafeBufferPointer { map in
            cells.words.withUnsafeBufferPointer { bits in
                mapped.withUnsafeMutableBufferPointer { dense in
                    for index in 0..<width {
                        var remaining = bits[base + index]
                        while remaining != 0 {
                            let sample = index << 6 | remaining.trailingZeroBitCount
                            remaining &= remaining &- 1
                            let person = Person.of(sample, in: map).stored
                            if person >= 0 && person < dense.count { dense[person] += amount } else { lone.append(person) }
                        }
                    }
                }
            }
        }
        for person in lone {
            if person >= 0 {
                mapped.append(contentsOf: repeatElement(0, count: Swift.max(0, person + 1 - mapped.count)))
                mapped[person] += amount
            } else {
                unmapped[person, default: 0] += amount
            }
        }
    }

    /// Adds `amount` once for every person with a sample in `cell`.
    mutating func add(_ amount: Double, toEveryPersonOf cell: Int, in cells: CellPartition, personOfSample: [Int]) {
        if mapped.isEmpty { mapped = [Double](repeating: 0, count: personOfSample.count) }
        var people = Set<Int>()
        personOfSample.withUnsafeBufferPointer { map in
            cells.forEachMember(of: cell, while: { sample in
                people.insert(Person.of(sample, in: map).stored)
                return true
            })
        }
        for person in people {
            if person >= 0 {
                if person >= mapped.count { mapped.append(contentsOf: repeatElement(0, count: person + 1 - mapped.count)) }
                mapped[person] += amount
            } else {
                unmapped[person, default: 0] += amount
            }
        }
    }

    func deltas() -> [AccountPlan.Delta] {
        var deltas: [AccountPlan.Delta] = []
        mapped.withUnsafeBufferPointer { dense in
            for person in dense.indices where dense[person] != 0 {
                deltas.append(AccountPlan.Delta(person: Person(stored: person), amount: dense[person]))
            }
        }
        for person in unmapped.keys.sorted(by: >) {
            deltas.append(AccountPlan.Delta(person: Person(stored: person), amount: unmapped[person]!))
        }
        return deltas
    }
}
