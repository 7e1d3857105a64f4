import ArgumentParser
import Foundation
import VisitingAnalyses

/// `genomegate analyses list`: the catalogue of the visiting analysis environment.
struct AnalysesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyses",
        abstract: "The vetted analyses of the visiting environment.",
        subcommands: [List.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print each analysis: its parameters, output and airlock rules (one JSON object per line with --json).")
        @Flag(help: "One JSON object per line.") var json = false

        func run() throws {
            for entry in AnalysisCatalogue.entries {
                if json {
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                    print(String(decoding: try encoder.encode(entry), as: UTF8.self))
                    continue
                }
                print("\(entry.name)\(entry.available ? "" : " (not yet submittable)")")
                print("  \(entry.summary)")
                print("  parameters:")
                for (name, description) in entry.parameters.sorted(by: { $0.key < $1.key }) { print("    \(name): \(description)") }
                print("  output: \(entry.output)")
                print("  airlock:")
                for rule in entry.airlock { print("    - \(rule)") }
            }
        }
    }
}
