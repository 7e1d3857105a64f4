import Foundation
import GatewayCore
import GatewayPolicy
import PolicyStore

/// Policy files as `genomegate policy import` reads them: the first input byte picks the file
/// (organizations, members, datasets, approvals, jurisdictions YAML or withdrawals CSV), the
/// rest is its text. `PolicyImport` reads a folder, so each input is written to one scratch
/// folder per process; then the import is checked against an empty stored policy.
enum PolicyYAMLFuzz {
    static let files = ["organizations.yaml", "members.yaml", "datasets.yaml", "approvals.yaml", "jurisdictions.yaml", "withdrawals.csv"]

    static let folder: String = {
        let path = NSTemporaryDirectory() + "/genomegate-fuzz-policy-\(getpid())"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    static let target = FuzzTarget(name: "policy-yaml") { data in
        guard let selector = data.first else { return }
        let name = files[Int(selector) % files.count]
        let path = folder + "/" + name
        guard FileManager.default.createFile(atPath: path, contents: data.dropFirst()) else { fuzzFailure("cannot write \(path)") }
        defer { try? FileManager.default.removeItem(atPath: path) }
        guard let imported = try? PolicyImport(folder: folder, now: Date(timeIntervalSince1970: 1_780_000_000)) else { return }
        _ = imported.problems(applyingTo: PolicyState())
    }
}
