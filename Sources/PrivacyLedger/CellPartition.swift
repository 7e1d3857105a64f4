/// The cells of a family of pools: samples grouped by their in/out pattern over the pools
/// (only samples in at least one pool). An attacker holding one count per pool can at best
/// solve for each cell's count, so cells are the units the ledger refuses and charges.
///
/// Stored flat (``width`` words per cell) so refining allocates only when a cell splits.
struct CellPartition {
    /// Words per cell.
    let width: Int
    /// Cell `c` is `words[c * width ..< (c + 1) * width]`.
    private(set) var words: [UInt64]
    /// Samples per cell.
    private(set) var sizes: [Int] = []
    /// Per cell, the index (into the pools given) of the smallest pool containing it.
    private(set) var smallestPool: [Int] = []
    /// Per cell, the union (bitwise or) of the marks of the pools containing it.
    private(set) var marks: [UInt8] = []

    /// The number of cells.
    var count: Int { sizes.count }

    /// The partition of `pools`; `width` must be at least every pool's word count.
    /// `mark(i)` gives pool `i`'s bits, combined per cell in ``marks``.
    init(pools: [PoolShape], width: Int, mark: (Int) -> UInt8 = { _ in 0 }) {
        self.width = width
        words = [UInt64](repeating: 0, count: width)
        var total = 0
        for pool in pools {
            for index in pool.words.indices { words[index] |= pool.words[index] }
        }
        for word in words { total &+= word.nonzeroBitCount }
        guard total > 0 else { words = []; return }
        words.reserveCapacity(width * (pools.count + 1))
        sizes = [total]
        smallestPool = [-1]
        marks = [0]
        for (poolIndex, pool) in pools.enumerated() {
            refine(by: pool, index: poolIndex, pools: pools, mark: mark(poolIndex))
        }
    }

    private mutating func refine(by pool: PoolShape, index poolIndex: Int, pools: [PoolShape], mark: UInt8) {
        let existing = sizes.count
        let poolWords = pool.words.count
        for cell in 0..<existing {
            let base = cell * width
            var inside = 0
            words.withUnsafeBufferPointer { cells in
                pool.words.withUnsafeBufferPointer { poolBits in
                    for index in 0..<poolWords { inside &+= (cells[base + index] & poolBits[index]).nonzeroBitCount }
                }
            }
            if inside == 0 { continue }
            if inside < sizes[cell] {
                // Split: the part outside the pool becomes a new cell, the part inside stays.
                words.reserveCapacity(words.count + width)
                for index in 0..<width {
                    let poolWord = index < poolWords ? pool.words[index] : 0
                    words.append(words[base + index] & ~poolWord)
                    words[base + index] &= poolWord
                }
                sizes.append(sizes[cell] - inside)
                smallestPool.append(smallestPool[cell])
                marks.append(marks[cell])
                sizes[cell] = inside
            }
            let current = smallestPool[cell]
            if current < 0 || pool.count < pools[current].count { smallestPool[cell] = poolIndex }
            marks[cell] |= mark
        }
    }

    /// The lowest sample index in cell `cell`.
    func firstMember(of cell: Int) -> Int {
        let base = cell * width
        for index in 0..<width where words[base + index] != 0 {
            return index << 6 | words[base + index].trailingZeroBitCount
        }
        return -1
    }

    /// Whether sample `sample` is in cell `cell`.
    func contains(_ sample: Int, cell: Int) -> Bool {
        let index = sample >> 6
        guard index < width else { return false }
        return words[cell * width + index] & (1 << UInt64(sample & 63)) != 0
    }

    /// Calls `body` with each sample of cell `cell`, in increasing order.
    func forEachMember(of cell: Int, _ body: (Int) -> Void) {
        let base = cell * width
        for index in 0..<width {
            var remaining = words[base + index]
            while remaining != 0 {
                body(index << 6 | remaining.trailingZeroBitCount)
                remaining &= remaining &- 1
            }
        }
    }

    /// Calls `body` with samples of cell `cell` in increasing order until it returns false.
    func forEachMember(of cell: Int, while body: (Int) -> Bool) {
        let base = cell * width
        for index in 0..<width {
            var remaining = words[base + index]
            while remaining != 0 {
                guard body(index << 6 | remaining.trailingZeroBitCount) else { return }
                remaining &= remaining &- 1
            }
        }
    }
}
