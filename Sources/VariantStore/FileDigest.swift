import COpenSSL
import Dispatch
import Foundation
import GatewayCore

/// SHA-256 of a file's bytes (OpenSSL's EVP digest), used to refuse ingesting the same content twice.
enum FileDigest {
    /// The lowercase hex SHA-256 of the file at `path`, read in 1 MiB chunks.
    static func sha256(ofFile path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw VariantStoreError(.unreadableFile, "Cannot open \(path): the file does not exist or is not readable.")
        }
        defer { try? handle.close() }
        guard let context = EVP_MD_CTX_new() else {
            throw VariantStoreError(.unreadableFile, "Cannot hash \(path): out of memory.")
        }
        defer { EVP_MD_CTX_free(context) }
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        do {
            guard EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1 else { throw DigestFailure() }
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                let updated = chunk.withUnsafeBytes { EVP_DigestUpdate(context, $0.baseAddress, $0.count) }
                guard updated == 1 else { throw DigestFailure() }
            }
            guard EVP_DigestFinal_ex(context, &digest, &length) == 1 else { throw DigestFailure() }
        } catch {
            throw VariantStoreError(.unreadableFile, "Cannot read \(path): \(error is DigestFailure ? "OpenSSL could not compute its SHA-256" : error.localizedDescription).")
        }
        return HexEncoding.string(digest.prefix(Int(length)))
    }

    private struct DigestFailure: Error {}

    /// A digest computed on its own thread while the caller reads the file too (ingest parses
    /// it with htslib meanwhile); ``value()`` waits for it.
    final class Pending: @unchecked Sendable {
        private let done = DispatchSemaphore(value: 0)
        // Written once by the hashing thread before `done` is signalled; read only after waiting.
        private var result: Result<String, any Error> = .success("")

        init(path: String) {
            let thread = Thread { [self] in
                result = Result { try FileDigest.sha256(ofFile: path) }
                done.signal()
            }
            thread.name = "genomegate-sha256"
            thread.start()
        }

        /// The hex digest, or the error that stopped it.
        func value() throws -> String {
            done.wait()
            done.signal()  // later calls return at once
            return try result.get()
        }
    }
}
