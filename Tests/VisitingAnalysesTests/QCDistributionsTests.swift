import DisclosureControl
import GatewayCore
import PrivacyLedger
import Testing
import VariantStore
@testable import VisitingAnalyses

/// QC distributions on 30 people with a tumour (samples 0-29) and a normal sample (30-59);
/// sample 59 has no QC metrics. The expected bins, totals and means were worked by hand from
/// the values below and the documented bins.
@Suite("Visiting analyses: QC distributions")
struct QCDistributionsTests {
    static let capacity = 60

    /// Tumour depth: 2 people at 15x, 3 at 25x, 25 at 35x; tumour mapping: `lowMapping` people at 97 %, the rest at 99.95 %.
    /// Normal duplicates: 27 people at 0.1 %, 2 at 50 % (they dominate the sum).
    static func metrics(lowMapping: Int = 1) -> [QCMetrics?] {
        (0..<capacity).map { sample in
            if sample == 59 { return nil }
            if sample < 30 {
                let depth: Double = sample < 2 ? 15 : sample < 5 ? 25 : 35
                return QCMetrics(mappingRate: sample < lowMapping ? 97 : 99.95, duplicateRate: 12, meanInsertSize: 400, meanDepth: depth)
            }
            return QCMetrics(mappingRate: 99.5, duplicateRate: sample < 57 ? 0.1 : 50, meanInsertSize: 420, meanDepth: 30)
        }
    }

    static func cohort(lowMapping: Int = 1) -> AnalysisCohort {
        AnalysisFixture.cohort(capacity: capacity, cancerTypes: ["NCIT:C1": 0..<60], tissues: [.tumour: Array(0..<30), .normal: Array(30..<60)],
                               person: { $0 % 30 }, qualityControl: metrics(lowMapping: lowMapping))
    }

    static func run(lowMapping: Int = 1, parameters: String = "{}") throws -> AnalysisOutcome {
        try QCDistributions(parameters: AnalysisFixture.json(parameters))
            .run(AnalysisInput(cohort: cohort(lowMapping: lowMapping), variants: [], airlock: AnalysisFixture.airlock()))
    }

    static func distribution(_ outcome: AnalysisOutcome, _ tissue: String, _ metric: String) throws -> [String: Any] {
        let all = try #require(try AnalysisFixture.object(outcome.output)["distributions"] as? [[String: Any]])
        return try #require(all.first { $0["tissue"] as? String == tissue && $0["metric"] as? String == metric })
    }

    static func bins(_ distribution: [String: Any]) -> [String] {
        (distribution["bins"] as? [[String: Any]] ?? []).map { "\($0["bin"] ?? ""):\($0["people"] ?? "")" }
    }

    @Test("bins, totals and means as worked by hand; two small bins hide each other")
    func distributions() throws {
        let outcome = try Self.run()
        #expect(outcome.outputs == 8)
        let depth = try Self.distribution(outcome, "tumour", "mean_depth")
        #expect(Self.bins(depth) == ["<20:<5", "20-30:<5", "30-40:25", "40-60:0", "60-80:0", "80-100:0", ">=100:0"], "\(depth)")
        #expect(depth["total"] as? Int == 30 && depth["mean"] as? Double == 32.7 && depth["unit"] as? String == "x")
        #expect((depth["airlock"] as? [[String: Any]])?.map { $0["rule"] as? String } == ["threshold"])
        let insert = try Self.distribution(outcome, "normal", "mean_insert_size")
        #expect(Self.bins(insert) == ["<250:0", "250-300:0", "300-350:0", "350-400:0", "400-450:29", "450-500:0", "500-600:0", ">=600:0"])
        #expect(insert["total"] as? Int == 29 && insert["mean"] as? Double == 420, "sample 59 has no metrics")
        #expect((insert["airlock"] as? [Any])?.isEmpty == true)
        // The releases: each tissue group's composition.
        #expect(outcome.releases.map(\.subject) == ["cohort-summary"] && outcome.releases[0].pools.map(\.samples.count) == [30, 30])
        #expect(outcome.releases[0].pools.allSatisfy { $0.statistic == ReleasedStatistic.composition })
    }

    @Test("one small bin: the total would give it back, so the smallest other bin is hidden too; the histogram is the same for 1 or 3 people in it")
    func oneSmallBin() throws {
        let one = try Self.distribution(Self.run(lowMapping: 1), "tumour", "mapping_rate")
        let three = try Self.distribution(Self.run(lowMapping: 3), "tumour", "mapping_rate")
        #expect(Self.bins(one) == ["<90:0", "90-95:0", "95-98:<5", "98-99:0", "99-99.5:0", "99.5-99.9:0", ">=99.9:<5"], "\(one)")
        #expect(Self.bins(one) == Self.bins(three) && one["total"] as? Int == 30 && three["total"] as? Int == 30)
        // The attack: total minus the shown bins is what the hidden bins hold together; with two hidden it pins neither.
        let shown = (one["bins"] as? [[String: Any]] ?? []).compactMap { $0["people"] as? Int }
        #expect(30 - shown.reduce(0, +) == 30 && (one["bins"] as? [[String: Any]] ?? []).filter { $0["people"] is String }.count == 2)
        // One finding names both hidden bins: which was small is not said.
        #expect((one["airlock"] as? [[String: Any]])?.map { $0["rule"] as? String } == ["threshold"])
        #expect((one["airlock"] as? [[String: Any]])?.first?["cells"] as? [String] == ["95-98", ">=99.9"], "\(one)")
    }

    @Test("a mean dominated by two people is withheld by (2, 90 %) dominance and the p-ratio")
    func dominatedMean() throws {
        let duplicates = try Self.distribution(Self.run(), "normal", "duplicate_rate")
        #expect(duplicates["mean"] == nil && duplicates["total"] as? Int == 29)
        let rules = (duplicates["airlock"] as? [[String: Any]])?.map { $0["rule"] as? String }
        #expect(rules == ["threshold", "dominance", "p-ratio"], "\(duplicates)")
    }

    @Test("a tissue group below the minimum cohort size is withheld; no group at all is a 400 naming cancerTypes")
    func smallGroups() throws {
        let withheld = try QCDistributions.run(groups: [(.tumour, nil)], qualityControl: Self.metrics(), control: DisclosureControl())
        #expect(withheld.count == 4 && withheld.allSatisfy { $0.bins == nil && $0.mean == nil && $0.airlock.first?.outcome == .withheld })
        let analysis = try QCDistributions(parameters: AnalysisFixture.json(#"{"cancerTypes":["NCIT:C9"]}"#))
        let error = #expect(throws: GatewayError.self) { try analysis.contributors(in: Self.cohort(), control: DisclosureControl()) }
        #expect(error?.message.hasPrefix("qc-distributions parameter cancerTypes ") == true, "\(error?.message ?? "")")
        #expect(try QCDistributions(parameters: .object([:])).contributors(in: Self.cohort(), control: DisclosureControl()).count == 60)
    }

    @Test("bins: edges belong to the bin above")
    func binning() {
        let metric = QCDistributions.Metric.meanDepth
        #expect([19.99, 20, 29.99, 30, 100, 1e9, -1].map(metric.bin) == [0, 1, 1, 2, 6, 6, 0])
        #expect(QCDistributions.Metric.allCases.allSatisfy { $0.labels.count == $0.edges.count + 1 && $0.edges == $0.edges.sorted() })
    }

    @Test("bad parameters are refused naming the parameter", arguments: [
        (#"[]"#, "parameters"),
        (#"{"cancerTypes":[]}"#, "cancerTypes"),
        (#"{"cancerTypes":[-9223372036854775808]}"#, "cancerTypes"),
        (#"{"bins":10}"#, "bins"),
    ])
    func bad(text: String, parameter: String) {
        let error = #expect(throws: GatewayError.self, "\(text)") { try QCDistributions(parameters: AnalysisFixture.json(text)) }
        #expect(error?.code == .badRequest)
        #expect(error?.message.hasPrefix("qc-distributions parameter \(parameter) ") == true, "\(error?.message ?? "")")
    }
}
