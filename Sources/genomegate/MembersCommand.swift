import ArgumentParser
import Foundation
import GatewayCore
import GatewayPolicy
import PolicyStore

/// `genomegate members`: registered members and their certificates, for the local operator.
struct MembersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "members",
        abstract: "List, register, suspend, reinstate and revoke members.",
        subcommands: [List.self, Register.self, Suspend.self, Reinstate.self, Revoke.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print every member, one JSON object per line.")
        @OptionGroup var store: PolicyStoreOptions
        func run() throws {
            for member in try store.open().snapshot.state.members.values.sorted(by: { $0.id < $1.id }) {
                print(try PolicyJSON.encode(member))
            }
        }
    }

    struct Register: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register a member from a JSON or YAML file (the fields of policy/members.yaml).")
        @Argument(help: "The member, JSON or YAML.") var file: String
        @OptionGroup var store: PolicyStoreOptions
        func run() throws { try store.apply(.registerMember(try RecordFile.decode(Member.self, file))) }
    }

    struct Suspend: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Suspend a member (refused from the next request).")
        @Argument(help: "Member id.") var id: String
        @Option(help: "Why, for the history.") var reason: String?
        @OptionGroup var store: PolicyStoreOptions
        func run() throws { try store.apply(StatusChange.member(id, .suspend, reason)) }
    }

    struct Reinstate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reinstate a suspended member.")
        @Argument(help: "Member id.") var id: String
        @Option(help: "Why, for the history.") var reason: String?
        @OptionGroup var store: PolicyStoreOptions
        func run() throws { try store.apply(StatusChange.member(id, .reinstate, reason)) }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a member for good.")
        @Argument(help: "Member id.") var id: String
        @Option(help: "Why, for the history.") var reason: String?
        @OptionGroup var store: PolicyStoreOptions
        func run() throws { try store.apply(StatusChange.member(id, .revoke, reason)) }
    }
}

/// `genomegate withdrawals`: consent withdrawals reported by hospitals.
struct WithdrawalsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "withdrawals",
        abstract: "Record consent withdrawals (they count from the gateway's next request).",
        subcommands: [Import.self, Add.self]
    )

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record every withdrawal of a CSV file (header participant_id[,effective_at]); idempotent."
        )
        @Argument(help: "CSV file.") var file: String
        @OptionGroup var store: PolicyStoreOptions
        func run() throws {
            guard let text = String(validating: try PolicyFailure.read(file), as: UTF8.self) else {
                FileHandle.standardError.write(Data("genomegate: error: \(file) is not UTF-8 text\n".utf8))
                throw ExitCode(65)
            }
            let withdrawals = try PolicyFailure.run { () throws(GatewayError) in try WithdrawalCSV.parse(text, source: file, now: Date()) }
            try record(withdrawals, store)
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record one withdrawal.")
        @Argument(help: "Participant id.") var participant: String
        @Option(name: .customLong("effective-at"), help: "When the patient withdrew (date or RFC 3339; default now).") var effectiveAt: String?
        @OptionGroup var store: PolicyStoreOptions
        func run() throws {
            var effective = Date()
            if let effectiveAt {
                guard let parsed = PolicyTime.parse(effectiveAt) else { throw ValidationError("--effective-at '\(effectiveAt)' is not a date or an RFC 3339 time") }
                effective = parsed
            }
            guard PolicyValidation.isParticipantID(participant) else {
                throw ValidationError("participant id '\(participant.prefix(80))' must be 1 to 128 printable ASCII characters without commas or quotes")
            }
            try record([Withdrawal(participantID: participant, effectiveAt: effective)], store)
        }
    }

    static func record(_ withdrawals: [Withdrawal], _ store: PolicyStoreOptions) throws {
        let database = try store.open()
        let before = database.snapshot.withdrawnParticipants
        let fresh = Set(withdrawals.map(\.participantID)).subtracting(before)
        guard !fresh.isEmpty else {
            print("genomegate: all \(Set(withdrawals.map(\.participantID)).count) participant(s) were already withdrawn; nothing to record")
            return
        }
        try store.apply(.recordWithdrawals(withdrawals))
    }
}
