/// The form of a chromosome name used to match sites across files and in queries: without a
/// `chr` prefix (any case), with `M` written `MT` (`chr1` and `1` match; `chrM`, `M`, `MT` match).
enum ChromosomeName {
    static func matchKey(_ name: String) -> String {
        var key = Substring(name)
        if key.count > 3, key.prefix(3).lowercased() == "chr" { key = key.dropFirst(3) }
        let upper = key.uppercased()
        if upper == "M" || upper == "MT" { return "MT" }
        if upper == "X" || upper == "Y" { return upper }
        return String(key)
    }
}
