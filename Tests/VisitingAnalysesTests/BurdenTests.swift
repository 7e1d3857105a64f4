import DisclosureControl
import GatewayCore
import PrivacyLedger
import Testing
import VariantStore
@testable import VisitingAnalyses

/// Burden on a 100-person germline cohort: 40 cases (NCIT:C1, samples 0-39) and 60 controls
/// (NCIT:C2, 40-99). GENE1 holds two qualifying rare variants and three that a rule leaves out
/// (FILTER, frequency, type); GENE2's case carriers are too few (masked); GENE3 is enriched.
/// The expected p-values and odds ratios were computed with scipy 1.17.1 (`fisher_exact`
/// alternative="greater", `contingency.odds_ratio(kind="sample")` and its 95 % interval;
/// Tests/VisitingAnalysesTests/scipy-reference.py prints them).
@Suite("Visiting analyses: burden")
struct BurdenTests {
    static let capacity = 100
    static let cohort = AnalysisFixture.cohort(capacity: capacity, cancerTypes: ["NCIT:C1": 0..<40, "NCIT:C2": 40..<100],
                                               tissues: [.normal: Array(0..<100)])

    static func variant(_ position: Int, type: VariantType = .snv, filters: [String] = ["PASS"], _ carriers: [Int]) -> VariantRecord {
        AnalysisFixture.variant(position, reference: type == .indel ? "AT" : "A", alternate: type == .symbolicDuplication ? "<DUP>" : "G",
                                type: type, filters: filters, carriers: carriers, capacity: capacity)
    }

    static let gene1 = [
        variant(1100, Array(0...5) + Array(40...42)),                          // qualifies: AC 9 of 200
        variant(1200, type: .indel, Array(6...11) + Array(43...45)),          // qualifies
        variant(1300, filters: ["LowQual"], Array(12...15) + [46]),           // not PASS
        variant(1400, Array(20...39) + Array(50...69)),                       // frequency 0.2
        variant(1500, type: .symbolicDuplication, Array(16...18)),            // not a default type
    ]
    static func gene2(caseCarriers: [Int]) -> [VariantRecord] { [variant(5500, caseCarriers + Array(40...45))] }
    static let gene3 = [
        variant(8100, Array(0...4) + Array(40...42)), variant(8200, Array(5...9) + Array(43...45)),
        variant(8300, Array(10...14) + Array(46...47)), variant(8400, Array(15...19) + Array(48...49)),
    ]

    static let unitsJSON = #"[{"name":"GENE1","referenceName":"13","start":1000,"end":2000},{"name":"GENE2","referenceName":"13","start":5000,"end":6000},{"name":"GENE3","referenceName":"13","start":8000,"end":9000}]"#

    static func analysis(_ extra: String = #","maximumFrequency":0.05"#) throws -> Burden {
        try Burden(parameters: AnalysisFixture.json(#"{"units":\#(unitsJSON),"cases":["NCIT:C1"],"controls":["NCIT:C2"]\#(extra)}"#))
    }

    static func outcome(gene2CaseCarriers: [Int] = [0, 1, 2]) throws -> AnalysisOutcome {
        try analysis().run(AnalysisInput(cohort: cohort, variants: [gene1, gene2(caseCarriers: gene2CaseCarriers), gene3], airlock: AnalysisFixture.airlock()))
    }

    static func close(_ value: Any?, _ expected: Double, relative: Double = 1e-9) -> Bool {
        guard let value = value as? Double else { return false }
        return abs(value - expected) <= relative * abs(expected)
    }

    @Test("released units: tables, one-sided Fisher p and Woolf odds ratios equal scipy's; the masked unit shows none; releases")
    func released() throws {
        let outcome = try Self.outcome()
        let output = try AnalysisFixture.object(outcome.output)
        #expect(output["cases"] as? Int == 40 && output["controls"] as? Int == 60)
        #expect(output["rule"] as? String == "DEL,INDEL,INS,MNV,SNV;af<0.05;pass")
        let units = try #require(output["units"] as? [[String: Any]])
        #expect(units.map { $0["name"] as? String } == ["GENE1", "GENE2", "GENE3"])
        let expected: [(table: [[Int]], p: Double, ratio: Double, lower: Double, upper: Double)] = [
            ([[12, 28], [6, 54]], 0.01168219353003256, 3.857142857142857, 1.3084764550445578, 11.37013277010135),
            ([[20, 20], [10, 50]], 0.00043106255242406365, 5.0, 1.993981345653264, 12.537730131978511),
        ]
        for (unit, want) in zip([units[0], units[2]], expected) {
            #expect(unit["table"] as? [[Int]] == want.table, "\(unit)")
            #expect(Self.close(unit["pValue"], want.p), "\(unit)")
            #expect(Self.close(unit["oddsRatio"], want.ratio))
            #expect(Self.close(unit["oddsRatioLower"], want.lower, relative: 1e-7) && Self.close(unit["oddsRatioUpper"], want.upper, relative: 1e-7), "\(unit)")
            #expect((unit["airlock"] as? [Any])?.isEmpty == true)
        }
        // GENE2: 3 case carriers; the table and every statistic are masked.
        #expect(units[1]["table"] == nil && units[1]["pValue"] == nil && units[1]["oddsRatio"] == nil, "\(units[1])")
        let rules = (units[1]["airlock"] as? [[String: Any]])?.compactMap { $0["rule"] as? String }
        #expect(rules == ["disclosive-table", "derived-statistics"], "\(rules ?? [])")
        #expect(outcome.outputs == 3 && outcome.masked == 1 && outcome.rules == ["disclosive-table": 1])
        // Releases: the groups' composition, and each released unit's carriers over cases and controls.
        #expect(outcome.releases.map(\.subject) == ["cohort-summary", "burden:13:1000-2000:DEL,INDEL,INS,MNV,SNV;af<0.05;pass",
                                                    "burden:13:8000-9000:DEL,INDEL,INS,MNV,SNV;af<0.05;pass"])
        let gene1 = outcome.releases[1]
        #expect(gene1.pools.map(\.samples) == [SampleSet(capacity: 100, members: 0..<40), SampleSet(capacity: 100, members: 40..<100)])
        #expect(gene1.pools.map(\.frequency) == [12.0 / 80, 6.0 / 120] && gene1.pools.allSatisfy { $0.statistic == ReleasedStatistic.carrierPeople })
    }

    @Test("the qualifying-variant rule: types, FILTER and frequency decide GENE1's carriers", arguments: [
        (#","maximumFrequency":0.05"#, [[12, 28], [6, 54]] as [[Int]]?),
        (#","maximumFrequency":0.05,"passOnly":false"#, [[16, 24], [7, 53]]),                 // LowQual counts too
        (#","maximumFrequency":0.05,"variantTypes":["SNV"]"#, nil),                           // 6 / 3: the controls' 3 masks it
        (#","maximumFrequency":0.05,"variantTypes":["SNV","INDEL","DUP"]"#, [[15, 25], [6, 54]]),
        (#","maximumFrequency":0.5"#, [[32, 8], [26, 34]]),                                     // the common variant qualifies
        (#""#, nil),                                                                            // 0.01: nothing qualifies, zeros masked
    ] as [(String, [[Int]]?)])
    func rule(extra: String, table: [[Int]]?) throws {
        let analysis = try Self.analysis(extra)
        let (cases, controls) = (SampleSet(capacity: 100, members: 0..<40), SampleSet(capacity: 100, members: 40..<100))
        let run = try Burden.run(units: Array(analysis.parameters.units.prefix(1)), variants: [Self.gene1], rule: analysis.parameters,
                                 cases: cases, controls: controls, airlock: AnalysisFixture.airlock())
        #expect(run.results.first?.table == table, "\(run.results)")
        #expect(run.releases.count == (table == nil ? 0 : 1))
    }

    @Test("a masked unit cannot be recovered: 1 or 3 case carriers give the same output, byte for byte")
    func maskedCellNotRecoverable() throws {
        let three = try Self.outcome(gene2CaseCarriers: [0, 1, 2]), one = try Self.outcome(gene2CaseCarriers: [7])
        #expect(three.output == one.output)
        // What the output shows of GENE2: the group sizes (its row margins), never its carrier column;
        // every case-carrier count from 0 to 40 fits them.
        #expect(!three.output.contains("[3,37]") && !three.output.contains("\"pValue\":null"))
        #expect(three.releases.count == 3, "a masked unit releases nothing")
    }

    @Test("the model rule withholds the odds ratio of too small a model, and only it")
    func modelRule() throws {
        let analysis = try Self.analysis()
        let run = try Burden.run(units: Array(analysis.parameters.units.prefix(1)), variants: [Self.gene1], rule: analysis.parameters,
                                 cases: SampleSet(capacity: 100, members: 0..<40), controls: SampleSet(capacity: 100, members: 40..<100),
                                 airlock: AnalysisFixture.airlock(), model: ModelAirlock(minimumResidualDegreesOfFreedom: 99))
        let result = try #require(run.results.first)
        #expect(result.table == [[12, 28], [6, 54]] && result.pValue != nil && result.oddsRatio == nil && result.oddsRatioLower == nil)
        #expect(result.airlock.map(\.rule) == [.degreesOfFreedom] && result.airlock.first?.cells == ["odds_ratio", "odds_ratio_ci"])
    }

    @Test("a group below the minimum cohort size is refused naming it")
    func smallGroup() throws {
        let analysis = try Burden(parameters: AnalysisFixture.json(#"{"units":\#(Self.unitsJSON),"cases":["NCIT:C9"]}"#))
        let error = #expect(throws: GatewayError.self) { try analysis.contributors(in: Self.cohort, control: DisclosureControl()) }
        #expect(error?.code == .badRequest && error?.message.hasPrefix("burden parameter cases ") == true, "\(error?.message ?? "")")
    }

    @Test("a stopped job stops between units")
    func stopped() throws {
        let progress = JobProgress()
        progress.stop()
        let error = #expect(throws: GatewayError.self) {
            try Self.analysis().run(AnalysisInput(cohort: Self.cohort, variants: [Self.gene1, [], Self.gene3], airlock: AnalysisFixture.airlock(), progress: progress))
        }
        #expect(error?.code == .conflict)
    }

    static let region = #"{"name":"G","referenceName":"1","start":1,"end":100}"#

    @Test("bad parameters are refused naming the parameter", arguments: [
        (#"[]"#, "parameters"),
        (#"{"cases":["A"]}"#, "units"),
        (#"{"units":[],"cases":["A"]}"#, "units"),
        (#"{"units":[\#(region)]}"#, "cases"),
        (#"{"units":[\#(region)],"cases":["A"],"window":1}"#, "window"),
        (#"{"units":[7],"cases":["A"]}"#, "units[0]"),
        (#"{"units":[{"referenceName":"1","start":1,"end":2}],"cases":["A"]}"#, "units[0].name"),
        (#"{"units":[{"name":"","referenceName":"1","start":1,"end":2}],"cases":["A"]}"#, "units[0].name"),
        (#"{"units":[{"name":"\#(String(repeating: "x", count: 65))","referenceName":"1","start":1,"end":2}],"cases":["A"]}"#, "units[0].name"),
        (#"{"units":[\#(region),\#(region)],"cases":["A"]}"#, "units[1].name"),
        (#"{"units":[{"name":"G","referenceName":"1","start":-9223372036854775808,"end":2}],"cases":["A"]}"#, "units[0].start"),
        (#"{"units":[{"name":"G","referenceName":"1","start":1,"end":9223372036854775807}],"cases":["A"]}"#, "units[0]"),
        (#"{"units":[{"name":"G","referenceName":"1","start":5,"end":4}],"cases":["A"]}"#, "units[0].end"),
        (#"{"units":[{"name":"G","referenceName":"1","start":1,"end":2,"strand":"+"}],"cases":["A"]}"#, "units[0].strand"),
        (#"{"units":[{"name":"G","referenceName":"1","start":1,"end":6000000},{"name":"H","referenceName":"2","start":1,"end":6000000}],"cases":["A"]}"#, "units"),
        (#"{"units":[\#(Array(repeating: "", count: 201).enumerated().map { #"{"name":"G\#($0.offset)","referenceName":"1","start":1,"end":2}"# }.joined(separator: ","))],"cases":["A"]}"#, "units"),
        (#"{"units":[\#(region),{"name":"H","referenceName":"1","start":100,"end":200}],"cases":["A"]}"#, "units[1]"),      // overlaps
        (#"{"units":[\#(region),{"name":"H","referenceName":"chr1","start":20,"end":30}],"cases":["A"]}"#, "units[1]"),     // nested, chr1 = 1
                (#"{"units":[\#(region)],"cases":["A"],"controls":["A"]}"#, "controls"),
        (#"{"units":[\#(region)],"cases":["A"],"variantTypes":[]}"#, "variantTypes"),
        (#"{"units":[\#(region)],"cases":["A"],"variantTypes":["SNP"]}"#, "variantTypes"),
        (#"{"units":[\#(region)],"cases":["A"],"variantTypes":["SNV","SNV"]}"#, "variantTypes"),
        (#"{"units":[\#(region)],"cases":["A"],"maximumFrequency":0}"#, "maximumFrequency"),
        (#"{"units":[\#(region)],"cases":["A"],"maximumFrequency":0.0}"#, "maximumFrequency"),
        (#"{"units":[\#(region)],"cases":["A"],"maximumFrequency":0.51}"#, "maximumFrequency"),
        (#"{"units":[\#(region)],"cases":["A"],"maximumFrequency":-9223372036854775808}"#, "maximumFrequency"),
        (#"{"units":[\#(region)],"cases":["A"],"maximumFrequency":9223372036854775807}"#, "maximumFrequency"),
        (#"{"units":[\#(region)],"cases":["A"],"maximumFrequency":"0.01"}"#, "maximumFrequency"),
        (#"{"units":[\#(region)],"cases":["A"],"passOnly":1}"#, "passOnly"),
    ])
    func bad(text: String, parameter: String) {
        let error = #expect(throws: GatewayError.self, "\(text.prefix(200))") { try Burden(parameters: AnalysisFixture.json(text)) }
        #expect(error?.code == .badRequest)
        #expect(error?.message.hasPrefix("burden parameter \(parameter) ") == true, "\(error?.message ?? "")")
    }

    @Test("canonical parameters fill in the defaults")
    func canonical() throws {
        let analysis = try Burden(parameters: AnalysisFixture.json(#"{"units":[\#(Self.region)],"cases":["A"]}"#))
        #expect(analysis.canonicalParameters.jsonText == #"{"cases":["A"],"maximumFrequency":0.01,"passOnly":true,"units":[{"end":100,"name":"G","referenceName":"1","start":1}],"variantTypes":["SNV","MNV","INS","DEL","INDEL"]}"#)
        #expect(analysis.regions == [GenomicRegion(referenceName: "1", start: 1, end: 100)] && analysis.cancerTypes == ["A"])
        #expect(try Burden(parameters: analysis.canonicalParameters).canonicalParameters == analysis.canonicalParameters)
        // Adjacent units are fine; a unit's ledger subject names its chromosome as the store matches it.
        let spelled = try Burden(parameters: AnalysisFixture.json(#"{"units":[\#(Self.region),{"name":"H","referenceName":"chr1","start":101,"end":200}],"cases":["A"]}"#))
        #expect(spelled.parameters.units[1].region.subjectName == "1:101-200")
    }
}
