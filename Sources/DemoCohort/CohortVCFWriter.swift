/// Writes the multi-sample VCF, one chromosome after another, a row at a time.
///
/// Germline genotypes belong to people: a case's normal and tumour show the same
/// genotype, except for a mismatched case, whose tumour carries a stranger's germline.
/// A site's alternate alleles are placed on exactly `k` of the cohort's chromosomes
/// (`k` from ``AlleleCountSpectrum``), chosen at random, so genotypes follow
/// Hardy-Weinberg proportions given the count. A few sites are somatic: heterozygous
/// in one to three tumours, absent from every normal.
struct CohortVCFWriter {
    /// Share of sites that are somatic (tumour-only).
    static let somaticShare = 0.03
    /// Share of germline sites with two alternate alleles.
    static let multiallelicShare = 0.025
    /// Share of sites with any missing genotypes, and the range of their per-sample missing rate.
    static let sitesWithMissingShare = 0.15
    static let missingRate = 0.002...0.032
    /// Share of sites that fail quality filtering (`LowQual`, QUAL below 30).
    static let lowQualityShare = 0.03

    /// Genotype codes: 0/0, 0/1, 1/1, 0/2, 1/2, 2/2, ./.
    static let missingCode: UInt8 = 6
    static let genotypeTexts = ["0/0", "0/1", "1/1", "0/2", "1/2", "2/2", "./."]
    /// A genotype code from two alleles (0...2 each), indexed by `3 * first + second`.
    static let codeForAlleles: [UInt8] = [0, 1, 3, 1, 2, 4, 3, 4, 5]
    /// Alternate alleles in each genotype code.
    static let alternateAlleleCount: [Int] = [0, 1, 2, 1, 2, 2, 0]
    /// Each genotype as four bytes: a tab and the genotype text, in memory order.
    static let genotypeWords: [UInt32] = genotypeTexts.map { text in
        let bytes = [UInt8(0x09)] + Array(text.utf8)
        return UInt32(bytes[0]) | UInt32(bytes[1]) << 8 | UInt32(bytes[2]) << 16 | UInt32(bytes[3]) << 24
    }.map { UInt32(littleEndian: $0) }

    /// Counts kept for the summary.
    struct Counts {
        var somaticSites = 0
        var multiallelicSites = 0
        var missingGenotypes = 0
    }

    let options: DemoCohortOptions
    let plan: CohortPlan
    private let genome: SyntheticGenome
    private let designer: VariantAlleleDesigner
    private let spectrum: AlleleCountSpectrum

    init(options: DemoCohortOptions, plan: CohortPlan) {
        self.options = options
        self.plan = plan
        genome = SyntheticGenome(seed: options.seed)
        designer = VariantAlleleDesigner(genome: genome)
        spectrum = AlleleCountSpectrum(chromosomes: 2 * plan.people)
    }

    /// Writes the VCF to `path`; `progress` is called after each chromosome with the sites written so far.
    /// With withheld cases, their germline genotypes go to `withheldPath` (same sites, same
    /// columns before the genotypes; one column per withheld case, its normal sample id).
    /// - Returns: the counts for the summary and the file size.
    func write(to path: String, withheldPath: String? = nil, progress: ((Int) -> Void)?) throws(DemoCohortError) -> (counts: Counts, bytes: Int) {
        let samples = options.samples
        let writer = try BufferedFileWriter(path: path, capacity: max(8 << 20, 4 * samples + (1 << 16)))
        let sitesPerContig = SyntheticGenome.sitesPerContig(options.sites)
        try writeHeader(writer, sitesPerContig: sitesPerContig)
        var withheldWriter: BufferedFileWriter?
        if let withheldPath, !plan.withheldCases.isEmpty {
            let withheld = try BufferedFileWriter(path: withheldPath, capacity: max(8 << 20, 4 * plan.withheldCases.count + (1 << 16)))
            try writeHeader(withheld, sitesPerContig: sitesPerContig, withheld: true)
            withheldWriter = withheld
        }

        var counts = Counts()
        var state = SiteState(people: plan.people, samples: samples)
        var sitesWritten = 0
        for (contig, siteCount) in sitesPerContig.enumerated() where siteCount > 0 {
            var generator = SeededGenerator(seed: options.seed, stream: 100 + UInt64(contig))
            let positions = SyntheticGenome.positions(count: siteCount, contig: contig, using: &generator)
            let contigName = Array(SyntheticGenome.contigs[contig].name.utf8)
            for position in positions {
                try writeSite(contig: contig, contigName: contigName, position: position, state: &state,
                              counts: &counts, writer: writer, withheldWriter: withheldWriter, using: &generator)
            }
            sitesWritten += siteCount
            progress?(sitesWritten)
        }
        try writer.finish()
        try withheldWriter?.finish()
        return (counts, writer.bytesWritten)
    }

    private func writeHeader(_ writer: BufferedFileWriter, sitesPerContig: [Int], withheld: Bool = false) throws(DemoCohortError) {
        var lines = [
            "##fileformat=VCFv4.2",
            "##FILTER=<ID=PASS,Description=\"All filters passed\">",
            "##FILTER=<ID=LowQual,Description=\"Low quality (QUAL below 30)\">",
            "##INFO=<ID=SOMATIC,Number=0,Type=Flag,Description=\"Somatic variant: carried by tumour samples only, absent from every normal\">",
            "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">",
            "##reference=GRCh38",
        ]
        for (contig, siteCount) in sitesPerContig.enumerated() where siteCount > 0 {
            let (name, length) = SyntheticGenome.contigs[contig]
            lines.append("##contig=<ID=\(name),length=\(length),assembly=GRCh38>")
        }
        lines.append("##source=GenomeGate DemoCohort synthetic cohort (not real data)")
        lines.append("##demoCohort=<dataset=\(options.dataset),seed=\(options.seed),samples=\(options.samples),sites=\(options.sites)>")
        if withheld {
            lines.append("##demoCohortWithheld=<cases=\(plan.withheldCases.count),description=\"Germline genotypes of cases drawn from the cohort's population but left out of the cohort (not in \(DemoCohortGenerator.variantFileName)); a somatic site is 0/0 here\">")
        }
        lines.append("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT")
        for line in lines.dropLast() {
            try writer.reserve(line.utf8.count + 1)
            writer.append(line)
            writer.append(0x0A)
        }
        try writer.reserve(64)
        writer.append(lines[lines.count - 1])
        let columns = withheld
            ? plan.withheldCases.map { CohortPlan.normalSampleID($0.number) }
            : plan.cases.flatMap { [CohortPlan.tumourSampleID($0.number), CohortPlan.normalSampleID($0.number)] }
        for sample in columns {
            try writer.reserve(sample.utf8.count + 2)
            writer.append(0x09)
            writer.append(sample)
        }
        try writer.reserve(1)
        writer.append(0x0A)
    }

    /// Scratch arrays reused for every site.
    private struct SiteState {
        /// The allele (0, 1, 2) on each chromosome; person `p` has chromosomes `2p` and `2p + 1`.
        var chromosomeAlleles: [UInt8]
        /// A permutation of the chromosomes, partially reshuffled to pick carriers.
        var chromosomeOrder: [Int32]
        var personCodes: [UInt8]
        /// Genotype code per VCF column: tumour of case `c` at `2c`, normal at `2c + 1`.
        var sampleCodes: [UInt8]

        init(people: Int, samples: Int) {
            chromosomeAlleles = Array(repeating: 0, count: 2 * people)
            chromosomeOrder = (0..<Int32(2 * people)).map { $0 }
            personCodes = Array(repeating: 0, count: people)
            sampleCodes = Array(repeating: 0, count: samples)
        }
    }

    private func writeSite(
        contig: Int, contigName: [UInt8], position: Int, state: inout SiteState,
        counts: inout Counts, writer: BufferedFileWriter, withheldWriter: BufferedFileWriter?,
        using generator: inout SeededGenerator
    ) throws(DemoCohortError) {
        let somatic = generator.chance(Self.somaticShare)
        let alternateCount = !somatic && generator.chance(Self.multiallelicShare) ? 2 : 1
        let alleles = designer.design(contig: contig, position: position, alternates: alternateCount, using: &generator)
        if somatic {
            counts.somaticSites += 1
            drawSomaticGenotypes(state: &state, using: &generator)
        } else {
            if alternateCount == 2 { counts.multiallelicSites += 1 }
            drawGermlineGenotypes(alternates: alternateCount, state: &state, using: &generator)
        }
        let alternateAlleles = applyMissingness(state: &state, counts: &counts, using: &generator)
        let lowQuality = generator.chance(Self.lowQualityShare)
        let quality = lowQuality
            ? 3 + generator.nextUnit() * 26.9
            : 30 + 45 * Double(alternateAlleles).squareRoot() + generator.nextUnit() * 40

        let line = SiteLine(contigName: contigName, position: position, alleles: alleles, quality: quality,
                            lowQuality: lowQuality, somatic: somatic)
        try line.write(genotypes: state.sampleCodes, to: writer)
        if let withheldWriter {
            // Germline only: a somatic site is reference in every withheld person.
            let first = plan.firstWithheldPerson
            let codes = somatic
                ? [UInt8](repeating: 0, count: plan.withheldCases.count)
                : Array(state.personCodes[first..<(first + plan.withheldCases.count)])
            try line.write(genotypes: codes, to: withheldWriter)
        }
    }

    /// The columns of one site before its genotypes.
    private struct SiteLine {
        var contigName: [UInt8]
        var position: Int
        var alleles: VariantAlleles
        var quality: Double
        var lowQuality: Bool
        var somatic: Bool

        func write(genotypes: [UInt8], to writer: BufferedFileWriter) throws(DemoCohortError) {
            let allelesLength = alleles.reference.count + alleles.alternates.reduce(0) { $0 + $1.count + 1 }
            try writer.reserve(256 + allelesLength + 4 * genotypes.count)
            writer.append(contigName)
            writer.append(0x09)
            writer.appendDecimal(position)
            writer.append("\t.\t")
            writer.append(alleles.reference)
            writer.append(0x09)
            for (index, alternate) in alleles.alternates.enumerated() {
                if index > 0 { writer.append(0x2C) }
                writer.append(alternate)
            }
            writer.append(0x09)
            writer.appendFixed(quality, decimals: 2)
            writer.append(lowQuality ? "\tLowQual\t" : "\tPASS\t")
            writer.append(somatic ? "SOMATIC\tGT" : ".\tGT")
            writer.appendWords(genotypes, from: CohortVCFWriter.genotypeWords)
            writer.append(0x0A)
        }
    }

    /// Places exactly `k` copies of each alternate allele on random chromosomes and
    /// derives every person's and then every sample's genotype.
    private func drawGermlineGenotypes(alternates: Int, state: inout SiteState, using generator: inout SeededGenerator) {
        let chromosomes = state.chromosomeAlleles.count
        for index in 0..<chromosomes { state.chromosomeAlleles[index] = 0 }
        var placed = 0
        for allele in 1...alternates {
            let copies = min(spectrum.draw(using: &generator), chromosomes - placed)
            for slot in placed..<(placed + copies) {
                let chosen = slot + generator.nextInt(below: chromosomes - slot)
                state.chromosomeOrder.swapAt(slot, chosen)
                state.chromosomeAlleles[Int(state.chromosomeOrder[slot])] = UInt8(allele)
            }
            placed += copies
        }
        for person in 0..<state.personCodes.count {
            let first = Int(state.chromosomeAlleles[2 * person])
            let second = Int(state.chromosomeAlleles[2 * person + 1])
            state.personCodes[person] = Self.codeForAlleles[3 * first + second]
        }
        for caseIndex in 0..<plan.cases.count {
            state.sampleCodes[2 * caseIndex] = state.personCodes[plan.tumourPerson[caseIndex]]
            state.sampleCodes[2 * caseIndex + 1] = state.personCodes[caseIndex]
        }
    }

    /// Makes one tumour heterozygous (sometimes two or three), everyone else reference.
    private func drawSomaticGenotypes(state: inout SiteState, using generator: inout SeededGenerator) {
        for index in 0..<state.sampleCodes.count { state.sampleCodes[index] = 0 }
        let draw = generator.nextUnit()
        let carriers = min(draw < 0.85 ? 1 : (draw < 0.96 ? 2 : 3), plan.cases.count)
        var marked = 0
        while marked < carriers {
            let tumourColumn = 2 * generator.nextInt(below: plan.cases.count)
            if state.sampleCodes[tumourColumn] == 0 {
                state.sampleCodes[tumourColumn] = 1
                marked += 1
            }
        }
    }

    /// Blanks a few genotypes at some sites; returns the alternate alleles left.
    private func applyMissingness(state: inout SiteState, counts: inout Counts, using generator: inout SeededGenerator) -> Int {
        if generator.chance(Self.sitesWithMissingShare) {
            let range = Self.missingRate
            let rate = range.lowerBound + generator.nextUnit() * (range.upperBound - range.lowerBound)
            for index in 0..<state.sampleCodes.count where generator.chance(rate) {
                state.sampleCodes[index] = Self.missingCode
                counts.missingGenotypes += 1
            }
        }
        var alternateAlleles = 0
        for code in state.sampleCodes { alternateAlleles += Self.alternateAlleleCount[Int(code)] }
        return alternateAlleles
    }
}
