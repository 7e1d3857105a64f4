@testable import DemoCohort
import Testing

@Suite("Demo cohort QC model")
struct SequencingQualityModelTests {
    @Test("The QC distributions have the table's means, medians and extremes")
    func calibration() {
        let normal = SequencingQualityModel.normal, tumour = SequencingQualityModel.tumour
        let expectations: [(table: QuantileTable, mean: Double, median: Double, minimum: Double, maximum: Double)] = [
            (normal.mappingRate, 99.8, 99.9, 79.1, 100), (tumour.mappingRate, 99.9, 99.9, 95.6, 100),
            (normal.duplicateRate, 13.1, 12.2, 3.3, 36.9), (tumour.duplicateRate, 13.7, 12.7, 3.9, 35.7),
            (normal.meanInsertSize, 487, 441, 137, 862), (tumour.meanInsertSize, 486, 439, 224, 786),
            (normal.meanDepth, 31.5, 29.7, 4.7, 148.8), (tumour.meanDepth, 120.9, 116.1, 57.3, 231.2),
        ]
        for expected in expectations {
            #expect(abs(expected.table.mean - expected.mean) / expected.mean < 0.01, "mean \(expected.table.mean) vs \(expected.mean)")
            #expect(expected.table.quantile(0.5) == expected.median)
            #expect(expected.table.quantile(0) == expected.minimum && expected.table.quantile(1) == expected.maximum)
        }
        #expect(abs(normal.mappingRate.quantile(0.031) - 99.0) < 1e-9 && abs(tumour.mappingRate.quantile(0.001) - 99.0) < 1e-9)
        #expect(normal.duplicateRate.quantile(1 - 0.128) == 20 && tumour.duplicateRate.quantile(1 - 0.156) == 20)
        #expect(normal.duplicateRate.quantile(0.99) == 30 && tumour.duplicateRate.quantile(0.994) == 30)
    }

    @Test("The generator is the published xoshiro256** and SplitMix64, so streams never change")
    func generatorIsStable() {
        var generator = SeededGenerator(seed: 42, stream: 1)
        let first = (0..<3).map { _ in generator.next() }
        var again = SeededGenerator(seed: 42, stream: 1)
        #expect((0..<3).map { _ in again.next() } == first)
        var otherStream = SeededGenerator(seed: 42, stream: 2)
        #expect(otherStream.next() != first[0])
        // SplitMix64's finaliser on 0 (reference value from the published algorithm).
        #expect(SeededGenerator.mix(0) == 0xE220_A839_7B1D_CDAF)
    }
}
