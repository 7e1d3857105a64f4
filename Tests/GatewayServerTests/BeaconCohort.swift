import Foundation
import GatewayTestSupport
import VariantStore

/// A small cohort whose every answer can be worked out by hand, ingested into a data folder.
///
/// 30 cases (tumour -T and normal -N each): C01-C10 breast (NCIT:C4872), C11-C20 lung
/// (NCIT:C4878), C21-C30 colorectal (NCIT:C2955). C20 failed the tumour/normal identity check
/// (both samples never count), C30's tumour is below the depth target (fails QC), and only
/// C01-C05 consented to provision overseas. Base cohort: 58 samples, 29 cases.
///
/// Sites (GRCh38, chromosome 1):
/// - 1000 A>G, heterozygous in every breast and lung sample and in the tumours of C21-C23:
///   41 carriers in the base cohort (20 breast, 18 lung, 3 colorectal tumours);
/// - 2000 C>T, heterozygous in C01-T, C02-T, C03-T only (3 carriers: below k = 5);
/// - 3000 G>A, heterozygous in every sample (58 carriers in the base cohort);
/// - 4000 T>C, germline in C01-C03: 6 carrier samples but only 3 people (below k = 5).
///
/// `glioblastomaCases` adds cases C31... (NCIT:C3058), carrying only 3000 G>A: small strata.
enum BeaconCohort {
    static let breast = ("NCIT:C4872", "Breast Carcinoma"), lung = ("NCIT:C4878", "Lung Carcinoma")
    static let colorectal = ("NCIT:C2955", "Colorectal Carcinoma")

    /// A fresh data folder holding the ingested cohort.
    static func makeDataFolder(glioblastomaCases: Int = 0) throws -> String {
        let folder = DevPKI.temporaryFolder("beacon-cohort")
        var sheet = "sample_id\tparticipant_id\tdataset_id\ttissue\tcancer_type_id\tcancer_type_label\toverseas_consent\tmapping_rate\tduplicate_rate\tmean_insert_size\tmean_depth\tnt_check\n"
        var samples: [String] = []
        for number in 1...(30 + glioblastomaCases) {
            let participant = String(format: "C%02d", number)
            let type = number <= 10 ? breast : number <= 20 ? lung : number <= 30 ? colorectal : ("NCIT:C3058", "Glioblastoma")
            for tissue in ["tumour", "normal"] {
                let sample = participant + (tissue == "tumour" ? "-T" : "-N")
                samples.append(sample)
                let depth = tissue == "tumour" ? (number == 30 ? "100.0" : "130.0") : "35.0"
                sheet += [sample, participant, "demo-wgs", tissue, type.0, type.1, number <= 5 ? "yes" : "no",
                          "99.9", "10.0", "450", depth, number == 20 ? "mismatch" : "pass"].joined(separator: "\t") + "\n"
            }
        }
        func genotypes(_ carries: (String) -> Bool) -> String { samples.map { carries($0) ? "0/1" : "0/0" }.joined(separator: "\t") }
        func caseNumber(_ sample: String) -> Int { Int(sample.dropFirst().prefix(2))! }
        var vcf = """
            ##fileformat=VCFv4.2
            ##contig=<ID=1,length=248956422>
            ##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">
            #CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t\(samples.joined(separator: "\t"))

            """
        vcf += "1\t1000\t.\tA\tG\t.\tPASS\t.\tGT\t" + genotypes { caseNumber($0) <= 20 || ((21...23).contains(caseNumber($0)) && $0.hasSuffix("-T")) } + "\n"
        vcf += "1\t2000\t.\tC\tT\t.\tPASS\t.\tGT\t" + genotypes { ["C01-T", "C02-T", "C03-T"].contains($0) } + "\n"
        vcf += "1\t3000\t.\tG\tA\t.\tPASS\t.\tGT\t" + genotypes { _ in true } + "\n"
        vcf += "1\t4000\t.\tT\tC\t.\tPASS\t.\tGT\t" + genotypes { caseNumber($0) <= 3 } + "\n"
        try sheet.write(toFile: folder + "/samples.tsv", atomically: true, encoding: .utf8)
        try vcf.write(toFile: folder + "/cohort.vcf", atomically: true, encoding: .utf8)
        let store = try VariantDatabase(folder: folder + "/data")
        _ = try store.ingest(file: folder + "/cohort.vcf", dataset: "demo-wgs", sampleSheet: folder + "/samples.tsv")
        return folder + "/data"
    }
}
