import DisclosureControl
import Foundation
import GatewayCore
import Testing

@Suite("Privacy key file")
struct PrivacyKeyFileTests {
    /// A fresh temporary folder, removed after `body`.
    func withTemporaryFolder(_ body: (String) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("privacy-key-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try body(folder)
    }

    func permissions(_ path: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    func expectRefused(_ path: String, mentioning fragments: [String]) {
        do {
            let secret = try CellKeyPerturbation.loadOrCreateSecret(at: path)
            Issue.record("accepted \(path), got \(secret.count) bytes")
        } catch {
            #expect(error.code == .invalidConfiguration)
            for fragment in fragments { #expect(error.message.contains(fragment), "\(error.message)") }
        }
    }

    @Test("first start creates 32 random bytes, mode 0600, and later starts read the same bytes")
    func createThenRead() throws {
        try withTemporaryFolder { folder in
            let path = folder + "/privacy.key"
            let created = try CellKeyPerturbation.loadOrCreateSecret(at: path)
            #expect(created.count == 32)
            #expect(Set(created).count > 8, "random bytes, not a constant")
            #expect(try permissions(path) == 0o600)
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(created))
            #expect(try CellKeyPerturbation.loadOrCreateSecret(at: path) == created)
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["privacy.key"], "no temporary file left")
            // The key is usable.
            _ = try CellKeyPerturbation(secret: created)
        }
    }

    @Test("two data folders get different keys")
    func differentFolders() throws {
        try withTemporaryFolder { first in
            try withTemporaryFolder { second in
                let one = try CellKeyPerturbation.loadOrCreateSecret(at: first + "/privacy.key")
                let other = try CellKeyPerturbation.loadOrCreateSecret(at: second + "/privacy.key")
                #expect(one != other)
            }
        }
    }

    @Test("processes starting at once agree on one key")
    func concurrentCreators() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("privacy-key-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/privacy.key"
        let secrets = try await withThrowingTaskGroup(of: [UInt8].self) { group in
            for _ in 0..<16 { group.addTask { try CellKeyPerturbation.loadOrCreateSecret(at: path) } }
            return try await group.reduce(into: Set<[UInt8]>()) { $0.insert($1) }
        }
        #expect(secrets.count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["privacy.key"])
    }

    @Test("a key file of the wrong size is refused, naming the path and the fix", arguments: [0, 31, 33, 4096])
    func wrongSize(size: Int) throws {
        try withTemporaryFolder { folder in
            let path = folder + "/privacy.key"
            #expect(FileManager.default.createFile(atPath: path, contents: Data(repeating: 1, count: size), attributes: [.posixPermissions: 0o600]))
            expectRefused(path, mentioning: [path, "not 32", "restore"])
            let left = try Data(contentsOf: URL(fileURLWithPath: path))
            #expect(left.count == size, "the file is left as it was")
        }
    }

    @Test("a key file readable by group or others is refused, naming chmod", arguments: [0o644, 0o640, 0o604, 0o660, 0o602])
    func openMode(mode: Int) throws {
        try withTemporaryFolder { folder in
            let path = folder + "/privacy.key"
            #expect(FileManager.default.createFile(atPath: path, contents: Data(repeating: 1, count: 32)))
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
            expectRefused(path, mentioning: [path, "chmod 600 \(path)", "0" + String(mode, radix: 8)])
        }
    }

    @Test("a read-only key (0400) is accepted")
    func readOnly() throws {
        try withTemporaryFolder { folder in
            let path = folder + "/privacy.key"
            let bytes = (0..<32).map { UInt8($0 * 3) }
            #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes), attributes: [.posixPermissions: 0o400]))
            let read = try CellKeyPerturbation.loadOrCreateSecret(at: path)
            #expect(read == bytes)
        }
    }

    @Test("a symbolic link, a folder, or a missing data folder is refused with the path")
    func notAFile() throws {
        try withTemporaryFolder { folder in
            let target = folder + "/real.key"
            #expect(FileManager.default.createFile(atPath: target, contents: Data(repeating: 1, count: 32), attributes: [.posixPermissions: 0o600]))
            try FileManager.default.createSymbolicLink(atPath: folder + "/link.key", withDestinationPath: target)
            expectRefused(folder + "/link.key", mentioning: [folder + "/link.key", "symbolic link"])
            try FileManager.default.createDirectory(atPath: folder + "/dir.key", withIntermediateDirectories: false)
            expectRefused(folder + "/dir.key", mentioning: [folder + "/dir.key", "not a regular file"])
            expectRefused(folder + "/missing/privacy.key", mentioning: [folder + "/missing/privacy.key", "data folder exists"])
        }
    }
}
