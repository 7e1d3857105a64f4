#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file through a large in-memory buffer with POSIX `write`, for files of
/// hundreds of megabytes and more.
///
/// Writes to `<path>.partial` and renames it to `path` in ``finish()``, so a run that
/// fails or is interrupted never leaves a complete-looking file behind.
///
/// The `append` methods do not check for room: call ``reserve(_:)`` with an upper
/// bound of what follows first (a row at a time).
final class BufferedFileWriter {
    let path: String
    private let partialPath: String
    private var descriptor: Int32
    private let buffer: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    private var count = 0
    /// Bytes handed to the operating system so far.
    private(set) var bytesWritten = 0

    /// Creates (or truncates) `<path>.partial`.
    /// - Parameter capacity: buffer size; at least the largest single ``reserve(_:)``.
    init(path: String, capacity: Int) throws(DemoCohortError) {
        self.path = path
        self.partialPath = path + ".partial"
        descriptor = open(partialPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else {
            throw DemoCohortError(.unwritableFolder, "cannot create \(partialPath): \(Self.systemError())")
        }
        self.capacity = capacity
        buffer = .allocate(capacity: capacity)
    }

    deinit {
        if descriptor >= 0 {
            close(descriptor)
            unlink(partialPath)
        }
        buffer.deallocate()
    }

    /// Makes room for `bytes` more bytes, writing the buffer out if needed.
    @inline(__always)
    func reserve(_ bytes: Int) throws(DemoCohortError) {
        precondition(bytes <= capacity, "reservation of \(bytes) bytes exceeds the \(capacity)-byte buffer")
        if count + bytes > capacity { try flush() }
    }

    @inline(__always)
    func append(_ byte: UInt8) {
        buffer[count] = byte
        count += 1
    }

    func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { source in
            (buffer + count).update(from: source.baseAddress!, count: source.count)
        }
        count += bytes.count
    }

    func append(_ text: String) {
        var text = text
        text.withUTF8 { source in
            if let base = source.baseAddress { (buffer + count).update(from: base, count: source.count) }
            count += source.count
        }
    }

    /// Four bytes per index: `words[index]` in memory order (a tab and a
    /// three-character genotype), for a whole row of genotypes in one tight loop.
    func appendWords(_ indices: [UInt8], from words: [UInt32]) {
        var cursor = UnsafeMutableRawPointer(buffer + count)
        words.withUnsafeBufferPointer { table in
            indices.withUnsafeBufferPointer { codes in
                for code in codes {
                    cursor.storeBytes(of: table[Int(code)], as: UInt32.self)
                    cursor += 4
                }
            }
        }
        count += 4 * indices.count
    }

    /// A non-negative integer in decimal.
    func appendDecimal(_ value: Int) {
        precondition(value >= 0)
        var digits = 1
        var rest = value / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        var remaining = value
        for offset in stride(from: digits - 1, through: 0, by: -1) {
            buffer[count + offset] = 0x30 + UInt8(remaining % 10)
            remaining /= 10
        }
        count += digits
    }

    /// A non-negative number rounded to `decimals` places (0...6), e.g. `99.87`.
    func appendFixed(_ value: Double, decimals: Int) {
        var scale = 1
        for _ in 0..<decimals { scale *= 10 }
        let scaled = Int((value * Double(scale)).rounded())
        appendDecimal(scaled / scale)
        guard decimals > 0 else { return }
        append(0x2E)
        var fraction = scaled % scale
        for offset in stride(from: decimals - 1, through: 0, by: -1) {
            buffer[count + offset] = 0x30 + UInt8(fraction % 10)
            fraction /= 10
        }
        count += decimals
    }

    /// Writes the buffered bytes to the file.
    func flush() throws(DemoCohortError) {
        var offset = 0
        while offset < count {
            let written = write(descriptor, buffer + offset, count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw DemoCohortError(.writeFailed, "cannot write \(partialPath): \(Self.systemError())")
            }
            offset += written
        }
        bytesWritten += count
        count = 0
    }

    /// Flushes, closes and renames the file to its final name.
    func finish() throws(DemoCohortError) {
        try flush()
        let closed = close(descriptor)
        descriptor = -1
        guard closed == 0 else {
            unlink(partialPath)
            throw DemoCohortError(.writeFailed, "cannot close \(partialPath): \(Self.systemError())")
        }
        guard rename(partialPath, path) == 0 else {
            let reason = Self.systemError()
            unlink(partialPath)
            throw DemoCohortError(.writeFailed, "cannot rename \(partialPath) to \(path): \(reason)")
        }
    }

    private static func systemError() -> String {
        String(cString: strerror(errno))
    }
}
