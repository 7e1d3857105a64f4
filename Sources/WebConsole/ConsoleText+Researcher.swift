extension ConsoleText {
    /// The researcher pages' words in English.
    static let researcherEnglish: [String: String] = [
        "dataSearch": "Search", "dataCohort": "Cohort", "searchFor": "Region, gene or variant", "dataGenes": "Cancer genes",
        "searchHelp": "A region (chr17:7660000-7690000, 1-based, at most 2,000,000 bases) lists its variants; a gene name lists the variants of its span; a variant (chr17:7675088:C>T) opens its page. Filters narrow the cohort counted.",
        "genesSource": "Gene spans on GRCh38 from Ensembl (GENCODE); a search aid, not an annotation.",
        "dataCancerType": "Cancer type", "dataTissue": "Tissue", "dataQc": "QC", "anyCancerType": "Any cancer type", "anyTissue": "Tumour and normal",
        "dataTumour": "tumour", "dataNormal": "normal", "anyQC": "All samples", "qcPass": "Passing QC only", "allTissues": "all",
        "dataRegion": "Region", "variantsOfRegion": "Variants of", "dataVariant": "Variant", "dataType": "Type",
        "dataAlleleCount": "Allele count", "dataAlleleNumber": "Allele number", "dataAlleleFrequency": "Allele frequency", "dataHomozygous": "Homozygous",
        "dataSamples": "Samples", "cohortSamples": "Samples in the cohort", "viewRegion": "View in the region viewer",
        "noVariants": "No variant of this region is listed for this cohort (variants carried by fewer than k people are not listed).",
        "moreVariants": "More variants", "variantPage": "Variant", "byCancerTypeAndTissue": "Allele frequency by cancer type and tissue",
        "variantNotListed": "This variant is not listed for this cohort: it is absent, or carried by fewer than k people.",
        "allSamples": "All", "regionViewer": "Region viewer", "zoomIn": "Zoom in", "zoomOut": "Zoom out", "panLeft": "← Left",
        "panRight": "Right →", "variantList": "Variant list", "suppressedMark": "frequency not shown", "variantsShown": "Variants drawn",
        "truncated": "more variants than one answer holds: zoom in", "dataParticipants": "Participants", "dataRestriction": "Restriction",
        "samplesByCancerTypeAndTissue": "Samples by cancer type and tissue", "qualityControl": "Quality control by tissue",
        "dataMetric": "Metric", "dataMean": "Mean", "dataMedian": "Median", "lowK": "k-th lowest", "highK": "k-th highest",
        "qcHidden": "not shown (group below the minimum size, or a hidden stratum)", "cohortSummary": "Cohort summary",
        "mappingRate": "Mapping rate (%)", "duplicateRate": "Duplicate rate (%)", "meanInsertSize": "Mean insert size (bp)",
        "meanDepth": "Mean depth (x)", "frequencyAxis": "Allele frequency of the variants of",
    ]

    /// The researcher pages' words in Japanese.
    static let researcherJapanese: [String: String] = [
        "dataSearch": "検索", "dataCohort": "コホート", "searchFor": "領域・遺伝子・変異", "dataGenes": "がん関連遺伝子",
        "searchHelp": "領域（chr17:7660000-7690000、1始まり、最大2,000,000塩基）を入力すると変異の一覧を、遺伝子名を入力するとその範囲の変異を、変異（chr17:7675088:C>T）を入力するとその変異のページを表示します。絞り込み条件で集計対象のコホートを指定できます。",
        "genesSource": "GRCh38上の遺伝子の範囲はEnsembl（GENCODE）によります。検索の補助であり、アノテーションではありません。",
        "dataCancerType": "がん種", "dataTissue": "組織", "dataQc": "品質管理", "anyCancerType": "すべてのがん種", "anyTissue": "腫瘍と正常",
        "dataTumour": "腫瘍", "dataNormal": "正常", "anyQC": "すべての検体", "qcPass": "品質基準を満たす検体のみ", "allTissues": "すべて",
        "dataRegion": "領域", "variantsOfRegion": "変異一覧", "dataVariant": "変異", "dataType": "種類",
        "dataAlleleCount": "アレル数", "dataAlleleNumber": "総アレル数", "dataAlleleFrequency": "アレル頻度", "dataHomozygous": "ホモ接合",
        "dataSamples": "検体数", "cohortSamples": "コホートの検体数", "viewRegion": "ゲノムビューワーで表示",
        "noVariants": "このコホートで表示できる変異はこの領域にありません（保有者がk人未満の変異は表示しません）。",
        "moreVariants": "続きの変異", "variantPage": "変異", "byCancerTypeAndTissue": "がん種・組織別のアレル頻度",
        "variantNotListed": "この変異はこのコホートでは表示されません（存在しないか、保有者がk人未満です）。",
        "allSamples": "全体", "regionViewer": "ゲノムビューワー", "zoomIn": "拡大", "zoomOut": "縮小", "panLeft": "← 左へ",
        "panRight": "右へ →", "variantList": "変異一覧", "suppressedMark": "頻度は非表示", "variantsShown": "表示した変異",
        "truncated": "1回の応答に収まらない数の変異があります。拡大してください", "dataParticipants": "参加者数", "dataRestriction": "制限",
        "samplesByCancerTypeAndTissue": "がん種・組織別の検体数", "qualityControl": "組織別の品質管理指標",
        "dataMetric": "指標", "dataMean": "平均", "dataMedian": "中央値", "lowK": "下からk番目", "highK": "上からk番目",
        "qcHidden": "非表示（最小人数に満たない群、または秘匿された層）", "cohortSummary": "コホート概要",
        "mappingRate": "マッピング率（%）", "duplicateRate": "重複率（%）", "meanInsertSize": "平均インサートサイズ（bp）",
        "meanDepth": "平均深度（x）", "frequencyAxis": "変異のアレル頻度：",
    ]
}
