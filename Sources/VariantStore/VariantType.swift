/// The kind of one alternate allele relative to its reference allele.
///
/// Sequence alleles are classified after trimming the bases REF and ALT share at both ends:
/// same length 1 = SNV, same length > 1 = MNV, only ALT bases left = INS, only REF bases left
/// = DEL, both = INDEL (complex). Symbolic alleles keep their symbolic type (`<DEL:ME:ALU>` is
/// `<DEL>`); breakends (`G]17:198982]`, `.A`) are BND.
public enum VariantType: String, Sendable, Hashable, Codable, CaseIterable {
    case snv = "SNV"
    case mnv = "MNV"
    case insertion = "INS"
    case deletion = "DEL"
    case indel = "INDEL"
    case symbolicDeletion = "<DEL>"
    case symbolicDuplication = "<DUP>"
    case symbolicInsertion = "<INS>"
    case symbolicInversion = "<INV>"
    case symbolicCopyNumber = "<CNV>"
    /// `<*>` or `<NON_REF>` (gVCF "any other allele"), also the older `<X>`.
    case nonReference = "<*>"
    /// Any other symbolic allele (`<CN0>`, `<TRA>`, ...).
    case otherSymbolic = "<SYMBOLIC>"
    case breakend = "BND"
    /// `*`: the allele is missing because of an overlapping deletion.
    case overlappingDeletion = "*"
    /// ALT is `.`: a site with no alternate allele (stored so its allele number is kept).
    case noAlternate = "REF"

    /// Classifies `alternate` against `reference`.
    public init(reference: String, alternate: String) {
        if alternate == "." || alternate.isEmpty {
            self = .noAlternate
        } else if alternate == "*" {
            self = .overlappingDeletion
        } else if alternate.hasPrefix("<") && alternate.hasSuffix(">") {
            self = Self.symbolic(alternate.dropFirst().dropLast())
        } else if alternate.contains("[") || alternate.contains("]") || alternate.hasPrefix(".") || alternate.hasSuffix(".") {
            self = .breakend
        } else if alternate.contains("<") {
            self = .otherSymbolic
        } else {
            self = Self.sequence(reference: Array(reference.utf8), alternate: Array(alternate.utf8))
        }
    }

    /// Whether the allele is written as a sequence of bases (SNV ... INDEL).
    public var isSequence: Bool { [.snv, .mnv, .insertion, .deletion, .indel].contains(self) }

    private static func symbolic(_ name: Substring) -> VariantType {
        let base = name.split(separator: ":", maxSplits: 1).first.map(String.init)?.uppercased() ?? ""
        switch base {
        case "DEL": return .symbolicDeletion
        case "DUP": return .symbolicDuplication
        case "INS": return .symbolicInsertion
        case "INV": return .symbolicInversion
        case "CNV": return .symbolicCopyNumber
        case "*", "NON_REF", "X": return .nonReference
        default: return .otherSymbolic
        }
    }

    private static func sequence(reference: [UInt8], alternate: [UInt8]) -> VariantType {
        if reference.count == alternate.count { return reference.count == 1 ? .snv : .mnv }
        func sameBase(_ left: UInt8, _ right: UInt8) -> Bool { left | 0x20 == right | 0x20 }
        var start = 0
        while start < reference.count, start < alternate.count, sameBase(reference[start], alternate[start]) { start += 1 }
        var referenceEnd = reference.count, alternateEnd = alternate.count
        while referenceEnd > start, alternateEnd > start, sameBase(reference[referenceEnd - 1], alternate[alternateEnd - 1]) {
            referenceEnd -= 1
            alternateEnd -= 1
        }
        let referenceLeft = referenceEnd - start, alternateLeft = alternateEnd - start
        if referenceLeft == 0 { return .insertion }
        if alternateLeft == 0 { return .deletion }
        return .indel
    }
}
