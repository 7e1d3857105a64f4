import GatewayCore
import Testing
@testable import VisitingAnalyses

/// Chromosome names as the variant store matches them: the ledger names regions by these keys
/// and the unit overlap rule compares them, so `chr13` and `13` must be one chromosome.
@Suite("Visiting analyses: genomic regions")
struct GenomicRegionTests {
    @Test("chromosome keys", arguments: [
        ("chr13", "13"), ("13", "13"), ("CHR13", "13"), ("Chr1", "1"), ("chrM", "MT"), ("M", "MT"), ("mt", "MT"), ("chrMT", "MT"),
        ("chrx", "X"), ("Y", "Y"), ("chr", "chr"), ("chrUn_KI270302v1", "Un_KI270302v1"), ("HLA.1", "HLA.1"),
    ])
    func key(name: String, expected: String) {
        #expect(GenomicRegion(referenceName: name, start: 1, end: 2).chromosomeKey == expected)
    }

    @Test("overlap: same chromosome however spelled, sharing a base")
    func overlap() {
        let region = GenomicRegion(referenceName: "chr13", start: 100, end: 200)
        #expect(region.overlaps(GenomicRegion(referenceName: "13", start: 200, end: 300)))
        #expect(!region.overlaps(GenomicRegion(referenceName: "13", start: 201, end: 300)))
        #expect(!region.overlaps(GenomicRegion(referenceName: "14", start: 100, end: 200)))
    }
}
