import DemoCohort
import Foundation
import GatewayTestSupport
import Testing

@Suite("Demo cohort VCF")
struct CohortVCFTests {
    static let contigOrder = (1...22).map { "chr\($0)" } + ["chrX"]
    static let genotypes: Set<Substring> = ["0/0", "0/1", "1/1", "0/2", "1/2", "2/2", "./."]

    @Test("bcftools reads, converts and indexes the VCF without a warning; regions can be queried")
    func bcftoolsAcceptsAndIndexes() async throws {
        let (folder, summary) = try await DemoCohortFixture.moderate()
        let bcf = folder + "/cohort.bcf"
        try await DemoCohortFixture.runQuietly(["bcftools", "view", "-Ob", "-o", bcf, summary.variantFile])
        try await DemoCohortFixture.runQuietly(["bcftools", "index", bcf])
        let perContig = try await DemoCohortFixture.runQuietly(["bcftools", "index", "--stats", bcf]).split(separator: "\n")
        #expect(perContig.count == 23)
        #expect(perContig.reduce(0) { $0 + Int($1.split(separator: "\t")[2])! } == 3000)
        let samples = try await DemoCohortFixture.runQuietly(["bcftools", "query", "-l", bcf])
        #expect(samples.split(separator: "\n").count == 2000)
        let chr2 = try await DemoCohortFixture.runQuietly(["bcftools", "view", "-H", "-r", "chr2", bcf])
        let chr2Rows = chr2.split(separator: "\n")
        #expect(chr2Rows.count > 150 && chr2Rows.allSatisfy { $0.hasPrefix("chr2\t") })
    }

    @Test("The allele frequency spectrum is realistic: mostly rare variants, some common ones, Ti/Tv near 2")
    func alleleFrequencySpectrum() async throws {
        let (folder, summary) = try await DemoCohortFixture.moderate()
        let tagged = folder + "/tagged.bcf"
        _ = try await Subprocess.run(["bcftools", "+fill-tags", summary.variantFile, "-Ob", "-o", tagged, "--", "-t", "AC,AN"])
        let query = try await DemoCohortFixture.runQuietly(["bcftools", "query", "-f", "%AC\t%AN\t%FILTER\t%INFO/SOMATIC\n", tagged])
        var rare = 0, common = 0, singleCase = 0, lowQuality = 0, somatic = 0, sites = 0
        for line in query.split(separator: "\n") {
            let columns = line.split(separator: "\t")
            let count = columns[0].split(separator: ",").reduce(0) { $0 + Int($1)! }
            let alleles = Int(columns[1])!
            sites += 1
            if Double(count) <= 0.02 * Double(alleles) { rare += 1 }
            if Double(count) >= 0.05 * Double(alleles) { common += 1 }
            if count == 2 { singleCase += 1 }  // one person's heterozygote, seen in tumour and normal
            if columns[2] == "LowQual" { lowQuality += 1 }
            if columns[3] == "1" { somatic += 1 }
        }
        #expect(sites == 3000)
        #expect(Double(rare) / Double(sites) > 0.6, "sites with AC <= 2 % of AN: \(rare) of \(sites)")
        #expect(Double(common) / Double(sites) > 0.05 && Double(common) / Double(sites) < 0.3, "common sites: \(common)")
        #expect(Double(singleCase) / Double(sites) > 0.2, "single-person heterozygous sites: \(singleCase)")
        #expect(lowQuality > 30 && lowQuality < 200, "LowQual sites: \(lowQuality)")
        #expect(somatic == summary.somaticSites && somatic > 30 && somatic < 200)

        let stats = try await DemoCohortFixture.runQuietly(["bcftools", "stats", summary.variantFile])
        let tstv = try #require(stats.split(separator: "\n").first { $0.hasPrefix("TSTV\t") })
        let ratio = try #require(Double(tstv.split(separator: "\t")[4]))
        #expect(ratio > 1.6 && ratio < 2.6, "Ti/Tv \(ratio)")
        let multiallelic = stats.split(separator: "\n").first { $0.hasPrefix("SN\t0\tnumber of multiallelic sites:") }
        let multiallelicSites = try #require(multiallelic.flatMap { Int($0.split(separator: "\t")[3]) })
        #expect(multiallelicSites == summary.multiallelicSites && multiallelicSites > 20)
    }

    @Test("Records are sorted, alleles valid and left-padded, and overlapping records agree on the reference")
    func recordShape() async throws {
        let (folder, summary) = try await DemoCohortFixture.write(DemoCohortOptions(samples: 20, sites: 6000, seed: 5))
        let (samples, rows) = try DemoCohortFixture.variantRows(in: folder)
        #expect(samples.count == 20 && samples[0] == "GG000001-T" && samples[1] == "GG000001-N")
        #expect(rows.count == 6000 && summary.sites == 6000)
        var previous = (contig: -1, position: 0)
        var reference: [String: [Int: Character]] = [:]
        var snvs = 0, insertions = 0, deletions = 0, multiallelic = 0
        for row in rows {
            #expect(row.count == 9 + 20)
            let contig = try #require(Self.contigOrder.firstIndex(of: String(row[0])))
            let position = try #require(Int(row[1]))
            #expect(contig > previous.contig || (contig == previous.contig && position > previous.position))
            previous = (contig, position)
            #expect(row[2] == "." && Double(row[5]) != nil && ["PASS", "LowQual"].contains(row[6]) && row[8] == "GT")
            #expect([".", "SOMATIC"].contains(row[7]))
            let ref = row[3], alternates = row[4].split(separator: ",")
            #expect(ref.allSatisfy { "ACGT".contains($0) } && alternates.allSatisfy { $0.allSatisfy { "ACGT".contains($0) } })
            #expect(Set(alternates).count == alternates.count && !alternates.contains(ref))
            if alternates.count == 2 { multiallelic += 1 }
            for alternate in alternates {
                if ref.count == 1 && alternate.count == 1 { snvs += 1 }
                else {
                    #expect(ref.first == alternate.first, "indel \(ref)>\(alternate) not left-padded")
                    if alternate.count > ref.count { insertions += 1 } else { deletions += 1 }
                }
            }
            for (offset, base) in ref.enumerated() {
                let known = reference[String(row[0]), default: [:]][position + offset]
                #expect(known == nil || known == base, "reference disagrees at \(row[0]):\(position + offset)")
                reference[String(row[0]), default: [:]][position + offset] = base
            }
            #expect(row[9...].allSatisfy { Self.genotypes.contains($0) })
        }
        #expect(Set(rows.map { String($0[0]) }) == Set(Self.contigOrder))
        let total = Double(snvs + insertions + deletions)
        #expect(Double(snvs) / total > 0.8 && Double(insertions) / total > 0.03 && Double(deletions) / total > 0.03)
        #expect(multiallelic > 50 && multiallelic == summary.multiallelicSites)
    }

    @Test("A case's tumour and normal share germline genotypes unless the case is mismatched; somatic sites are tumour-only")
    func tumourNormalGenotypes() async throws {
        // 100 cases: exactly one mismatched case.
        let (folder, summary) = try await DemoCohortFixture.write(DemoCohortOptions(samples: 200, sites: 4000, seed: 9))
        #expect(summary.mismatchedCases == 1)
        let sheet = try DemoCohortFixture.sampleSheetRows(in: folder).rows
        let mismatchedCase = try #require(sheet.firstIndex { $0[11] == "mismatch" }) / 2
        let (_, rows) = try DemoCohortFixture.variantRows(in: folder)
        var differing = Array(repeating: 0, count: 100)
        var somaticRows = 0, missing = 0
        for row in rows {
            let genotypes = Array(row[9...])
            missing += genotypes.filter { $0 == "./." }.count
            if row[7] == "SOMATIC" {
                somaticRows += 1
                let normals = stride(from: 1, to: 200, by: 2).map { genotypes[$0] }
                let carriers = stride(from: 0, to: 200, by: 2).filter { genotypes[$0] == "0/1" }
                #expect(normals.allSatisfy { $0 == "0/0" || $0 == "./." })
                #expect((1...3).contains(carriers.count) || genotypes.contains("./."))
                continue
            }
            for caseIndex in 0..<100 {
                let tumour = genotypes[2 * caseIndex], normal = genotypes[2 * caseIndex + 1]
                if tumour != normal && tumour != "./." && normal != "./." { differing[caseIndex] += 1 }
            }
        }
        #expect(somaticRows == summary.somaticSites && somaticRows > 50)
        #expect(missing == summary.missingGenotypes && missing > 0)
        for caseIndex in 0..<100 where caseIndex != mismatchedCase {
            #expect(differing[caseIndex] == 0, "case \(caseIndex + 1): tumour and normal differ at \(differing[caseIndex]) germline sites")
        }
        #expect(differing[mismatchedCase] > 100, "mismatched case differs at only \(differing[mismatchedCase]) sites")
    }
}
