import Foundation

/// The console's languages: English and Japanese, chosen by the `lang` parameter (the switch
/// on every page) or else by the browser's `Accept-Language`.
public enum ConsoleLanguage: String, Sendable, CaseIterable {
    case english = "en"
    case japanese = "ja"

    /// The language to answer in: `override` when it names one, else the first of
    /// `acceptLanguage`'s ranges (by quality) that is one, else English. Bounded: at most the
    /// first 32 ranges are read.
    public static func negotiate(acceptLanguage: String?, override: String?) -> ConsoleLanguage {
        if let override, let chosen = ConsoleLanguage(rawValue: override.lowercased()) { return chosen }
        guard let acceptLanguage else { return .english }
        var best: (language: ConsoleLanguage, quality: Double)?
        for range in acceptLanguage.split(separator: ",").prefix(32) {
            let parts = range.split(separator: ";")
            guard let tag = parts.first?.trimmingCharacters(in: .whitespaces).lowercased() else { continue }
            let primary = tag.split(separator: "-").first.map(String.init) ?? tag
            guard let language = ConsoleLanguage(rawValue: primary) else { continue }
            var quality = 1.0
            for parameter in parts.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if pair.count == 2, pair[0] == "q", let value = Double(pair[1]), value.isFinite { quality = min(1, max(0, value)) }
            }
            if quality > 0, quality > (best?.quality ?? 0) { best = (language, quality) }
        }
        return best?.language ?? .english
    }

    /// The language's own name, for the switch.
    public var name: String {
        switch self {
        case .english: "English"
        case .japanese: "日本語"
        }
    }
}
