import GatewayCore
/// Well-known cancer genes and where they lie on GRCh38, so that the researcher's search takes a
/// gene name: GenomeGate holds no gene annotation of its own, and this small table is only a
/// search aid (a name to a region), not an annotation.
///
/// Source: Ensembl gene records for GRCh38 (GENCODE annotation, releases 110–115), the span of
/// each gene (its earliest start and latest end over its transcripts), 1-based and inclusive as
/// Ensembl shows them. Spans move by a few bases between releases; several were checked against
/// public analysis pipelines' region tables (TP53 17:7661779-7687546, KRAS 12:25205246-25250936,
/// ARID1A 1:26693236-26782104, SMAD4 18:51028528-51085045, CDKN2A 9:21967752-21995301, BRCA1
/// 17:43044295-43170245, BRCA2 13:32315086-32400268, EGFR 7:55019017-55211628, PIK3CA
/// 3:179148114-179240093, PTEN 10:87863113-87971930, APC 5:112707498-112846239, AKT1
/// 14:104769349-104795751). Facts only: gene symbols (HGNC) and coordinates.
public enum CancerGenes {
    /// A gene: its HGNC symbol and its span (1-based, inclusive).
    public struct Gene: Sendable, Hashable {
        public let symbol: String
        public let chromosome: String
        public let start: Int
        public let end: Int

        /// The gene's span as a region.
        public var region: GenomicRegion { GenomicRegion(referenceName: chromosome, start: start, end: end) }
    }

    /// The table, by symbol.
    public static let all: [Gene] = [
        ("AKT1", "chr14", 104_769_349, 104_795_751), ("ALK", "chr2", 29_192_774, 29_921_586),
        ("APC", "chr5", 112_707_498, 112_846_239), ("AR", "chrX", 67_544_021, 67_730_619),
        ("ARID1A", "chr1", 26_693_236, 26_782_104), ("ATM", "chr11", 108_222_484, 108_369_102),
        ("BRAF", "chr7", 140_719_327, 140_924_929), ("BRCA1", "chr17", 43_044_295, 43_170_245),
        ("BRCA2", "chr13", 32_315_086, 32_400_268), ("CCND1", "chr11", 69_641_156, 69_654_474),
        ("CDH1", "chr16", 68_737_292, 68_835_537), ("CDKN2A", "chr9", 21_967_752, 21_995_301),
        ("CHEK2", "chr22", 28_687_743, 28_742_422), ("CTNNB1", "chr3", 41_194_741, 41_260_096),
        ("DNMT3A", "chr2", 25_227_855, 25_342_590), ("EGFR", "chr7", 55_019_017, 55_211_628),
        ("ERBB2", "chr17", 39_687_914, 39_730_426), ("ESR1", "chr6", 151_656_691, 152_129_619),
        ("FBXW7", "chr4", 152_320_544, 152_536_873), ("FGFR2", "chr10", 121_478_334, 121_598_458),
        ("FGFR3", "chr4", 1_793_293, 1_808_872), ("FLT3", "chr13", 28_003_274, 28_100_592),
        ("GATA3", "chr10", 8_045_378, 8_075_198), ("GNAS", "chr20", 58_839_718, 58_911_192),
        ("HRAS", "chr11", 532_242, 537_287), ("IDH1", "chr2", 208_236_227, 208_266_074),
        ("IDH2", "chr15", 90_083_045, 90_102_504), ("JAK2", "chr9", 4_985_033, 5_128_183),
        ("KIT", "chr4", 54_657_918, 54_740_715), ("KMT2C", "chr7", 152_134_922, 152_436_644),
        ("KRAS", "chr12", 25_205_246, 25_250_936), ("MDM2", "chr12", 68_808_177, 68_850_686),
        ("MET", "chr7", 116_672_196, 116_798_377), ("MLH1", "chr3", 36_993_332, 37_050_918),
        ("MSH2", "chr2", 47_403_067, 47_634_501), ("MSH6", "chr2", 47_783_082, 47_806_954),
        ("MYC", "chr8", 127_735_434, 127_742_951), ("NF1", "chr17", 31_094_927, 31_382_116),
        ("NOTCH1", "chr9", 136_494_433, 136_546_048), ("NPM1", "chr5", 171_387_116, 171_411_810),
        ("NRAS", "chr1", 114_704_469, 114_716_894), ("PALB2", "chr16", 23_603_160, 23_641_310),
        ("PDGFRA", "chr4", 54_229_280, 54_298_245), ("PIK3CA", "chr3", 179_148_114, 179_240_093),
        ("POLE", "chr12", 132_623_753, 132_687_376), ("PTEN", "chr10", 87_863_113, 87_971_930),
        ("RB1", "chr13", 48_303_747, 48_481_890), ("RET", "chr10", 43_077_027, 43_130_351),
        ("SF3B1", "chr2", 197_388_515, 197_435_079), ("SMAD4", "chr18", 51_028_528, 51_085_045),
        ("STK11", "chr19", 1_177_558, 1_228_431), ("TERT", "chr5", 1_253_147, 1_295_068),
        ("TP53", "chr17", 7_661_779, 7_687_546), ("VHL", "chr3", 10_141_778, 10_153_667),
    ].map { Gene(symbol: $0.0, chromosome: $0.1, start: $0.2, end: $0.3) }

    private static let bySymbol = Dictionary(uniqueKeysWithValues: all.map { ($0.symbol, $0) })

    /// The gene named `name` (any case), or nil.
    public static func gene(named name: String) -> Gene? { bySymbol[name.uppercased()] }

    /// Up to `limit` symbols of the table closest to `name`: those it starts, or that start it,
    /// then by edit distance (at most 2), alphabetically among equals. Bounded: `name` is cut to
    /// 32 characters.
    public static func closeNames(to name: String, limit: Int = 5) -> [String] {
        let wanted = Array(name.uppercased().prefix(32))
        let scored: [(symbol: String, score: Int)] = all.compactMap { gene in
            let symbol = Array(gene.symbol)
            if !wanted.isEmpty, symbol.starts(with: wanted) || (wanted.starts(with: symbol) && symbol.count >= 2) { return (gene.symbol, 0) }
            let distance = editDistance(wanted, symbol)
            return distance <= 2 ? (gene.symbol, distance) : nil
        }
        return scored.sorted { ($0.score, $0.symbol) < ($1.score, $1.symbol) }.prefix(max(0, limit)).map(\.symbol)
    }

    /// Levenshtein distance of two short texts.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1] + [Int](repeating: 0, count: b.count)
            for (j, y) in b.enumerated() {
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
