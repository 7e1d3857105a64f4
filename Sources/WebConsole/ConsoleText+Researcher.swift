extension ConsoleText {
    /// The researcher pages' words in English.
    static let researcherEnglish: [String: String] = [
        "dataSearch": "Search", "dataCohort": "Cohort", "dataSearchFor": "Region, gene or variant", "dataGenes": "Cancer genes",
        "dataSearchHelp": "A region (chr17:7660000-7690000, 1-based, at most 2,000,000 bases) lists its variants; a gene name lists the variants of its span; a variant (chr17:7675088:C>T) opens its page. Filters narrow the cohort counted.",
        "dataGenesSource": "Gene spans on GRCh38 from Ensembl (GENCODE); a search aid, not an annotation.",
        "dataCancerType": "Cancer type", "dataTissue": "Tissue", "dataQc": "QC", "dataAnyCancerType": "Any cancer type", "dataAnyTissue": "Tumour and normal",
        "dataTumour": "tumour", "dataNormal": "normal", "dataAnyQC": "All samples", "dataQcPass": "Passing QC only", "dataAllTissues": "all",
        "dataRegion": "Region", "dataVariantsOfRegion": "Variants of", "dataVariant": "Variant", "dataType": "Type",
        "dataAlleleCount": "Allele count", "dataAlleleNumber": "Allele number", "dataAlleleFrequency": "Allele frequency", "dataHomozygous": "Homozygous",
        "dataSamples": "Samples", "dataCohortSamples": "Samples in the cohort", "dataViewRegion": "View in the region viewer",
        "dataNoVariants": "No variant of this region is listed for this cohort (variants carried by fewer than k people are not listed).",
        "dataMoreVariants": "More variants", "dataVariantPage": "Variant", "dataByCancerTypeAndTissue": "Allele frequency by cancer type and tissue",
        "dataVariantNotListed": "This variant is not listed for this cohort: it is absent, or carried by fewer than k people.",
        "dataAllSamples": "All", "dataRegionViewer": "Region viewer", "dataZoomIn": "Zoom in", "dataZoomOut": "Zoom out", "dataPanLeft": "← Left",
        "dataPanRight": "Right →", "dataVariantList": "Variant list", "dataSuppressedMark": "frequency not shown", "dataVariantsShown": "Variants drawn",
        "dataTruncated": "more variants than one answer holds: zoom in", "dataParticipants": "Participants", "dataRestriction": "Restriction",
        "dataSamplesByCancerTypeAndTissue": "Samples by cancer type and tissue", "dataQualityControl": "Quality control by tissue",
        "dataMetric": "Metric", "dataMean": "Mean", "dataMedian": "Median", "dataLowK": "k-th lowest", "dataHighK": "k-th highest",
        "dataQcHidden": "not shown (group below the minimum size, or a hidden stratum)", "dataCohortSummary": "Cohort summary",
        "dataMappingRate": "Mapping rate (%)", "dataDuplicateRate": "Duplicate rate (%)", "dataMeanInsertSize": "Mean insert size (bp)",
        "dataMeanDepth": "Mean depth (x)", "dataFrequencyAxis": "Allele frequency of the variants of",
    ]

    /// The researcher pages' words in Japanese.
    static let researcherJapanese: [String: String] = [
        "dataSearch": "検索", "dataCohort": "コホート", "dataSearchFor": "領域・遺伝子・変異", "dataGenes": "がん関連遺伝子",
        "dataSearchHelp": "領域（chr17:7660000-7690000、1始まり、最大2,000,000塩基）を入力すると変異の一覧を、遺伝子名を入力するとその範囲の変異を、変異（chr17:7675088:C>T）を入力するとその変異のページを表示します。絞り込み条件で集計対象のコホートを指定できます。",
        "dataGenesSource": "GRCh38上の遺伝子の範囲はEnsembl（GENCODE）によります。検索の補助であり、アノテーションではありません。",
        "dataCancerType": "がん種", "dataTissue": "組織", "dataQc": "品質管理", "dataAnyCancerType": "すべてのがん種", "dataAnyTissue": "腫瘍と正常",
        "dataTumour": "腫瘍", "dataNormal": "正常", "dataAnyQC": "すべての検体", "dataQcPass": "品質基準を満たす検体のみ", "dataAllTissues": "すべて",
        "dataRegion": "領域", "dataVariantsOfRegion": "変異一覧", "dataVariant": "変異", "dataType": "種類",
        "dataAlleleCount": "アレル数", "dataAlleleNumber": "総アレル数", "dataAlleleFrequency": "アレル頻度", "dataHomozygous": "ホモ接合",
        "dataSamples": "検体数", "dataCohortSamples": "コホートの検体数", "dataViewRegion": "ゲノムビューワーで表示",
        "dataNoVariants": "このコホートで表示できる変異はこの領域にありません（保有者がk人未満の変異は表示しません）。",
        "dataMoreVariants": "続きの変異", "dataVariantPage": "変異", "dataByCancerTypeAndTissue": "がん種・組織別のアレル頻度",
        "dataVariantNotListed": "この変異はこのコホートでは表示されません（存在しないか、保有者がk人未満です）。",
        "dataAllSamples": "全体", "dataRegionViewer": "ゲノムビューワー", "dataZoomIn": "拡大", "dataZoomOut": "縮小", "dataPanLeft": "← 左へ",
        "dataPanRight": "右へ →", "dataVariantList": "変異一覧", "dataSuppressedMark": "頻度は非表示", "dataVariantsShown": "表示した変異",
        "dataTruncated": "1回の応答に収まらない数の変異があります。拡大してください", "dataParticipants": "参加者数", "dataRestriction": "制限",
        "dataSamplesByCancerTypeAndTissue": "がん種・組織別の検体数", "dataQualityControl": "組織別の品質管理指標",
        "dataMetric": "指標", "dataMean": "平均", "dataMedian": "中央値", "dataLowK": "下からk番目", "dataHighK": "上からk番目",
        "dataQcHidden": "非表示（最小人数に満たない群、または秘匿された層）", "dataCohortSummary": "コホート概要",
        "dataMappingRate": "マッピング率（%）", "dataDuplicateRate": "重複率（%）", "dataMeanInsertSize": "平均インサートサイズ（bp）",
        "dataMeanDepth": "平均深度（x）", "dataFrequencyAxis": "変異のアレル頻度：",
    ]
}
