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
/// Layout (version 2): a 16-byte header (`GGLEDGER`, version as UInt32 LE, 4 zero bytes), then
/// records: payload length (UInt32 LE), CRC-32 of those 4 bytes, CRC-32 of the payload,
/// payload (``LedgerEntry/encoded()``). Replay cuts off a torn last record (a write cut short
/// by a crash: never acknowledged, so no answer used it): fewer than 12 bytes left, or a
/// valid frame whose payload runs past the end. Anything else that does not check out (a
/// frame or payload checksum, a length no record has, a record that does not decode) refuses
/// the file. Version 1 (8-byte frames; written for an hour by a development build) is read
/// and rewritten as version 2.
///
/// One writer per data folder: `privacy.ledger.lock` is locked (`flock`) for the log's life,
/// before anything is read, imported or rewritten, so a second gateway on the same folder is
/// refused instead of interleaving records. A rewrite (import, version upgrade) goes through a
/// temporary file renamed into place once complete and synced.
struct LedgerLog: ~Copyable {
    /// The file's name in the data folder.
    static let fileName = "privacy.ledger"
    static let version: UInt8 = 2
    static func header(version: UInt8) -> [UInt8] { Array("GGLEDGER".utf8) + [version, 0, 0, 0, 0, 0, 0, 0] }
    static let header = header(version: version)
    static let frameBytes = 12
    /// The largest record written or read (a bound on what replay allocates).
    static let maximumRecordBytes = 64 << 20

    let path: String
    private let lockDescriptor: Int32
    private var descriptor: Int32
    /// The length of the file's valid contents: where the next record starts.
    private(set) var length: Int
    /// Whether a failed write could not be undone: nothing more is written until restart.
    private(set) var broken = false
    /// Testing only: the next append writes half its record, then fails (as a disk filling up
    /// mid-write would).
    var failNextWriteHalfway = false

    /// What opening found: the entries in order, the bytes of a torn last record cut off, and
    /// what an operator should hear about (an import, a rewrite).
    struct Replayed {
        var entries: [LedgerEntry] = []
        var cutOff = 0
        var notes: [String] = []
    }

    /// Locks the folder's ledger (`<path>.lock`) and opens (creating, 0600) the log at `path`.
    /// When the log is missing or empty, `initialEntries` may give entries to start it with
    /// (an import), written before anything else. Blocking: at startup, not on an event loop.
    init(path: String, initialEntries: () throws(GatewayError) -> (entries: [LedgerEntry], note: String)?) throws(GatewayError) {
        self.path = path
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        let lockPath = path + ".lock"
        guard let lockDescriptor = ExclusiveFileLock.acquire(lockPath) else {
            guard errno == EWOULDBLOCK else {
                throw GatewayError(.serviceUnavailable, "the privacy ledger's lock \(lockPath) cannot be opened: \(String(cString: strerror(errno)))")
            }
            throw GatewayError(.serviceUnavailable, "another process has the privacy ledger \(path) open; one gateway per data folder")
        }
        var status = stat()
        let empty = stat(path, &status) != 0 || status.st_size == 0
        var note: String?
        if empty {
            do {
                if let initial = try initialEntries() {
                    try Self.rewrite(path: path, entries: initial.entries)
                    note = initial.note
                }
            } catch {
                close(lockDescriptor)
                throw error
            }
        }
        let descriptor = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            close(lockDescriptor)
            throw GatewayError(.serviceUnavailable, "the privacy ledger \(path) cannot be opened: \(String(cString: strerror(errno)))")
        }
        self.lockDescriptor = lockDescriptor
        self.descriptor = descriptor
        self.length = 0
        self.pendingNote = note
    }

    /// A note from ``init(path:initialEntries:)`` for ``replay()`` to return.
    private var pendingNote: String?

    deinit {
        close(descriptor)
        close(lockDescriptor)
    }

    /// Reads every entry from the start; writes the header into an empty file (or one holding
    /// only part of it), cuts off a torn last record and rewrites a version 1 file as version 2.
    /// Throws `service_unavailable` naming the damage for anything else.
    mutating func replay() throws(GatewayError) -> Replayed {
        var replayed = Replayed()
        if let note = pendingNote { replayed.notes.append(note) }
        pendingNote = nil
        do {
            var reader = try LedgerFileReader(descriptor: descriptor)
            let head = try reader.read(Swift.min(reader.size, Self.header.count)) ?? []
            if head.count < Self.header.count {
                // Empty, or a header cut short when the file was created: nothing was ever recorded.
                guard head == Array(Self.header.prefix(head.count)) else { throw LedgerDamage("does not start with a GenomeGate ledger header") }
                guard ftruncate(descriptor, 0) == 0 else { throw LedgerDamage("cannot be started: \(String(cString: strerror(errno)))") }
                try writeAll(Self.header)
                length = Self.header.count
                return replayed
            }
            if head == Self.header(version: 1) {
                let entries = try Self.readVersion1(&reader)
                try Self.rewrite(path: path, entries: entries)
                try reopen()
                replayed.notes.append("rewrote \(path) (version 1, \(entries.count) entries) as version 2")
                return try replay().adding(notes: replayed.notes)
            }
            guard head == Self.header else { throw LedgerDamage("does not start with a GenomeGate ledger header (version \(Self.version))") }
            var offset = Self.header.count
            while offset < reader.size {
                guard reader.size - offset >= Self.frameBytes, let frame = try reader.read(Self.frameBytes) else {
                    replayed.cutOff = reader.size - offset
                    break
                }
                let payloadLength = Int(Self.word32(frame, 0))
                guard CRC32.checksum(Array(frame[0..<4])) == Self.word32(frame, 4) else {
                    throw LedgerDamage("has a record at byte \(offset) whose length does not match its checksum")
                }
                guard payloadLength <= Self.maximumRecordBytes else {
                    throw LedgerDamage("has a record at byte \(offset) longer than any the ledger writes")
                }
                let end = offset + Self.frameBytes + payloadLength
                guard end <= reader.size, let payload = try reader.read(payloadLength) else {
                    replayed.cutOff = reader.size - offset
                    break
                }
                guard CRC32.checksum(payload) == Self.word32(frame, 8) else {
                    throw LedgerDamage("has a record at byte \(offset) whose checksum does not match")
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

    /// The entries of a version 1 file after its header (8-byte frames: length, payload CRC).
    private static func readVersion1(_ reader: inout LedgerFileReader) throws -> [LedgerEntry] {
        var entries: [LedgerEntry] = []
        var offset = header.count
        while offset < reader.size {
            guard let frame = try reader.read(8) else { break }
            let payloadLength = Int(word32(frame, 0))
            guard payloadLength <= maximumRecordBytes, offset + 8 + payloadLength <= reader.size,
                  let payload = try reader.read(payloadLength) else { break }
            guard CRC32.checksum(payload) == word32(frame, 4) else { throw LedgerDamage("has a record at byte \(offset) whose checksum does not match") }
            entries.append(try LedgerEntry(decoding: payload, at: offset))
            offset += 8 + payloadLength
        }
        return entries
    }

    /// The record of `entry`: frame and payload.
    static func record(_ entry: LedgerEntry) throws(GatewayError) -> [UInt8] {
        let payload = entry.encoded()
        guard payload.count <= maximumRecordBytes else {
            throw GatewayError(.serviceUnavailable, "this answer's disclosure charge is too large to record (\(payload.count) bytes), so it is not given; ask about fewer variants or strata at once")
        }
        var record = [UInt8]()
        record.reserveCapacity(payload.count + frameBytes)
        append32(UInt32(payload.count), to: &record)
        append32(CRC32.checksum(record), to: &record)
        append32(CRC32.checksum(payload), to: &record)
        record += payload
        return record
    }

    /// Replaces the file at `path` with one holding `entries`: written to `<path>.rewriting`,
    /// synced, renamed into place, and the folder synced. Only under the lock.
    static func rewrite(path: String, entries: [LedgerEntry]) throws(GatewayError) {
        let temporary = path + ".rewriting"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw GatewayError(.serviceUnavailable, "the privacy ledger \(temporary) cannot be created: \(String(cString: strerror(errno)))")
        }
        var bytes = header
        for entry in entries { bytes += try record(entry) }
        let written = bytes.withUnsafeBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let result = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if result < 0 && errno == EINTR { continue }
                guard result > 0 else { return false }
                offset += result
            }
            return true
        }
        let synced = written && fsync(descriptor) == 0
        let failure = String(cString: strerror(errno))
        close(descriptor)
        guard synced, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw GatewayError(.serviceUnavailable, "the privacy ledger \(path) cannot be written: \(failure)")
        }
        let folder = (path as NSString).deletingLastPathComponent
        let folderDescriptor = open(folder.isEmpty ? "." : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folderDescriptor >= 0 {
            fsync(folderDescriptor)
            close(folderDescriptor)
        }
    }

    /// Opens `path` again (after a rewrite replaced the file).
    private mutating func reopen() throws(GatewayError) {
        let replacement = open(path, O_RDWR | O_APPEND | O_CLOEXEC, 0o600)
        guard replacement >= 0 else {
            throw GatewayError(.serviceUnavailable, "the privacy ledger \(path) cannot be opened: \(String(cString: strerror(errno)))")
        }
        close(descriptor)
        descriptor = replacement
    }

    /// Appends one record holding `entry`; on return it is in the file. A write that fails is
    /// undone (the file cut back to its valid length) and throws; if it cannot be undone the
    /// log is ``broken`` and refuses every write until restart.
    mutating func append(_ entry: LedgerEntry) throws(GatewayError) {
        guard !broken else {
            throw GatewayError(.serviceUnavailable, "the privacy ledger \(path) could not undo a failed write and records nothing until the gateway restarts")
        }
        let record = try Self.record(entry)
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

extension LedgerLog.Replayed {
    func adding(notes earlier: [String]) -> LedgerLog.Replayed {
        var replayed = self
        replayed.notes = earlier + notes
        return replayed
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

/// CRC-32 (IEEE 802.3, as zlib and gzip), slicing by 8 bytes (8 tables of 256).
enum CRC32 {
    static let tables: [UInt32] = {
        var tables = [UInt32](repeating: 0, count: 8 * 256)
        for index in 0..<256 {
            var value = UInt32(index)
            for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
            tables[index] = value
        }
        for index in 0..<256 {
            for slice in 1..<8 {
                let previous = tables[(slice - 1) * 256 + index]
                tables[slice * 256 + index] = (previous >> 8) ^ tables[Int(previous & 0xFF)]
            }
        }
        return tables
    }()

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        tables.withUnsafeBufferPointer { table in
            bytes.withUnsafeBufferPointer { bytes in
                var offset = 0
                while offset + 8 <= bytes.count {
                    let low = crc ^ (UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24)
                    let high = UInt32(bytes[offset + 4]) | UInt32(bytes[offset + 5]) << 8 | UInt32(bytes[offset + 6]) << 16 | UInt32(bytes[offset + 7]) << 24
                    crc = table[7 * 256 + Int(low & 0xFF)] ^ table[6 * 256 + Int((low >> 8) & 0xFF)]
                        ^ table[5 * 256 + Int((low >> 16) & 0xFF)] ^ table[4 * 256 + Int(low >> 24)]
                        ^ table[3 * 256 + Int(high & 0xFF)] ^ table[2 * 256 + Int((high >> 8) & 0xFF)]
                        ^ table[256 + Int((high >> 16) & 0xFF)] ^ table[Int(high >> 24)]
                    offset += 8
                }
                while offset < bytes.count {
                    crc = table[Int((crc ^ UInt32(bytes[offset])) & 0xFF)] ^ (crc >> 8)
                    offset += 1
                }
            }
        }
        return crc ^ 0xFFFF_FFFF
    }
}
