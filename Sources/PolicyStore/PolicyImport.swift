import Foundation
import GatewayCore
import GatewayPolicy
import Yams

/// Reads a folder of policy files (see policy/): `organizations.yaml`, `members.yaml`,
/// `datasets.yaml`, `approvals.yaml`, `jurisdictions.yaml` and `withdrawals.csv`, each
/// optional but at least one present.
///
/// Every error names the file, the line and the field. ``problems(applying:to:)`` checks the
/// result against the policy already stored, so a bad import is refused before anything
/// is written.
public struct PolicyImport {
    public let folder: String
    public let state: PolicyState
    /// Where each record came from: kind and id -> file and entry index.
    private let sources: [Key: Source]
    private let locators: [String: YAMLLocator]

    private struct Key: Hashable {
        var kind: PolicyEntityKind
        var id: String
    }

    private struct Source {
        var file: String
        var root: String
        var index: Int
    }

    /// The YAML files an import reads, with their top-level key.
    static let files: [(name: String, root: String, kind: PolicyEntityKind)] = [
        ("organizations.yaml", "organizations", .organization),
        ("members.yaml", "members", .member),
        ("datasets.yaml", "datasets", .dataset),
        ("approvals.yaml", "approvals", .approval),
        ("jurisdictions.yaml", "equivalent", .jurisdiction),
    ]
    public static let withdrawalsFile = "withdrawals.csv"

    /// Reads and parses every policy file in `folder`.
    public init(folder: String, now: Date = Date()) throws(GatewayError) {
        self.folder = folder
        var state = PolicyState()
        var sources: [Key: Source] = [:]
        var locators: [String: YAMLLocator] = [:]
        var found = 0
        for file in Self.files {
            let path = (folder as NSString).appendingPathComponent(file.name)
            guard FileManager.default.fileExists(atPath: path) else { continue }
            found += 1
            let text = try Self.read(path)
            let locator = YAMLLocator(text)
            locators[file.name] = locator
            let ids: [String]
            switch file.kind {
            case .organization:
                let list = try Self.decode([Organization].self, text, file: file, locator: locator)
                ids = list.map(\.id)
                for item in list { state.organizations[item.id] = item }
            case .member:
                let list = try Self.decode([Member].self, text, file: file, locator: locator)
                ids = list.map(\.id)
                for item in list { state.members[item.id] = item }
            case .dataset:
                let list = try Self.decode([Dataset].self, text, file: file, locator: locator)
                ids = list.map(\.id)
                for item in list { state.datasets[item.id] = item }
            case .approval:
                let list = try Self.decode([Approval].self, text, file: file, locator: locator)
                ids = list.map(\.id)
                for item in list { state.approvals[item.id] = item }
            case .jurisdiction:
                let list = try Self.decode([EquivalentJurisdiction].self, text, file: file, locator: locator)
                ids = list.map(\.country)
                for item in list { state.jurisdictions[item.country] = item }
            case .withdrawal:
                ids = []
            }
            for (index, id) in ids.enumerated() {
                let key = Key(kind: file.kind, id: id)
                if let first = sources[key] {
                    let line = locator.line(of: [.key(file.root), .index(index)]).map { " line \($0)" } ?? ""
                    throw GatewayError(.invalidPolicy, "\(file.name)\(line): \(file.kind.rawValue) '\(id.prefix(64))' is listed twice (first as entry \(first.index + 1))")
                }
                sources[key] = Source(file: file.name, root: file.root, index: index)
            }
        }
        let withdrawalsPath = (folder as NSString).appendingPathComponent(Self.withdrawalsFile)
        if FileManager.default.fileExists(atPath: withdrawalsPath) {
            found += 1
            for withdrawal in try WithdrawalCSV.parse(try Self.read(withdrawalsPath), source: Self.withdrawalsFile, now: now)
            where state.withdrawals[withdrawal.participantID] == nil {
                state.withdrawals[withdrawal.participantID] = withdrawal
            }
        }
        guard found > 0 else {
            throw GatewayError(.invalidPolicy, "\(folder) holds none of the policy files (\((Self.files.map(\.name) + [Self.withdrawalsFile]).joined(separator: ", ")))")
        }
        self.state = state
        self.sources = sources
        self.locators = locators
    }

    /// What would be wrong with the stored policy `current` after this import, each naming
    /// file, line and field where the record came from the files.
    public func problems(applyingTo current: PolicyState) -> [String] {
        var merged = current
        let now = Date()
        do {
            try PolicyChange.importing(state, from: folder).edit(&merged, now)
        } catch {
            return [error.message]
        }
        return PolicyValidation.problems(in: merged, changedFrom: current, now: now).map(describe)
    }

    private func describe(_ problem: PolicyProblem) -> String {
        guard let source = sources[Key(kind: problem.kind, id: problem.id)] else { return "stored policy: \(problem)" }
        var path: [YAMLLocator.Step] = [.key(source.root), .index(source.index)]
        if let field = problem.field { path += YAMLLocator.steps(field: field) }
        let line = locators[source.file]?.line(of: path).map { " line \($0)" } ?? ""
        return "\(source.file)\(line): \(problem)"
    }

    private static func read(_ path: String) throws(GatewayError) -> String {
        do { return ByteOrderMark.removed(from: try String(contentsOfFile: path, encoding: .utf8)) } catch {
            throw GatewayError(.invalidPolicy, "\(path) cannot be read: \(error.localizedDescription)")
        }
    }

    private struct AnyRoot: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Decodes `{ROOT: [...]}` strictly (the root key only), reporting the line of any error.
    private static func decode<Value: Decodable>(
        _ type: Value.Type, _ text: String, file: (name: String, root: String, kind: PolicyEntityKind), locator: YAMLLocator
    ) throws(GatewayError) -> Value {
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw GatewayError(.invalidPolicy, "\(file.name): the file is empty; it needs a top-level '\(file.root):' list")
            }
            guard case .mapping(let mapping) = node else {
                throw GatewayError(.invalidPolicy, "\(file.name) line \(node.mark?.line ?? 1): the top level must be a mapping with '\(file.root):'")
            }
            for key in mapping.keys where key.string != file.root {
                throw GatewayError(.invalidPolicy, "\(file.name) line \(key.mark?.line ?? 1): unknown top-level key '\(key.string ?? "?")' (expected '\(file.root)')")
            }
            guard let list = mapping[file.root] else {
                throw GatewayError(.invalidPolicy, "\(file.name): missing the top-level '\(file.root):' list")
            }
            return try YAMLDecoder().decode(Value.self, from: list, userInfo: [:])
        } catch let error as GatewayError {
            throw error
        } catch let error as DecodingError {
            let (path, message) = describe(error)
            let steps = [YAMLLocator.Step.key(file.root)] + YAMLLocator.steps(path)
            let line = locator.line(of: steps).map { " line \($0)" } ?? ""
            let field = YAMLLocator.describe(path)
            return try fail("\(file.name)\(line)\(field.isEmpty ? "" : ", field \(file.root)\(field.hasPrefix("[") ? "" : ".")\(field)"): \(message)")
        } catch let error as YamlError {
            return try fail("\(file.name)\(YAMLLocator.position(of: error)): not valid YAML: \(YAMLLocator.problem(of: error))")
        } catch {
            return try fail("\(file.name): \(error)")
        }
    }

    private static func fail<T>(_ message: String) throws(GatewayError) -> T {
        throw GatewayError(.invalidPolicy, message)
    }

    /// The coding path and a sentence for a decoding error.
    static func describe(_ error: DecodingError) -> ([any CodingKey], String) {
        switch error {
        case .keyNotFound(let key, let context):
            return (context.codingPath + [key], "missing field '\(key.stringValue)'")
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return (context.codingPath, "wrong type: \(context.debugDescription)")
        case .dataCorrupted(let context):
            return (context.codingPath, context.debugDescription)
        @unknown default:
            return ([], "\(error)")
        }
    }
}
