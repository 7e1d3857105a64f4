import GatewayCore

/// Writes the sample sheet: one tab-separated row per sample, tumour then normal for each case.
enum SampleSheetWriter {
    /// The header columns, in order.
    static let columns = [
        "sample_id", "participant_id", "dataset_id", "tissue", "cancer_type_id", "cancer_type_label",
        "overseas_consent", "mapping_rate", "duplicate_rate", "mean_insert_size", "mean_depth", "nt_check",
    ]

    static func write(plan: CohortPlan, dataset: String, to path: String) throws(DemoCohortError) {
        let writer = try BufferedFileWriter(path: path, capacity: 1 << 20)
        let header = columns.joined(separator: "\t") + "\n"
        try writer.reserve(header.utf8.count)
        writer.append(header)
        for cohortCase in plan.cases {
            let number = cohortCase.number
            try writeRow(
                sample: CohortPlan.tumourSampleID(number), tissue: "tumour",
                quality: cohortCase.tumourQuality, cohortCase: cohortCase, dataset: dataset, writer: writer
            )
            try writeRow(
                sample: CohortPlan.normalSampleID(number), tissue: "normal",
                quality: cohortCase.normalQuality, cohortCase: cohortCase, dataset: dataset, writer: writer
            )
        }
        try writer.finish()
    }

    private static func writeRow(
        sample: String, tissue: String, quality: QCMetrics,
        cohortCase: CohortCase, dataset: String, writer: BufferedFileWriter
    ) throws(DemoCohortError) {
        let tab: UInt8 = 0x09
        try writer.reserve(512 + dataset.utf8.count)
        writer.append(sample)
        writer.append(tab)
        writer.append(CohortPlan.participantID(cohortCase.number))
        writer.append(tab)
        writer.append(dataset)
        writer.append(tab)
        writer.append(tissue)
        writer.append(tab)
        writer.append(cohortCase.cancerType.id)
        writer.append(tab)
        writer.append(cohortCase.cancerType.label)
        writer.append(tab)
        writer.append(cohortCase.overseasConsent ? "yes" : "no")
        writer.append(tab)
        writer.appendFixed(quality.mappingRate, decimals: 2)
        writer.append(tab)
        writer.appendFixed(quality.duplicateRate, decimals: 2)
        writer.append(tab)
        writer.appendFixed(quality.meanInsertSize, decimals: 1)
        writer.append(tab)
        writer.appendFixed(quality.meanDepth, decimals: 2)
        writer.append(tab)
        writer.append(cohortCase.identityMismatch ? "mismatch" : "pass")
        writer.append(0x0A)
    }
}
