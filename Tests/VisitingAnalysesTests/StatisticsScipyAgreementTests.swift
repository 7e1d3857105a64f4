import Foundation
import Testing
@testable import VisitingAnalyses

/// GenomeGate's statistics against scipy, computed in the test: 400 seeded random 2x2 tables
/// (small, unbalanced, with zeros, and up to thousands of people) go to
/// `scipy-agreement.py`, and every Fisher p (three alternatives), chi-square statistic and p,
/// and odds ratio with its interval must agree to a relative 1e-8. CI installs scipy
/// (scripts/install-deps --tests); without it this test fails saying so.
@Suite("Visiting analyses: statistics agree with scipy")
struct StatisticsScipyAgreementTests {
    /// A small seeded generator (SplitMix64), so every run checks the same tables.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func tables() -> [TwoByTwoTable] {
        var generator = SplitMix(state: 20261130)
        var tables: [TwoByTwoTable] = []
        while tables.count < 400 {
            let scale = [6, 30, 200, 3000][tables.count % 4]
            func cell() -> Int { Int.random(in: 0...scale, using: &generator) / (Bool.random(using: &generator) ? 1 : 3) }
            if let table = TwoByTwoTable(a: cell(), b: cell(), c: cell(), d: cell()), table.total > 0 { tables.append(table) }
        }
        return tables
    }

    static func close(_ mine: Double?, _ theirs: Double?) -> Bool {
        guard let mine, let theirs else { return mine == nil && theirs == nil }
        return abs(mine - theirs) <= 1e-8 * max(abs(mine), abs(theirs)) + 1e-300
    }

    @Test("400 random tables: Fisher (two-sided, less, greater), chi-square and odds ratios as scipy computes them")
    func agreement() throws {
        let tables = Self.tables()
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("scipy-agreement.py").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(Data(tables.map { "[\($0.a),\($0.b),\($0.c),\($0.d)]\n" }.joined().utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let problems = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "scipy-agreement.py failed (is scipy installed? scripts/install-deps --tests): \(problems)")
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
        try #require(lines.count == tables.count)
        var disagreements: [String] = []
        for (table, line) in zip(tables, lines) {
            let scipy = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let fisher = try #require(scipy["fisher"] as? [Double])
            for (index, alternative) in [FisherExactTest.Alternative.twoSided, .less, .greater].enumerated()
            where !Self.close(FisherExactTest.pValue(table, alternative: alternative), fisher[index]) {
                disagreements.append("\(table) Fisher \(alternative.rawValue): \(FisherExactTest.pValue(table, alternative: alternative)) vs \(fisher[index])")
            }
            let chi = scipy["chi"] as? [Double], mine = ChiSquareTest.test(table)
            if !Self.close(mine?.statistic, chi?[0]) || !Self.close(mine?.pValue, chi?[1]) {
                disagreements.append("\(table) chi-square: \(String(describing: mine)) vs \(String(describing: chi))")
            }
            let odds = scipy["odds"] as? [Double], ratio = OddsRatio(table)
            if let odds, !(Self.close(ratio.value, odds[0]) && Self.close(ratio.lower, odds[1]) && Self.close(ratio.upper, odds[2])) {
                disagreements.append("\(table) odds ratio: \(String(describing: ratio)) vs \(odds)")
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.count) disagreements, first: \(disagreements.prefix(5))")
    }
}
