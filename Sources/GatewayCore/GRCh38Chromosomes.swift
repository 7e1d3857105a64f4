/// The lengths of GRCh38's primary chromosomes (Genome Reference Consortium, GCA_000001405.15),
/// so that the region viewer's window stays on its chromosome and the demo cohort's sites lie
/// on real ones.
public enum GRCh38Chromosomes {
    /// The primary chromosomes in order (1-22, X, Y, MT) with their lengths.
    public static let primary: [(name: String, length: Int)] = [
        ("1", 248_956_422), ("2", 242_193_529), ("3", 198_295_559), ("4", 190_214_555), ("5", 181_538_259), ("6", 170_805_979),
        ("7", 159_345_973), ("8", 145_138_636), ("9", 138_394_717), ("10", 133_797_422), ("11", 135_086_622), ("12", 133_275_309),
        ("13", 114_364_328), ("14", 107_043_718), ("15", 101_991_189), ("16", 90_338_345), ("17", 83_257_441), ("18", 80_373_285),
        ("19", 58_617_616), ("20", 64_444_167), ("21", 46_709_983), ("22", 50_818_468), ("X", 156_040_895), ("Y", 57_227_415),
        ("MT", 16_569),
    ]

    /// Each primary chromosome's length by name (`17`, `X`, `MT`).
    public static let lengths = Dictionary(uniqueKeysWithValues: primary.map { ($0.name, $0.length) })

    /// The length of `chromosome` (`chr17` or `17`, `chrM`, `M` or `MT`), or nil for a name
    /// GRCh38's primary assembly does not have.
    public static func length(of chromosome: String) -> Int? {
        var key = Substring(chromosome)
        if key.count > 3, key.prefix(3).lowercased() == "chr" { key = key.dropFirst(3) }
        let name = key.uppercased()
        return lengths[name == "M" ? "MT" : name]
    }
}
