import GatewayCore

/// The distributions QC metrics are drawn from, one set per tissue.
///
/// Fitted to the data centre's QC of 8,670 cases (normal / tumour): mapping rate
/// mean 99.8 / 99.9 %, median 99.9 / 99.9, min 79.1 / 95.6, max 100, with 3.1 % of
/// normals and 0.1 % of tumours below 99.0 %; duplicate rate mean 13.1 / 13.7 %,
/// median 12.2 / 12.7, min 3.3 / 3.9, max 36.9 / 35.7, >= 20 % for 12.8 / 15.6 %
/// and >= 30 % for 1.0 / 0.6 % of samples; insert size mean 487 / 486 bp, median
/// 441 / 439, min 137 / 224, max 862 / 786; depth mean 31.5 / 120.9 x, median
/// 29.7 / 116.1, min 4.7 / 57.3, max 148.8 / 231.2. Every distribution is right- or
/// left-skewed as the table implies and bounded by the table's minimum and maximum.
/// (The table's "below target depth" shares, 47.5 % / 40.6 %, contradict its own
/// medians; the medians and means are kept.)
struct SequencingQualityModel: Sendable {
    let mappingRate: QuantileTable
    let duplicateRate: QuantileTable
    let meanInsertSize: QuantileTable
    let meanDepth: QuantileTable

    /// Draws one sample's metrics.
    func draw(using generator: inout SeededGenerator) -> QCMetrics {
        QCMetrics(
            mappingRate: mappingRate.draw(using: &generator),
            duplicateRate: duplicateRate.draw(using: &generator),
            meanInsertSize: meanInsertSize.draw(using: &generator),
            meanDepth: meanDepth.draw(using: &generator)
        )
    }

    /// Normal (germline) samples, sequenced to about 30x.
    static let normal = SequencingQualityModel(
        mappingRate: QuantileTable([
            (0, 79.1), (0.0005, 90.0), (0.003, 96.8), (0.031, 99.0), (0.10, 99.7), (0.5, 99.9), (0.9, 99.97), (1, 100),
        ]),
        duplicateRate: QuantileTable([
            (0, 3.3), (0.02, 5.6), (0.10, 7.6), (0.25, 9.6), (0.5, 12.2), (0.75, 14.7),
            (0.872, 20.0), (0.95, 23.5), (0.99, 30.0), (1, 36.9),
        ]),
        meanInsertSize: QuantileTable([
            (0, 137), (0.02, 300), (0.1, 360), (0.25, 400), (0.5, 441), (0.75, 548), (0.9, 700), (0.98, 815), (1, 862),
        ]),
        meanDepth: QuantileTable([
            (0, 4.7), (0.01, 12), (0.05, 20), (0.25, 26.5), (0.5, 29.7), (0.75, 33.6), (0.95, 44.5), (0.99, 70), (1, 148.8),
        ])
    )

    /// Tumour samples, sequenced to about 120x.
    static let tumour = SequencingQualityModel(
        mappingRate: QuantileTable([
            (0, 95.6), (0.001, 99.0), (0.02, 99.78), (0.2, 99.87), (0.5, 99.9), (0.85, 99.95), (1, 100),
        ]),
        duplicateRate: QuantileTable([
            (0, 3.9), (0.02, 6.1), (0.10, 8.1), (0.25, 10.1), (0.5, 12.7), (0.75, 15.3),
            (0.844, 20.0), (0.95, 24.0), (0.994, 30.0), (1, 35.7),
        ]),
        meanInsertSize: QuantileTable([
            (0, 224), (0.02, 310), (0.1, 365), (0.25, 400), (0.5, 439), (0.75, 548), (0.9, 700), (0.98, 770), (1, 786),
        ]),
        meanDepth: QuantileTable([
            (0, 57.3), (0.01, 75), (0.05, 88), (0.25, 104), (0.5, 116.1), (0.75, 134), (0.95, 161), (0.99, 197), (1, 231.2),
        ])
    )
}
