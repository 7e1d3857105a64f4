#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import GatewayCore

extension CellKeyPerturbation {
    /// Reads the perturbation secret from `path`, or creates it on first start.
    ///
    /// An existing file must be a regular file (not a link) of exactly ``secretLength`` bytes
    /// with no access for group or others (mode 0600 or 0400). A missing file is created with
    /// ``secretLength`` bytes from the system's secure random generator, mode 0600, atomically
    /// (written and synced under a temporary name, then linked into place, so a crash never
    /// leaves a short key and two processes starting at once agree on one key).
    ///
    /// Keep the file: a new key changes every perturbed count, which lets someone compare
    /// answers given before and after and average the noise away.
    ///
    /// - Throws: `invalid_configuration` naming the path, what is wrong and how to fix it.
    public static func loadOrCreateSecret(at path: String) throws(GatewayError) -> [UInt8] {
        for _ in 0..<3 {
            if let secret = try readSecret(at: path) { return secret }
            if let secret = try createSecret(at: path) { return secret }
            // Another process created the file between our read and create: read theirs.
        }
        throw GatewayError(.invalidConfiguration, "the privacy key \(path) keeps appearing and disappearing; make sure only one gateway uses this data folder")
    }

    /// The secret in `path`, or nil when there is no such file.
    private static func readSecret(at path: String) throws(GatewayError) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        if descriptor < 0 {
            let error = errno
            if error == ENOENT { return nil }
            if error == ELOOP {
                throw GatewayError(.invalidConfiguration, "the privacy key \(path) is a symbolic link; replace it with the key file itself (mode 0600)")
            }
            throw GatewayError(.invalidConfiguration, "cannot open the privacy key \(path): \(describe(error))")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw GatewayError(.invalidConfiguration, "cannot inspect the privacy key \(path): \(describe(errno))")
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw GatewayError(.invalidConfiguration, "the privacy key \(path) is not a regular file; move it away and restore the key file")
        }
        let permissions = status.st_mode & 0o777
        guard permissions & 0o077 == 0 else {
            throw GatewayError(.invalidConfiguration, "the privacy key \(path) is accessible to group or others (mode 0\(String(permissions, radix: 8))); run `chmod 600 \(path)`")
        }
        var bytes = [UInt8](repeating: 0, count: secretLength + 1)
        var filled = 0
        while filled < bytes.count {
            let result = bytes.withUnsafeMutableBytes { buffer in
                read(descriptor, buffer.baseAddress! + filled, buffer.count - filled)
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw GatewayError(.invalidConfiguration, "cannot read the privacy key \(path): \(describe(errno))")
            }
            if result == 0 { break }
            filled += result
        }
        guard filled == secretLength else {
            let size = filled > secretLength ? "more than \(secretLength)" : "\(filled)"
            throw GatewayError(.invalidConfiguration, "the privacy key \(path) holds \(size) bytes, not \(secretLength); restore the original key file from backup (a new key changes every perturbed count), or, only if nothing was ever released with it, delete it so the gateway creates a new one")
        }
        return Array(bytes[0..<secretLength])
    }

    /// Creates the key file; nil when another process created it first.
    private static func createSecret(at path: String) throws(GatewayError) -> [UInt8]? {
        var generator = SystemRandomNumberGenerator()
        let secret = (0..<secretLength).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let temporary = "\(path).tmp-\(getpid())-\(UInt32.random(in: .min ... .max, using: &generator))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw GatewayError(.invalidConfiguration, "cannot create the privacy key next to \(path): \(describe(errno)); check that the data folder exists and is writable by the gateway")
        }
        var written = 0
        var failure: Int32?
        if fchmod(descriptor, 0o600) != 0 { failure = errno }
        while failure == nil, written < secret.count {
            let result = secret.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if result < 0 {
                if errno != EINTR { failure = errno }
            } else {
                written += result
            }
        }
        if failure == nil, fsync(descriptor) != 0 { failure = errno }
        close(descriptor)
        if let failure {
            unlink(temporary)
            throw GatewayError(.invalidConfiguration, "cannot write the privacy key \(path): \(describe(failure))")
        }
        // link() never replaces an existing file: if another process won, keep its key.
        if link(temporary, path) != 0 {
            let error = errno
            if error == EEXIST {
                unlink(temporary)
                return nil
            }
            // File systems without hard links: rename (atomic, but may replace a racing key).
            if rename(temporary, path) != 0 {
                let renameError = errno
                unlink(temporary)
                throw GatewayError(.invalidConfiguration, "cannot put the privacy key in place at \(path): \(describe(renameError))")
            }
        } else {
            unlink(temporary)
        }
        syncDirectory(containing: path)
        return secret
    }

    /// Makes the new directory entry durable (best effort: the key is already complete).
    private static func syncDirectory(containing path: String) {
        let directory = path.lastIndex(of: "/").map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    private static func describe(_ error: Int32) -> String {
        String(cString: strerror(error))
    }
}
