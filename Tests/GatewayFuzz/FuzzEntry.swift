import Foundation

// Two ways in:
// - built with `-sanitize=fuzzer -D GATEWAY_FUZZ` (scripts/fuzz): `main` hands the command line
//   to libFuzzer's driver, which feeds inputs to the target `GATEWAY_FUZZ_TARGET` names;
// - a plain build: `GatewayFuzz TARGET FILE|DIR...` replays inputs (crash seeds, a corpus)
//   through the same target without libFuzzer.
// (`main` is ours rather than libFuzzer's because SwiftPM links executables with
// `--defsym main=<module>_main`.)

/// libFuzzer's entry: feeds one input to the target `GATEWAY_FUZZ_TARGET` names.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = count > 0 && start != nil ? Data(bytes: start!, count: count) : Data()
    FuzzTargets.selected.run(data)
    return 0
}

#if GATEWAY_FUZZ
/// libFuzzer's driver (`libclang_rt.fuzzer`), for a program with its own `main`.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt
#endif

@main
enum FuzzMain {
    static func main() {
        #if GATEWAY_FUZZ
        _ = FuzzTargets.selected
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(runFuzzerDriver(&argc, &argv) { start, count in fuzzTestOneInput(start, count) })
        #else
        replay()
        #endif
    }

    static func replay() {
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
