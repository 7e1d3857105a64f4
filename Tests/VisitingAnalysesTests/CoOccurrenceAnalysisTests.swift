import DisclosureControl
import GatewayCore
import PrivacyLedger
import Testing
import VariantStore
@testable import VisitingAnalyses

/// Co-occurrence as a submittable analysis, on 60 people with a tumour (samples 0-59) and a
/// normal sample (60-119) each; NCIT:C1 is people 0-29, NCIT:C2 people 30-59. The pair's counts
/// are those of CoOccurrenceTests' pair 1|2, whose p- and q-values scipy gave.
@Suite("Visiting analyses: co-occurrence analysis")
struct CoOccurrenceAnalysisTests {
    static let capacity = 120
    static let cohort = AnalysisFixture.cohort(
        capacity: capacity, cancerTypes: ["NCIT:C1": 0..<30, "NCIT:C2": 30..<60],
        tissues: [.tumour: Array(0..<60), .normal: Array(60..<120)], person: { $0 % 60 })
    // NCIT:C1's normal samples are typed NCIT:C1 as well.
    static let typedCohort: AnalysisCohort = {
        var typed = CoOccurrenceAnalysisTests.cohort
        typed.byCancerType = ["NCIT:C1": SampleSet(capacity: capacity, members: Array(0..<30) + Array(60..<90)),
                               "NCIT:C2": SampleSet(capacity: capacity, members: Array(30..<60) + Array(90..<120))]
        return typed
    }()

    static func variant(_ position: Int, alternate: String = "T", filters: [String] = ["PASS"], _ carriers: [Int]) -> VariantRecord {
        AnalysisFixture.variant(position, chromosome: "chr2", reference: "C", alternate: alternate, filters: filters, carriers: carriers, capacity: capacity)
    }

    /// Normal samples carry the first variant too (germline-like); only tumours count.
    static let first = Array(0..<20) + Array(60..<120), second = Array(10..<30)

    static func expectReleasedPair(_ outcome: AnalysisOutcome, first: String, second: String) throws {
        let output = try AnalysisFixture.object(outcome.output)
        #expect(output["people"] as? Int == 60 && output["tissue"] as? String == "tumour")
        let pair = try #require((output["pairs"] as? [[String: Any]])?.first)
        #expect(pair["first"] as? String == first && pair["second"] as? String == second)
        #expect(pair["counts"] as? [Int] == [10, 10, 10, 30], "\(pair)")
        #expect(abs((pair["pValue"] as? Double ?? .nan) - 0.051010844033469685) <= 1e-9 * 0.051, "\(pair)")
        #expect(pair["qValue"] as? Double == pair["pValue"] as? Double, "one released pair: q = p")
        #expect(pair["tendency"] as? String == "co-occurrence")
    }

    @Test("variants: matched on reference and alternate at their position; tumours only")
    func variants() throws {
        let analysis = try CoOccurrenceAnalysis(parameters: AnalysisFixture.json(#"{"variants":["2:100:C:T","2:200:c:t"]}"#))
        #expect(analysis.regions == [GenomicRegion(referenceName: "2", start: 100, end: 100), GenomicRegion(referenceName: "2", start: 200, end: 200)])
        let stored = [[Self.variant(100, Self.first), Self.variant(100, alternate: "A", Array(30..<60))], [Self.variant(200, Self.second)]]
        let outcome = try analysis.run(AnalysisInput(cohort: Self.typedCohort, variants: stored, airlock: AnalysisFixture.airlock()))
        try Self.expectReleasedPair(outcome, first: "2:100:C:T", second: "2:200:C:T")
        // Charged as the stored variants' subjects (the names allele frequencies use), and the tumour group's composition.
        #expect(outcome.releases.map(\.subject) == ["cohort-summary", "chr2:100:C:T", "chr2:200:C:T", "chr2:100:C:T&chr2:200:C:T"])
        #expect(outcome.releases[0].pools.first?.samples == SampleSet(capacity: Self.capacity, members: 0..<60))
    }

    @Test("units: carriers of any PASS variant of each named region")
    func units() throws {
        let analysis = try CoOccurrenceAnalysis(parameters: AnalysisFixture.json(
            #"{"units":[{"name":"TP53","referenceName":"17","start":1,"end":1000},{"name":"KRAS","referenceName":"12","start":1,"end":1000}]}"#))
        let stored = [[Self.variant(100, Array(0..<12)), Self.variant(150, Array(8..<20)), Self.variant(170, filters: ["LowQual"], Array(40..<60))],
                      [Self.variant(300, Self.second)]]
        let outcome = try analysis.run(AnalysisInput(cohort: Self.typedCohort, variants: stored, airlock: AnalysisFixture.airlock()))
        try Self.expectReleasedPair(outcome, first: "TP53", second: "KRAS")
        #expect(outcome.releases.map(\.subject).contains("region:17:1-1000:pass&region:12:1-1000:pass"))
    }

    @Test("cancerTypes narrows the cohort: in NCIT:C1 no one lacks both, a zero cell, masked")
    func cancerTypes() throws {
        let analysis = try CoOccurrenceAnalysis(parameters: AnalysisFixture.json(#"{"variants":["2:100:C:T","2:200:C:T"],"cancerTypes":["NCIT:C1"]}"#))
        #expect(analysis.cancerTypes == ["NCIT:C1"])
        #expect(try analysis.contributors(in: Self.typedCohort, control: DisclosureControl()) == SampleSet(capacity: Self.capacity, members: 0..<30))
        let outcome = try analysis.run(AnalysisInput(cohort: Self.typedCohort, variants: [[Self.variant(100, Self.first)], [Self.variant(200, Self.second)]],
                                                     airlock: AnalysisFixture.airlock()))
        let pair = try #require((try AnalysisFixture.object(outcome.output)["pairs"] as? [[String: Any]])?.first)
        #expect(pair["counts"] == nil && pair["pValue"] == nil, "\(pair)")
        #expect(outcome.masked == 1 && outcome.releases.map(\.subject) == ["cohort-summary"])
        let small = try CoOccurrenceAnalysis(parameters: AnalysisFixture.json(#"{"variants":["2:100:C:T","2:200:C:T"],"cancerTypes":["NCIT:C9"]}"#))
        let error = #expect(throws: GatewayError.self) { try small.contributors(in: Self.typedCohort, control: DisclosureControl()) }
        #expect(error?.message.hasPrefix("co-occurrence parameter cancerTypes ") == true)
    }

    @Test("bad parameters are refused naming the parameter", arguments: [
        (#"7"#, "parameters"),
        (#"{}"#, "variants"),
        (#"{"variants":["1:1:A:G"]}"#, "variants"),
        (#"{"variants":[\#((0..<21).map { "\"1:\($0 + 1):A:G\"" }.joined(separator: ","))]}"#, "variants"),
        (#"{"variants":["1:1:A:G","1:1:A:G"]}"#, "variants[1]"),
        (#"{"variants":["1:1:A:G","1:0:A:G"]}"#, "variants[1]"),
        (#"{"variants":["1:1:A:G","1:-9223372036854775808:A:G"]}"#, "variants[1]"),
        (#"{"variants":["1:1:A:G","1:9223372036854775808:A:G"]}"#, "variants[1]"),
        (#"{"variants":["1:1:A:G","1:9223372036854775807:A:A"]}"#, "variants[1]"),
        (#"{"variants":["1:1:A:G","1:5:A:X"]}"#, "variants[1]"),
        (#"{"variants":["1:1:A:G","1:5:A"]}"#, "variants[1]"),
        (#"{"variants":["1:1:A:G","chr 1:5:A:G"]}"#, "variants[1].referenceName"),
        (#"{"variants":["1:1:A:G",5]}"#, "variants[1]"),
        (#"{"variants":["1:1:A:G","1:2:A:G"],"units":[]}"#, "units"),
        (#"{"units":[{"name":"A","referenceName":"1","start":1,"end":2}]}"#, "units"),
        (#"{"units":[{"name":"A","referenceName":"1","start":1,"end":2},{"name":"A","referenceName":"1","start":5,"end":6}]}"#, "units[1].name"),
        (#"{"units":[{"name":"A","referenceName":"1","start":1,"end":9000000},{"name":"B","referenceName":"1","start":1,"end":2000000}]}"#, "units"),
        (#"{"variants":["1:1:A:G","chr1:1:A:G"]}"#, "variants[1]"),
        (#"{"units":[{"name":"A","referenceName":"1","start":1,"end":20},{"name":"B","referenceName":"1","start":20,"end":30}]}"#, "units[1]"),
        (#"{"variants":["1:1:A:G","1:2:A:G"],"cancerTypes":[]}"#, "cancerTypes"),
        (#"{"variants":["1:1:A:G","1:2:A:G"],"tissue":"normal"}"#, "tissue"),
    ])
    func bad(text: String, parameter: String) {
        let error = #expect(throws: GatewayError.self, "\(text.prefix(200))") { try CoOccurrenceAnalysis(parameters: AnalysisFixture.json(text)) }
        #expect(error?.code == .badRequest)
        #expect(error?.message.hasPrefix("co-occurrence parameter \(parameter) ") == true, "\(error?.message ?? "")")
    }

    @Test("canonical parameters round-trip")
    func canonical() throws {
        let analysis = try CoOccurrenceAnalysis(parameters: AnalysisFixture.json(#"{"variants":["X:5:a:<DEL>","X:9:AC:A"],"cancerTypes":["NCIT:C1"]}"#))
        #expect(analysis.canonicalParameters.jsonText == #"{"cancerTypes":["NCIT:C1"],"variants":["X:5:A:<DEL>","X:9:AC:A"]}"#)
        #expect(try CoOccurrenceAnalysis(parameters: analysis.canonicalParameters).canonicalParameters == analysis.canonicalParameters)
    }
}
