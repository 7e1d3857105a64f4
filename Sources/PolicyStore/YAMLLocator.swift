import Foundation
import Yams

/// Finds the line of a key path in a YAML text, so errors can say "line 12".
struct YAMLLocator {
    enum Step: Hashable {
        case key(String)
        case index(Int)
    }

    private let root: Node?

    init(_ text: String) {
        root = try? Yams.compose(yaml: text)
    }

    /// The 1-based line of the deepest node of `path` that exists.
    func line(of path: [Step]) -> Int? {
        guard var node = root else { return nil }
        var line = node.mark?.line
        for step in path {
            switch (step, node) {
            case (.key(let name), .mapping(let mapping)):
                guard let pair = mapping.first(where: { $0.key.string == name }) else { return line }
                line = pair.key.mark?.line ?? line
                node = pair.value
            case (.index(let index), .sequence(let sequence)):
                guard index < sequence.count else { return line }
                node = sequence[index]
                line = node.mark?.line ?? line
            default:
                return line
            }
        }
        return line
    }

    /// Steps from a decoding error's coding path.
    static func steps(_ codingPath: [any CodingKey]) -> [Step] {
        codingPath.map { key in key.intValue.map(Step.index) ?? .key(key.stringValue) }
    }

    /// Steps from a dotted field path such as `scope.datasets[1]`.
    static func steps(field: String) -> [Step] {
        var steps: [Step] = []
        for part in field.split(separator: ".") {
            var name = Substring(part)
            var indexes: [Int] = []
            while let open = name.lastIndex(of: "["), name.hasSuffix("]"), let index = Int(name[name.index(after: open)..<name.index(before: name.endIndex)]) {
                indexes.insert(index, at: 0)
                name = name[..<open]
            }
            if !name.isEmpty { steps.append(.key(String(name))) }
            steps += indexes.map(Step.index)
        }
        return steps
    }

    /// `a.b[2].c` for a coding path.
    static func describe(_ codingPath: [any CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if let index = key.intValue { text += "[\(index)]" } else { text += (text.isEmpty ? "" : ".") + key.stringValue }
        }
        return text
    }

    /// ` line L, column C` where a YAML syntax error is, or "" when Yams does not say.
    static func position(of error: YamlError) -> String {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return " line \(mark.line), column \(mark.column)"
        case .duplicatedKeysInMapping(_, let context):
            return " line \(context.mark.line)"
        default:
            return ""
        }
    }

    /// What is wrong, without Yams' echo of the document.
    static func problem(of error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _), .composer(let context, let problem, _, _):
            return problem + (context.map { " (\($0.text))" } ?? "")
        case .duplicatedKeysInMapping(let duplicates, _):
            return "duplicated keys \(duplicates.joined(separator: ", "))"
        default:
            return "\(error)".replacingOccurrences(of: "\n", with: " ")
        }
    }
}
