import Foundation
import GatewayCore

/// What the researcher typed into the search: a region, one variant, or a gene's name.
public enum SearchTerm: Sendable, Hashable {
    case region(GenomicRegion)
    case variant(VariantLocus)
    case gene(String)

    /// Reads `text` (`chr17:7660000-7690000`, `chr17:7675088:C>T`, `TP53`); anything else is a
    /// `bad_request` naming `parameter`.
    public static func parse(_ text: String, parameter: String) throws(GatewayError) -> SearchTerm {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let parts = VariantLocus.parts(trimmed), parts.count == 4 {
            return .variant(try VariantLocus.parse(trimmed, parameter: parameter))
        }
        if trimmed.contains(":") { return .region(try GenomicRegion.parse(trimmed, parameter: parameter)) }
        if (1...32).contains(trimmed.count), trimmed.first?.isLetter == true,
           trimmed.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }) {
            return .gene(trimmed.uppercased())
        }
        throw GatewayError(.badRequest, "\(parameter) '\(text.prefix(60))' is not a region (chr17:7660000-7690000), a variant (chr17:7675088:C>T) or a gene name (TP53)")
    }
}
