import Foundation

/// One parser under fuzzing: `run` must return for every input. A crash, a trap, an error of
/// an unexpected type, a hang or unbounded memory is a finding; so is a broken property check
/// (``fuzzFailure(_:)``).
struct FuzzTarget: Sendable {
    var name: String
    var run: @Sendable (Data) -> Void
}

enum FuzzTargets {
    /// Every target by name (the names `scripts/fuzz` and the corpus folders use).
    static let all: [String: FuzzTarget] = Dictionary(uniqueKeysWithValues: [
        BeaconFuzz.query, BeaconFuzz.body,
        SampleSheetFuzz.target,
        WithdrawalCSVFuzz.target,
        PolicyYAMLFuzz.target,
        AdminBodyFuzz.target, AdminBodyFuzz.approvalPatch,
        ConfigurationFuzz.target,
        JSONParserFuzz.target,
    ].map { ($0.name, $0) })

    /// The target `GATEWAY_FUZZ_TARGET` names; an unknown name stops the run at once.
    static let selected: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["GATEWAY_FUZZ_TARGET"] ?? ""
        guard let target = all[name] else {
            FileHandle.standardError.write(Data("GATEWAY_FUZZ_TARGET must name one of: \(all.keys.sorted().joined(separator: " ")) (got '\(name)')\n".utf8))
            exit(2)
        }
        return target
    }()
}

/// A property that must hold did not: stop with a message (libFuzzer saves the input).
func fuzzFailure(_ message: String, file: StaticString = #fileID, line: UInt = #line) -> Never {
    fatalError("fuzz property violated: \(message)", file: file, line: line)
}

extension Data {
    /// The input as UTF-8 text, or nil when it is not (the parsers' callers refuse such input first).
    var utf8Text: String? { String(validating: self, as: UTF8.self) }
}
