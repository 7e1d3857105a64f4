import ArgumentParser
import Foundation
import GatewayCore
import GatewayPolicy
import PolicyStore
import Yams

/// `genomegate approvals`: the committee's decisions, for the local operator.
struct ApprovalsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approvals",
        abstract: "List, create, amend, suspend, reinstate and revoke committee approvals.",
        subcommands: [List.self, Create.self, Amend.self, Suspend.self, Reinstate.self, Revoke.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print every approval, one JSON object per line.")
        @OptionGroup var store: PolicyStoreOptions
        func run() throws {
            for approval in try store.open().snapshot.state.approvals.values.sorted(by: { $0.id < $1.id }) {
                print(try PolicyJSON.encode(approval))
            }
        }
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a new approval from a JSON or YAML file (the fields of policy/approvals.yaml).")
        @Argument(help: "The approval, JSON or YAML.") var file: String
        @OptionGroup var store: PolicyStoreOptions
        func run() throws {
            let approval = try RecordFile.decode(Approval.self, file)
            try store.apply(.createApproval(approval))
        }
    }

    struct Amend: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change fields of an approval from a JSON object of the fields to change.")
        @Argument(help: "Approval id.") var id: String
        @Argument(help: "JSON file with the fields to change (not id or status).") var file: String
        @OptionGroup var store: PolicyStoreOptions
        func run() throws {
            let patch = try PolicyFailure.read(file)
            let what = "amendment of approval \(id)"
            try store.apply(.amendApproval(id) { current throws(GatewayError) in try ApprovalPatch.merge(patch, into: current, what: what) })
        }
    }

    struct Suspend: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Suspend an active approval (queries under it are refused from the next request).")
        @Argument(help: "Approval id.") var id: String
        @Option(help: "Why, for the history.") var reason: String?
        @OptionGroup var store: PolicyStoreOptions
        func run() throws { try store.apply(StatusChange.approval(id, .suspend, reason)) }
    }

    struct Reinstate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reinstate a suspended approval.")
        @Argument(help: "Approval id.") var id: String
        @Option(help: "Why, for the history.") var reason: String?
        @OptionGroup var store: PolicyStoreOptions
        func run() throws { try store.apply(StatusChange.approval(id, .reinstate, reason)) }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke an approval for good.")
        @Argument(help: "Approval id.") var id: String
        @Option(help: "Why, for the history.") var reason: String?
        @OptionGroup var store: PolicyStoreOptions
        func run() throws { try store.apply(StatusChange.approval(id, .revoke, reason)) }
    }
}

/// Status changes with an optional reason in the history summary.
enum StatusChange {
    static func approval(_ id: String, _ action: PolicyChange.StatusAction, _ reason: String?) -> PolicyChange {
        var change = PolicyChange.approvalStatus(id, action)
        if let reason { change.summary += ": " + reason }
        return change
    }

    static func member(_ id: String, _ action: PolicyChange.StatusAction, _ reason: String?) -> PolicyChange {
        var change = PolicyChange.memberStatus(id, action)
        if let reason { change.summary += ": " + reason }
        return change
    }
}

/// One record from a JSON or YAML file, strictly decoded; errors name the field.
enum RecordFile {
    static func decode<Value: Decodable>(_ type: Value.Type, _ path: String) throws -> Value {
        let data = try PolicyFailure.read(path)
        if path.hasSuffix(".yaml") || path.hasSuffix(".yml") {
            do {
                return try YAMLDecoder().decode(Value.self, from: data)
            } catch {
                FileHandle.standardError.write(Data("genomegate: error: \(path): \(YAMLErrorText.describe(error))\n".utf8))
                throw ExitCode(65)
            }
        }
        return try PolicyFailure.run { () throws(GatewayError) in try PolicyJSON.decode(Value.self, from: data, what: path) }
    }
}
