import Dispatch
import Foundation

/// One record parsed and summarised, ready for the store.
struct ParsedRecord: Sendable {
    var site: VariantRowWriter.Site
    /// Each stored allele: its ALT (`.` for a record without one) and its genotype summary.
    var alleles: [(alternate: String, genotypes: AlleleGenotypes)]
}

/// Parses a file on its own thread (htslib, then ``GenotypeLayerBuilder``) while the ingest's
/// writer stores what it hands over, so an ingest uses two cores.
///
/// Batches pass through a bounded queue. The parser owns the reader from ``init`` until it has
/// ended; an error on either side stops both (``stop()`` on the writer's side, a `.failure`
/// item from the parser's), and the writer's transaction then rolls back as before.
final class IngestPipeline: @unchecked Sendable {
    enum Item {
        case batch([ParsedRecord], recordsRead: Int, bytesRead: Int64)
        case end(records: Int)
        case failure(any Error)
    }

    static let batchSize = 256
    static let queueDepth = 8

    // `queue` and `stopped` are guarded by `condition`.
    private let condition = NSCondition()
    private var queue: [Item] = []
    private var stopped = false
    private let finished = DispatchSemaphore(value: 0)

    /// Hands `reader` over to a new parser thread.
    init(reader: VCFReader, storeIndexes: [Int], capacity: Int) {
        let handedOver = HandedOver(reader)
        let thread = Thread { [self] in
            produce(handedOver.reader, storeIndexes: storeIndexes, capacity: capacity)
            finished.signal()
        }
        thread.name = "genomegate-vcf-parser"
        thread.start()
    }

    /// The next item; blocks until the parser has one.
    func next() -> Item {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty { condition.wait() }
        let item = queue.removeFirst()
        condition.broadcast()
        return item
    }

    /// Stops the parser and waits until it has let go of the file.
    func stop() {
        condition.lock()
        stopped = true
        queue.removeAll()
        condition.broadcast()
        condition.unlock()
        waitForParser()
    }

    /// Waits for the parser thread to end (after `.end` or `.failure`).
    func waitForParser() {
        finished.wait()
        finished.signal()  // later waits return at once
    }

    private var isStopped: Bool {
        condition.lock()
        defer { condition.unlock() }
        return stopped
    }

    private func put(_ item: Item) {
        condition.lock()
        defer { condition.unlock() }
        while queue.count >= Self.queueDepth && !stopped { condition.wait() }
        guard !stopped else { return }
        queue.append(item)
        condition.broadcast()
    }

    private func produce(_ reader: VCFReader, storeIndexes: [Int], capacity: Int) {
        var builder = GenotypeLayerBuilder()
        var batch: [ParsedRecord] = []
        batch.reserveCapacity(Self.batchSize)
        do {
            while !isStopped, try reader.next() {
                let alleleCount = reader.alleleCount
                let genotypes = try reader.genotypes()
                let summaries: [AlleleGenotypes]
                do {
                    summaries = try builder.build(genotypes: genotypes, alleleCount: alleleCount, storeIndexes: storeIndexes, capacity: capacity)
                } catch let invalid as GenotypeLayerBuilder.InvalidAllele {
                    throw reader.failure("sample \(reader.sampleNames[invalid.fileSampleIndex]) has allele \(invalid.allele) in GT, but the record has \(alleleCount - 1) ALT allele\(alleleCount == 2 ? "" : "s")", known: true)
                }
                let site = VariantRowWriter.Site(
                    chromosome: reader.chromosome, position: reader.position, end: reader.end,
                    reference: reader.allele(0), filter: FilterList.encode(reader.filters))
                let alleles = summaries.enumerated().map { offset, summary in
                    (alternate: alleleCount > 1 ? reader.allele(offset + 1) : ".", genotypes: summary)
                }
                batch.append(ParsedRecord(site: site, alleles: alleles))
                if batch.count == Self.batchSize {
                    put(.batch(batch, recordsRead: reader.recordNumber, bytesRead: reader.bytesRead))
                    batch.removeAll(keepingCapacity: true)
                }
            }
            if !batch.isEmpty { put(.batch(batch, recordsRead: reader.recordNumber, bytesRead: reader.bytesRead)) }
            put(.end(records: reader.recordNumber))
        } catch {
            put(.failure(error))
        }
    }

    /// Moves the reader to the parser thread: from then on only that thread uses it.
    private final class HandedOver: @unchecked Sendable {
        let reader: VCFReader
        init(_ reader: VCFReader) { self.reader = reader }
    }
}
