import DisclosureControl
import GatewayCore
import PrivacyLedger
import Testing
import VariantStore
@testable import VisitingAnalyses

/// Strata frequencies on 60 people with a tumour (samples 0-59) and a normal (60-119) each;
/// NCIT:C1 is people 0-29, NCIT:C2 people 30-59, so four strata of 30 samples. The expected
/// cells follow the disclosure rules worked by hand (k = 5): a stratum with 2 carriers is
/// hidden; with the totals shown one hidden stratum would follow from them, so the smallest
/// other stratum (by samples, the first: NCIT:C1/tumour) is hidden too.
@Suite("Visiting analyses: strata frequencies")
struct StrataFrequenciesTests {
    static let capacity = 120
    static let cohort = AnalysisFixture.cohort(
        capacity: capacity,
        cancerTypes: ["NCIT:C1": 0..<30, "NCIT:C2": 30..<60],
        tissues: [.tumour: Array(0..<60), .normal: Array(60..<120)], person: { $0 % 60 })
    static let typedCohort: AnalysisCohort = {
        var typed = StrataFrequenciesTests.cohort
        typed.byCancerType = ["NCIT:C1": SampleSet(capacity: capacity, members: Array(0..<30) + Array(60..<90)),
                              "NCIT:C2": SampleSet(capacity: capacity, members: Array(30..<60) + Array(90..<120))]
        return typed
    }()

    static func variant(_ position: Int, _ carriers: [Int]) -> VariantRecord {
        AnalysisFixture.variant(position, chromosome: "chr7", carriers: carriers, capacity: capacity)
    }

    /// Carriers per stratum: C1/tumour `c1Tumour`, C1/normal 10, C2/tumour 6, C2/normal `c2Normal`.
    static func common(c1Tumour: Int = 10, c2Normal: Int = 2) -> VariantRecord {
        variant(1000, Array(0..<c1Tumour) + Array(60..<70) + Array(30..<36) + Array(90..<(90 + c2Normal)))
    }
    static let rare = variant(2000, [0, 1, 60])                                    // 2 people: not listed
    static let exactlyK = variant(3000, Array(0..<5) + Array(60..<65))              // 5 people, every cell shown

    static func run(_ variants: [VariantRecord], parameters: String = #"{"region":{"referenceName":"7","start":1,"end":1000000}}"#) throws -> AnalysisOutcome {
        try StrataFrequencies(parameters: AnalysisFixture.json(parameters))
            .run(AnalysisInput(cohort: typedCohort, variants: [variants], airlock: AnalysisFixture.airlock(minimumAlleleNumberForFrequency: 50)))
    }

    @Test("cells, totals and frequencies as the disclosure rules give them; rare variants unlisted; releases")
    func frequencies() throws {
        let outcome = try Self.run([Self.common(), Self.rare, Self.exactlyK])
        let variants = try #require(try AnalysisFixture.object(outcome.output)["variants"] as? [[String: Any]])
        #expect(variants.map { $0["variant"] as? String } == ["chr7:1000:A:G", "chr7:3000:A:G"], "the rare variant is not named")
        let strata = try #require(variants[0]["strata"] as? [[String: Any]])
        #expect(strata.map { "\($0["cancerType"] ?? "")/\($0["tissue"] ?? "")" } == ["NCIT:C1/tumour", "NCIT:C1/normal", "NCIT:C2/tumour", "NCIT:C2/normal"])
        let counts = strata.compactMap { $0["counts"] as? [String: Any] }
        #expect(counts.map { "\($0["samples"] ?? "")|\($0["alleleCount"] ?? "")|\($0["alleleNumber"] ?? "")" } == ["<5|<5|<5", "30|10|60", "30|6|60", "<5|<5|<5"])
        #expect(counts.map { $0["alleleFrequency"] as? Double } == [nil, 10.0 / 60, 6.0 / 60, nil])
        let total = try #require(variants[0]["total"] as? [String: Any])
        #expect(total["samples"] as? Int == 120 && total["alleleCount"] as? Int == 28 && total["alleleNumber"] as? Int == 240)
        #expect(total["alleleFrequency"] as? Double == 28.0 / 240)
        let findings = try #require(variants[0]["airlock"] as? [[String: Any]])
        #expect(findings.map { "\($0["rule"] ?? ""):\(($0["cells"] as? [String] ?? []).joined(separator: ","))" }
                == ["threshold:NCIT:C1/tumour,NCIT:C2/normal"], "which stratum was small is not said")
        // Every cell of the variant carried by exactly k people is shown.
        let exact = (variants[1]["strata"] as? [[String: Any]])?.compactMap { ($0["counts"] as? [String: Any])?["alleleCount"] as? Int }
        #expect(exact == [5, 5, 0, 0] && (variants[1]["airlock"] as? [Any])?.isEmpty == true)
        // Two outputs listed, one with findings: the rare variant is neither listed nor counted
        // (its count would tell how many rare variants the region holds).
        #expect(outcome.outputs == 2 && outcome.masked == 1)
        let release = try #require(outcome.releases.first)
        #expect(release.subject == "chr7:1000:A:G" && release.pools.allSatisfy { $0.statistic == ReleasedStatistic.alleleCounts })
        #expect(release.pools.map(\.samples.count) == [120, 30, 30] && release.pools.map(\.frequency) == [28.0 / 240, 10.0 / 60, 6.0 / 60])
        // Leaving the rare one out is charged as a listing decision, as the query path charges it.
        #expect(outcome.releases.map(\.subject) == ["chr7:1000:A:G", "chr7:2000:A:G|listed>=5", "chr7:3000:A:G"])
        #expect(outcome.releases[1].pools.allSatisfy { $0.presenceOnly })
    }

    @Test("a hidden stratum cannot be recovered from the totals: 10 + 2 and 9 + 3 carriers give the same output")
    func hiddenNotRecoverable() throws {
        let first = try Self.run([Self.common(c1Tumour: 10, c2Normal: 2)]), second = try Self.run([Self.common(c1Tumour: 9, c2Normal: 3)])
        #expect(first.output == second.output)
        // The subtraction an attacker does gives only the two hidden strata's sum.
        let variant = try #require((try AnalysisFixture.object(first.output)["variants"] as? [[String: Any]])?.first)
        let shown = (variant["strata"] as? [[String: Any]] ?? []).compactMap { ($0["counts"] as? [String: Any])?["alleleCount"] as? Int }
        #expect(shown.count == 2 && (variant["total"] as? [String: Any])?["alleleCount"] as? Int == 28 && 28 - shown.reduce(0, +) == 12)
    }

    @Test("cancerTypes keeps its strata only")
    func cancerTypes() throws {
        let outcome = try Self.run([Self.common()], parameters: #"{"region":{"referenceName":"7","start":1,"end":5000},"cancerTypes":["NCIT:C1"]}"#)
        let variant = try #require((try AnalysisFixture.object(outcome.output)["variants"] as? [[String: Any]])?.first)
        #expect((variant["strata"] as? [[String: Any]])?.map { $0["cancerType"] as? String } == ["NCIT:C1", "NCIT:C1"])
        #expect((variant["total"] as? [String: Any])?["alleleCount"] as? Int == 20)
        #expect(outcome.releases.first?.pools.first?.samples == SampleSet(capacity: Self.capacity, members: Array(0..<30) + Array(60..<90)))
    }

    @Test("bad parameters are refused naming the parameter", arguments: [
        (#"[]"#, "parameters"),
        (#"{}"#, "region"),
        (#"{"region":{"referenceName":"7","start":1,"end":1000001}}"#, "region"),
        (#"{"region":{"referenceName":"7","start":1,"end":9223372036854775807}}"#, "region"),
        (#"{"region":{"referenceName":"7","start":-9223372036854775808,"end":5}}"#, "region.start"),
        (#"{"region":{"referenceName":"7","start":1,"end":5},"cancerTypes":"NCIT:C1"}"#, "cancerTypes"),
        (#"{"region":{"referenceName":"7","start":1,"end":5},"strata":true}"#, "strata"),
    ])
    func bad(text: String, parameter: String) {
        let error = #expect(throws: GatewayError.self, "\(text)") { try StrataFrequencies(parameters: AnalysisFixture.json(text)) }
        #expect(error?.code == .badRequest)
        #expect(error?.message.hasPrefix("strata-frequencies parameter \(parameter) ") == true, "\(error?.message ?? "")")
    }
}
