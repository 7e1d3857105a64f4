import ArgumentParser
import Foundation
import GatewayCore
import GatewayPolicy
import PolicyStore

/// `genomegate policy`: bootstrap the policy store from files, read its history.
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Import policy files into the policy store; show the policy and its history.",
        subcommands: [Import.self, Show.self, History.self, PolicyBenchCommand.self]
    )

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create or update records from a folder of policy files (example: policy/).",
            discussion: """
                Reads organizations.yaml, members.yaml, datasets.yaml, approvals.yaml, jurisdictions.yaml \
                and withdrawals.csv (each optional). Records in the files are created or replaced; nothing \
                absent from them is removed; withdrawals are only added. The whole import is one change: \
                any problem (named with file, line and field) and nothing is applied.
                """
        )
        @Argument(help: "Folder with the policy files.") var folder: String
        @OptionGroup var store: PolicyStoreOptions

        func run() throws {
            let imported = try PolicyFailure.run { () throws(GatewayError) in try PolicyImport(folder: folder) }
            let database = try store.open()
            let problems = imported.problems(applyingTo: database.snapshot.state)
            guard problems.isEmpty else {
                FileHandle.standardError.write(Data(("genomegate: error: nothing was imported:\n" + problems.map { "  \($0)\n" }.joined()).utf8))
                throw ExitCode(65)
            }
            let change = PolicyChange.importing(imported.state, from: folder)
            do {
                let receipt = try database.apply(change, actor: store.actorName, channel: "import")
                print("genomegate: policy version \(receipt.version): imported \(folder) (\(receipt.changed.count) records created or changed)")
            } catch where error.code == .conflict {
                print("genomegate: \(folder) matches the stored policy; version \(database.snapshot.version) stays in force")
            } catch {
                _ = try PolicyFailure.run { () throws(GatewayError) in throw error }
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the policy version and what it holds.")
        @OptionGroup var store: PolicyStoreOptions

        func run() throws {
            let snapshot = try store.open().snapshot
            let state = snapshot.state
            print("policy version \(snapshot.version)")
            print("organizations \(state.organizations.count), members \(state.members.count), approvals \(state.approvals.count) (\(state.approvals.values.filter { $0.status == .active }.count) active), datasets \(state.datasets.count), equivalent jurisdictions \(state.jurisdictions.count), withdrawals \(state.withdrawals.count)")
        }
    }

    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print policy changes, oldest first, one JSON object per line.")
        @OptionGroup var store: PolicyStoreOptions
        @Option(help: "Only records of this kind (organization, member, approval, dataset, jurisdiction, withdrawal).") var kind: String?
        @Option(help: "Only the record with this id.") var id: String?
        @Option(name: .customLong("after-version"), help: "Only changes after this policy version.") var afterVersion: Int = 0
        @Option(help: "At most this many entries.") var limit: Int = 1000

        func run() throws {
            var query = PolicyDatabase.HistoryQuery(id: id, afterVersion: afterVersion, limit: limit)
            if let kind {
                guard let parsed = PolicyEntityKind(rawValue: kind) else {
                    throw ValidationError("--kind '\(kind)' is not one of \(PolicyEntityKind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                query.kind = parsed
            }
            let database = try store.open()
            for entry in try PolicyFailure.run({ () throws(GatewayError) in try database.history(query) }) {
                print(try PolicyJSON.encode(entry))
            }
        }
    }
}
