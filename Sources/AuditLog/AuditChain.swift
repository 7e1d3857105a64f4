import COpenSSL
import Foundation
import GatewayCore

/// The hash chain: each record's hash is SHA-256(previous hash || canonical record), the
/// first record's previous hash 32 zero bytes. Changing, removing, inserting or reordering
/// any record changes every later hash.
public enum AuditChain {
    /// The previous hash of sequence 1.
    public static let genesis = [UInt8](repeating: 0, count: 32)

    /// SHA-256(`previous` || `canonical`).
    public static func hash(previous: [UInt8], canonical: String) -> [UInt8] {
        var input = previous
        input.append(contentsOf: canonical.utf8)
        return sha256(input)
    }

    /// OpenSSL's SHA-256, fetched from its provider once: `EVP_sha256()` would look it up again
    /// on every digest (a provider search behind locks), once per record on the writer's path.
    nonisolated(unsafe) private static let sha256Algorithm: OpaquePointer? = EVP_MD_fetch(nil, "SHA256", nil)

    /// SHA-256 through OpenSSL's EVP interface.
    public static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let ok = digest.withUnsafeMutableBufferPointer { output in
            bytes.withUnsafeBytes { input in
                EVP_Digest(input.baseAddress, input.count, output.baseAddress, &length, sha256Algorithm ?? EVP_sha256(), nil)
            }
        }
        precondition(ok == 1 && length == 32, "OpenSSL SHA-256 failed")
        return digest
    }

    /// Lowercase hex.
    public static func hex(_ bytes: [UInt8]) -> String { HexEncoding.string(bytes) }

    /// Bytes from lowercase or uppercase hex, or nil.
    public static func bytes(hex: String) -> [UInt8]? {
        let characters = Array(hex.utf8)
        guard characters.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(characters.count / 2)
        var index = 0
        while index < characters.count {
            guard let high = nibble(characters[index]), let low = nibble(characters[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case 0x30...0x39: character - 0x30
        case 0x61...0x66: character - 0x61 + 10
        case 0x41...0x46: character - 0x41 + 10
        default: nil
        }
    }
}
