import ArgumentParser
import GatewayCore

/// `genomegate`: the gateway and its operator commands.
struct GenomeGateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "genomegate",
        abstract: "Mutual-TLS gateway to aggregate cancer whole-genome data.",
        version: GatewayVersion.string,
        subcommands: [ServeCommand.self, ReloadCommand.self, VersionCommand.self, IngestCommand.self, SamplesCommand.self, DemoDataCommand.self,
                      PolicyCommand.self, ApprovalsCommand.self, MembersCommand.self, WithdrawalsCommand.self, AuditCommand.self, AnalysesCommand.self,
                      PrivacyBenchCommand.self]
    )
}
