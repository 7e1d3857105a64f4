import Foundation

// Two ways in:
// - built with `-sanitize=fuzzer -D GATEWAY_FUZZ` (scripts/fuzz): libFuzzer's `main` drives
//   `LLVMFuzzerTestOneInput`, and `GATEWAY_FUZZ_TARGET` names the parser;
// - a plain build: `GatewayFuzz TARGET FILE...` replays inputs (crash seeds, a corpus) through
//   the same target without libFuzzer.

/// libFuzzer's entry: feeds one input to the target `GATEWAY_FUZZ_TARGET` names.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = count > 0 && start != nil ? Data(bytes: start!, count: count) : Data()
    FuzzTargets.selected.run(data)
    return 0
}

#if !GATEWAY_FUZZ
@main
enum FuzzReplay {
    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        guard let name = arguments.first, let target = FuzzTargets.all[name] else {
            print("usage: GatewayFuzz TARGET FILE|DIR...\ntargets: \(FuzzTargets.all.keys.sorted().joined(separator: " "))")
            exit(2)
        }
        var count = 0
        for path in arguments.dropFirst() {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                print("no such file: \(path)")
                exit(2)
            }
            let files = isDirectory.boolValue
                ? ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted().map { path + "/" + $0 }
                : [path]
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else { continue }
                target.run(data)
                count += 1
            }
        }
        print("\(name): \(count) input(s) ran clean")
    }
}
#endif
