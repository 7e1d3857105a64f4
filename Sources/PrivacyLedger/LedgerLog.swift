import Foundation
import GatewayCore

/// The ledger's store: `privacy.ledger` (``fileName``) in the data folder, an append-only file
/// of checksummed records, one per accepted request (``LedgerEntry``).
///
/// A charge is durable once ``append(_:)`` returns: one `write()` of a few hundred bytes into
/// the page cache, in decision order, under the ledger's lock. That survives SIGKILL of the
/// gateway (the kernel holds the bytes); like the audit log's WAL before its fsync, a power
/// loss may lose the last writes (README "Privacy"). There is no fsync on the request path,
/// no thread hop and no transaction: what the ledger adds to a request is its decision's CPU
/// and this one system call.
///
/// Layout: a 16-byte header (`GGLEDGER`, version 1 as UInt32 LE, 4 zero bytes), then records:
/// payload length (UInt32 LE), CRC-32 of the payload (UInt32 LE), payload
/// (``LedgerEntry/encoded()``). Replay stops at a torn last record (a write cut short by a
/// crash: never acknowledged, so no answer used it) and cuts it off; damage anywhere else
/// refuses the file.
///
/// One writer per file: the file is locked (`flock`) for the log's life, so a second gateway
/// on the same data folder is refused instead of interleaving records.
struct LedgerLog: ~Copyable {
    /// The file's name in the data folder.
    static let fileName = "privacy.ledger"
    static let header: [UInt8] = Array("GGLEDGER".utf8) + [1, 0, 0, 0, 0, 0, 0, 0]
    /// The largest record written or read (a bound on what replay allocates).
    static let maximumRecordBytes = 64 << 20

    let path: String
    private let descriptor: Int32
    /// The length of the file's valid contents: where the next record starts.
    private(set) var length: Int
    /// Whether a failed write could not be undone: nothing more is written until restart.
    private(set) var broken = false
    /// Testing only: the next append writes half its record, then fails (as a disk filling up
    /// mid-write would).
    var failNextWriteHalfway = false

    /// What opening found: the entries in order, and the bytes of a torn last record cut off.
    struct Replayed {
        var entries: [LedgerEntry] = []
        var cutOff = 0
    }

    /// Opens (creating, 0600) the log at `path`, locks it and reads every entry (blocking: at
    /// startup, not on an event loop).
    init(path: String) throws(GatewayError) {
        self.path = path
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        let descriptor = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw GatewayError(.serviceUnavailable, "the privacy ledger \(path) cannot be opened: \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw GatewayError(.serviceUnavailable, "another process has the privacy ledger \(path) open; one gateway per data folder")
        }
        self.descriptor = descriptor
        self.length = 0
    }

    deinit { close(descriptor) }

    /// Reads every entry from the start; writes the header into an empty file and cuts off a
    /// torn last record. Throws `service_unavailable` naming the damage for anything else.
    mutating func replay() throws(GatewayError) -> Replayed {
        var replayed = Replayed()
        do {
            var reader = try LedgerFileReader(descriptor: descriptor)
            if reader.size == 0 {
                try writeAll(Self.header)
                length = Self.header.count
                return replayed
            }
            guard let header = try reader.read(Self.header.count), header == Self.header else {
                throw LedgerDamage("does not start with a GenomeGate ledger header (version 1)")
            }
            var offset = Self.header.count
            while offset < reader.size {
                guard let frame = try reader.read(8) else { replayed.cutOff = reader.size - offset; break }
                let payloadLength = Int(Self.word32(frame, 0)), checksum = Self.word32(frame, 4)
                let end = offset + 8 + payloadLength
                guard end <= reader.size else { replayed.cutOff = reader.size - offset; break }
                guard payloadLength <= Self.maximumRecordBytes, let payload = try reader.read(payloadLength) else {
                    throw LedgerDamage("has a record at byte \(offset) longer than any the ledger writes")
                }
                guard CRC32.checksum(payload) == checksum else {
                    // Only the last record can be torn; a bad one followed by more is damage.
                    guard end == reader.size else { throw LedgerDamage("has a record at byte \(offset) whose checksum does not match") }
                    replayed.cutOff = reader.size - offset
                    break
                }
                replayed.entries.append(try LedgerEntry(decoding: payload, at: offset))
                offset = end
            }
            length = offset
            if replayed.cutOff > 0 {
                guard ftruncate(descriptor, off_t(offset)) == 0 else {
                    throw LedgerDamage("has a torn last record that cannot be cut off: \(String(cString: strerror(errno)))")
                }
            }
        } catch let error as GatewayError {
            throw error
        } catch {
            throw GatewayError(.serviceUnavailable, "the privacy ledger \(path) cannot be read: it \(error)")
        }
        return replayed
    }

    /// Appends one record holding `entry`; on return it is in the file. A write that fails is
    /// undone (the file cut back to its valid length) and throws; if it cannot be undone the
    /// log is ``broken`` and refuses every write until restart.
    mutating func append(_ entry: LedgerEntry) throws(GatewayError) {
        guard !broken else {
            throw GatewayError(.serviceUnavailable, "the privacy ledger \(path) could not undo a failed write and records nothing until the gateway restarts")
        }
        let payload = entry.encoded()
        guard payload.count <= Self.maximumRecordBytes else {
            throw GatewayError(.serviceUnavailable, "this answer's disclosure charge is too large to record (\(payload.count) bytes), so it is not given; ask about fewer variants or strata at once")
        }
        var record = [UInt8]()
        record.reserveCapacity(payload.count + 8)
        Self.append32(UInt32(payload.count), to: &record)
        Self.append32(CRC32.checksum(payload), to: &record)
        record += payload
        do {
            if failNextWriteHalfway {
                failNextWriteHalfway = false
                try writeAll(Array(record.prefix(record.count / 2)))
                throw LedgerWriteError(errno: ENOSPC)
            }
            try writeAll(record)
            length += record.count
        } catch {
            if ftruncate(descriptor, off_t(length)) != 0 { broken = true }
            throw GatewayError(.serviceUnavailable, "the privacy ledger \(path) cannot record this answer's charge, so it is not given: \(error)")
        }
    }

    /// Flushes the file to the disk (fsync): used when importing, not per charge.
    func synchronize() throws(GatewayError) {
        guard fsync(descriptor) == 0 else {
            throw GatewayError(.serviceUnavailable, "the privacy ledger \(path) cannot be flushed to disk: \(String(cString: strerror(errno)))")
        }
    }

    /// Writes every byte (the file is O_APPEND), retrying interrupted and short writes.
    private func writeAll(_ bytes: [UInt8]) throws(LedgerWriteError) {
        let failure: Int32? = bytes.withUnsafeBytes { buffer in
            var written = 0
            while written < buffer.count {
                let result = write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                guard result > 0 else { return EIO }
                written += result
            }
            return nil
        }
        if let failure { throw LedgerWriteError(errno: failure) }
    }

    /// Testing only: every later write fails as on a full disk, and cannot be undone.
    func failWritesForTesting() {
        let full = open("/dev/full", O_WRONLY | O_CLOEXEC)
        precondition(full >= 0, "/dev/full is needed for this test")
        dup2(full, descriptor)
        close(full)
    }

    static func word32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
    }

    static func append32(_ value: UInt32, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }
}

/// A failed `write()`.
struct LedgerWriteError: Error, CustomStringConvertible {
    var errno: Int32
    var description: String { String(cString: strerror(errno)) }
}

/// Reads a file from its start in large chunks.
struct LedgerFileReader {
    let descriptor: Int32
    let size: Int
    private var buffer: [UInt8] = []
    private var position = 0

    init(descriptor: Int32) throws(LedgerDamage) {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw LedgerDamage("cannot be examined: \(String(cString: strerror(errno)))") }
        self.descriptor = descriptor
        self.size = Int(status.st_size)
        guard lseek(descriptor, 0, SEEK_SET) == 0 else { throw LedgerDamage("cannot be read: \(String(cString: strerror(errno)))") }
    }

    /// The next `count` bytes, or nil when the file ends first.
    mutating func read(_ count: Int) throws(LedgerDamage) -> [UInt8]? {
        while buffer.count - position < count {
            if position > 0 {
                buffer.removeFirst(position)
                position = 0
            }
            var chunk = [UInt8](repeating: 0, count: Swift.max(1 << 20, count - buffer.count))
            let got = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if got < 0 {
                if errno == EINTR { continue }
                throw LedgerDamage("cannot be read: \(String(cString: strerror(errno)))")
            }
            if got == 0 { return nil }
            buffer += chunk[0..<got]
        }
        let bytes = Array(buffer[position..<(position + count)])
        position += count
        return bytes
    }
}

/// CRC-32 (IEEE 802.3, as zlib and gzip), table-driven.
enum CRC32 {
    static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        table.withUnsafeBufferPointer { table in
            for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        }
        return crc ^ 0xFFFF_FFFF
    }
}
