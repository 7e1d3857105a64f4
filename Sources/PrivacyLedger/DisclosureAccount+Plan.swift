extension DisclosureAccount {
    /// Decides `request` for this account without changing it (the partition rule of
    /// README "Privacy"): per subject, pools already released cost nothing; otherwise the
    /// samples are partitioned into cells by their in/out pattern over every pool released
    /// about the subject (old and new). A new cell holding 1 to `minimumDifferencePeople - 1`
    /// people refuses the whole request. Each new cell (not identical to an old one), and each
    /// cell newly given counts where only presence was known, charges every sample in it
    /// `MembershipSignal.charge(f, cell samples, V)` with `f` and `V` of the smallest pool
    /// containing the cell (at most `presenceCap` when that pool showed presence only); a
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
        for (subject, requested) in request.subjects {
            let old = subjects[subject] ?? []
            var entries = old
            var shapes: [PoolShape] = []
            var countsAdded: Set<Int> = []
            for released in requested {
                if let index = entries.firstIndex(where: { $0.pool == released.id }) {
                    guard entries[index].presenceOnly && !released.released.presenceOnly else { continue }
                    entries[index] = released.released
                    countsAdded.insert(index)
                } else {
                    if shapes.isEmpty { shapes = old.map { pools.shape($0.pool) } }
                    entries.append(released.released)
                    shapes.append(released.shape)
                    if !released.released.presenceOnly { countsAdded.insert(entries.count - 1) }
                }
                plan.releases.append((subject, released.released))
            }
            guard entries.count > old.count || !countsAdded.isEmpty else { continue }
            if shapes.isEmpty { shapes = old.map { pools.shape($0.pool) } }
            let width = shapes.reduce(0) { Swift.max($0, $1.words.count) }
            let cells = CellPartition(pools: shapes, width: width, isMarked: { countsAdded.contains($0) })
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
                    let people = cells.people(in: cell, personOfSample: personOfSample, upTo: settings.minimumDifferencePeople)
                    if people < settings.minimumDifferencePeople {
                        return .failure(.differencing(subject: subject, people: people, minimum: settings.minimumDifferencePeople, firstRelease: old.isEmpty))
                    }
                }
                let pool = entries[cells.smallestPool[cell]]
                var charge = MembershipSignal.charge(frequency: pool.frequency, cellSamples: cells.sizes[cell], noiseVariance: pool.noiseVariance)
                if pool.presenceOnly { charge = Swift.min(charge, presenceCap) }
                guard charge > 0 else { continue }
                cells.forEachMember(of: cell) { sample in accumulator.add(charge, to: sample, personOfSample: personOfSample) }
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
    /// The number of distinct people in `cell`, counting at most `limit`.
    func people(in cell: Int, personOfSample: [Int], upTo limit: Int) -> Int {
        var seen: [Int64] = []
        forEachMember(of: cell, while: { sample in
            let person = Person.of(sample, in: personOfSample).stored
            if !seen.contains(person) { seen.append(person) }
            return seen.count < limit
        })
        return seen.count
    }
}

/// Sums one request's charges per person.
struct DeltaAccumulator {
    private var mapped: [Double] = []
    private var order: [Person] = []
    private var unmapped: [Int: Double] = [:]

    @inline(__always)
    mutating func add(_ amount: Double, to sample: Int, personOfSample: [Int]) {
        switch Person.of(sample, in: personOfSample) {
        case .mapped(let number):
            if number >= mapped.count {
                mapped.append(contentsOf: repeatElement(0, count: Swift.max(number + 1, personOfSample.count) - mapped.count))
            }
            if mapped[number] == 0 { order.append(.mapped(number)) }
            mapped[number] += amount
        case .unmapped(let sample):
            if unmapped[sample] == nil { order.append(.unmapped(sample: sample)) }
            unmapped[sample, default: 0] += amount
        }
    }

    func deltas() -> [AccountPlan.Delta] {
        order.map { person in
            switch person {
            case .mapped(let number): AccountPlan.Delta(person: person, amount: mapped[number])
            case .unmapped(let sample): AccountPlan.Delta(person: person, amount: unmapped[sample] ?? 0)
            }
        }
    }
}
