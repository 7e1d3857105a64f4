import GatewayCore

/// One variant as a researcher writes it, `chr17:7675088:C>T` (also `17-7675088-C-T` or
/// `chr17:7675088 C>T`): chromosome, 1-based VCF position, reference and alternate bases.
public struct VariantLocus: Sendable, Hashable, CustomStringConvertible {
    public var chromosome: String
    public var position: Int
    public var reference: String
    public var alternate: String

    public init(chromosome: String, position: Int, reference: String, alternate: String) {
        self.chromosome = chromosome
        self.position = position
        self.reference = reference
        self.alternate = alternate
    }

    public var description: String { "\(chromosome):\(position):\(reference)>\(alternate)" }

    /// Reads `text`; a mistake is a `bad_request` naming `parameter`. Bounded: at most 2,100
    /// characters (two alleles of up to 1,000 bases).
    public static func parse(_ text: String, parameter: String) throws(GatewayError) -> VariantLocus {
        guard let parts = parts(text), let locus = try make(parts, parameter: parameter) else {
            throw GatewayError(.badRequest, "\(parameter) '\(text.prefix(60))' is not a variant such as chr17:7675088:C>T (chromosome:position:reference>alternate)")
        }
        return locus
    }

    /// The pieces of `text` between separators (`:`, `-`, `>`, `/`, spaces), or nil when too long.
    static func parts(_ text: String) -> [String]? {
        guard text.count <= 2100 else { return nil }
        return text.split(whereSeparator: { ":->/ ".contains($0) }).map(String.init)
    }

    /// The variant of four pieces, or nil when they are not chromosome, position and two alleles.
    static func make(_ parts: [String], parameter: String) throws(GatewayError) -> VariantLocus? {
        guard parts.count == 4, let position = GenomicRegion.position(Substring(parts[1])) else { return nil }
        let chromosome = try GenomicRegion.chromosome(parts[0], parameter: parameter)
        let reference = parts[2].uppercased(), alternate = parts[3].uppercased()
        for bases in [reference, alternate] {
            guard (1...1000).contains(bases.count), bases.allSatisfy({ "ACGTN".contains($0) }) else {
                throw GatewayError(.badRequest, "\(parameter): the alleles '\(bases.prefix(40))' must be 1 to 1000 of A, C, G, T and N")
            }
        }
        return VariantLocus(chromosome: chromosome, position: position, reference: reference, alternate: alternate)
    }
}
