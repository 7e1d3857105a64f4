import Foundation
import GatewayCore

/// The gateway's data folder: pid file, reload status and (later) the databases.
public struct GatewayDataDirectory: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    public var pidFile: String { path + "/genomegate.pid" }
    public var reloadStatusFile: String { path + "/reload-status.json" }

    /// Creates the folder (0700) if needed and checks that it can be written.
    public func prepare() throws(GatewayError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw GatewayError(.invalidConfiguration, "data_dir \(path) cannot be created: \(error.localizedDescription)")
        }
        guard FileManager.default.isWritableFile(atPath: path) else {
            throw GatewayError(.invalidConfiguration, "data_dir \(path) is not writable")
        }
    }

    public func writePID(_ pid: Int32) throws {
        try atomicWrite(Data("\(pid)\n".utf8), to: pidFile)
    }

    public func removePID() {
        try? FileManager.default.removeItem(atPath: pidFile)
    }

    public func readPID() -> Int32? {
        guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8) else { return nil }
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// The outcome of the most recent reload, for `genomegate reload` to report.
    public struct ReloadStatus: Codable, Sendable, Equatable {
        public var sequence: Int
        public var succeeded: Bool
        public var message: String
        public var time: Date
    }

    public func writeReloadStatus(_ status: ReloadStatus) throws {
        let encoder = JSONEncoder.gateway
        try atomicWrite(try encoder.encode(status), to: reloadStatusFile)
    }

    public func readReloadStatus() -> ReloadStatus? {
        guard let data = FileManager.default.contents(atPath: reloadStatusFile) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(ReloadStatus.self, from: data)
    }

    private func atomicWrite(_ data: Data, to file: String) throws {
        try data.write(to: URL(fileURLWithPath: file), options: .atomic)
    }
}
