import DemoCohort
import Testing

@Suite("Demo cohort sample sheet")
struct SampleSheetTests {
    static let header = "sample_id\tparticipant_id\tdataset_id\ttissue\tcancer_type_id\tcancer_type_label\t"
        + "overseas_consent\tmapping_rate\tduplicate_rate\tmean_insert_size\tmean_depth\tnt_check"

    /// The rows of one tissue's samples.
    private func rows(_ rows: [[String]], tissue: String) -> [[String]] { rows.filter { $0[3] == tissue } }

    private func share(_ rows: [[String]], _ predicate: ([String]) -> Bool) -> Double {
        Double(rows.filter(predicate).count) / Double(rows.count)
    }

    private func mean(_ rows: [[String]], column: Int) -> Double {
        rows.reduce(0.0) { $0 + Double($1[column])! } / Double(rows.count)
    }

    @Test("Header, one row per sample, tumour/normal pairs sharing participant, cancer type, consent and check")
    func pairs() async throws {
        let (folder, summary) = try await DemoCohortFixture.moderate()
        let (header, rows) = try DemoCohortFixture.sampleSheetRows(in: folder)
        #expect(header == Self.header)
        #expect(DemoCohortGenerator.sampleSheetColumns.joined(separator: "\t") == Self.header)
        #expect(rows.count == 2000 && summary.samples == 2000 && summary.cases == 1000)
        #expect(rows.allSatisfy { $0.count == 12 })
        #expect(rows[0][0] == "GG000001-T" && rows[1][0] == "GG000001-N" && rows[0][1] == "P000001")
        #expect(rows[1999][0] == "GG001000-N" && rows[1999][1] == "P001000")
        for index in stride(from: 0, to: rows.count, by: 2) {
            let tumour = rows[index], normal = rows[index + 1]
            let number = String(tumour[0].dropFirst(2).dropLast(2))
            #expect(tumour[0] == "GG\(number)-T" && normal[0] == "GG\(number)-N" && tumour[1] == "P\(number)")
            #expect(tumour[3] == "tumour" && normal[3] == "normal")
            // participant, dataset, cancer type id and label, consent, identity check
            for column in [1, 2, 4, 5, 6, 11] { #expect(tumour[column] == normal[column]) }
        }
        #expect(rows.allSatisfy { $0[2] == "demo-wgs" })
        #expect(rows.allSatisfy { ["yes", "no"].contains($0[6]) && ["pass", "mismatch"].contains($0[11]) })
    }

    @Test("Cancer types are NCIt terms with uneven shares; about 60 % consent to overseas provision")
    func cancerTypesAndConsent() async throws {
        let (folder, summary) = try await DemoCohortFixture.moderate()
        let tumours = rows(try DemoCohortFixture.sampleSheetRows(in: folder).rows, tissue: "tumour")
        let known = Dictionary(uniqueKeysWithValues: DemoCancerType.catalogue.map { ($0.id, $0.label) })
        #expect(tumours.allSatisfy { known[$0[4]] == $0[5] })
        var counts: [String: Int] = [:]
        for row in tumours { counts[row[4], default: 0] += 1 }
        #expect(counts.count == DemoCancerType.catalogue.count)
        #expect(counts["NCIT:C2955"]! > 3 * counts["NCIT:C3058"]!, "colorectal should far outnumber glioblastoma: \(counts)")
        let consent = share(tumours) { $0[6] == "yes" }
        #expect(consent > 0.55 && consent < 0.65, "overseas consent share \(consent)")
        #expect(summary.overseasConsentCases == tumours.filter { $0[6] == "yes" }.count)
    }

    @Test("About 0.8 % of cases fail the tumour/normal identity check")
    func mismatchRate() async throws {
        let (folder, summary) = try await DemoCohortFixture.moderate()
        let tumours = rows(try DemoCohortFixture.sampleSheetRows(in: folder).rows, tissue: "tumour")
        let mismatched = tumours.filter { $0[11] == "mismatch" }.count
        #expect(mismatched == summary.mismatchedCases)
        let rate = Double(mismatched) / Double(tumours.count)
        #expect(rate >= 0.003 && rate <= 0.015, "mismatch rate \(rate)")
    }

    @Test("QC metrics follow the data centre's QC table per tissue")
    func qualityDistributions() async throws {
        let (folder, _) = try await DemoCohortFixture.moderate()
        let all = try DemoCohortFixture.sampleSheetRows(in: folder).rows
        let normals = rows(all, tissue: "normal"), tumours = rows(all, tissue: "tumour")
        // Columns: 7 mapping rate, 8 duplicate rate, 9 insert size, 10 depth.
        let normalDepth = mean(normals, column: 10), tumourDepth = mean(tumours, column: 10)
        #expect(abs(normalDepth - 31.5) / 31.5 < 0.15, "normal mean depth \(normalDepth)")
        #expect(abs(tumourDepth - 120.9) / 120.9 < 0.15, "tumour mean depth \(tumourDepth)")
        let normalLowMapping = share(normals) { Double($0[7])! < 99.0 }
        let tumourLowMapping = share(tumours) { Double($0[7])! < 99.0 }
        #expect(normalLowMapping >= 0.01 && normalLowMapping <= 0.06, "normals below 99 % mapping: \(normalLowMapping)")
        #expect(tumourLowMapping < 0.01, "tumours below 99 % mapping: \(tumourLowMapping)")
        let normalDuplicates = mean(normals, column: 8), tumourDuplicates = mean(tumours, column: 8)
        #expect(abs(normalDuplicates - 13.1) < 1.0 && abs(tumourDuplicates - 13.7) < 1.0)
        let normalHighDuplicates = share(normals) { Double($0[8])! >= 20 }
        let tumourHighDuplicates = share(tumours) { Double($0[8])! >= 20 }
        #expect(normalHighDuplicates > 0.09 && normalHighDuplicates < 0.17, "normals >= 20 % duplicates: \(normalHighDuplicates)")
        #expect(tumourHighDuplicates > 0.12 && tumourHighDuplicates < 0.20, "tumours >= 20 % duplicates: \(tumourHighDuplicates)")
        #expect(abs(mean(normals, column: 9) - 487) < 25 && abs(mean(tumours, column: 9) - 486) < 25)
        // Bounded by the table's minimum and maximum.
        let bounds: [(column: Int, normal: ClosedRange<Double>, tumour: ClosedRange<Double>)] = [
            (7, 79.1...100, 95.6...100), (8, 3.3...36.9, 3.9...35.7), (9, 137...862, 224...786), (10, 4.7...148.8, 57.3...231.2),
        ]
        for bound in bounds {
            #expect(normals.allSatisfy { bound.normal.contains(Double($0[bound.column])!) })
            #expect(tumours.allSatisfy { bound.tumour.contains(Double($0[bound.column])!) })
        }
        // Skewed like the table: mean above median for depth and insert size.
        let sortedDepths = normals.map { Double($0[10])! }.sorted()
        #expect(normalDepth > sortedDepths[sortedDepths.count / 2])
    }
}
