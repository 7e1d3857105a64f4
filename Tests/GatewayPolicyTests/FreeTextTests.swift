import Foundation
import GatewayCore
import GatewayPolicy
import Testing

private typealias F = PolicyFixture

/// One scalar as text (noncharacters cannot be written as `\u{...}` literals).
private func scalar(_ value: UInt32) -> String { String(Unicode.Scalar(value)!) }

/// Free text in the policy is bounded and shows what it holds: no control characters, no
/// bidirectional formatting (issue 9, finding 7).
@Suite("Free text in the policy")
struct FreeTextTests {
    @Test("the rule for one field", arguments: [
        // text, kind, the problem says (nil: accepted)
        ("Tumour mutational burden in Japanese cohorts", FreeText.Kind.title, nil as String?),
        ("胃癌と大腸癌の生殖細胞系列及び体細胞変異", .title, nil),
        ("Étude «multicentrique» — phase II", .name, nil),
        ("عربى title, right-to-left letters are fine", .title, nil),
        (String(repeating: "x", count: 500), .title, nil),
        (String(repeating: "x", count: 501), .title, "is 501 characters long; at most 500 are allowed"),
        (String(repeating: "名", count: 200), .name, nil),
        (String(repeating: "名", count: 201), .name, "is 201 characters long; at most 200 are allowed"),
        (String(repeating: "y", count: 921_600), .title, "is 921600 characters long; at most 500"),
        (String(repeating: "z", count: 10_001), .text, "at most 10000 are allowed"),
        ("line one\nline two\r\n\ttabbed", .text, nil),
        ("a\nb", .name, "contains U+000A (a tab or line break, in a one-line field) at character 2"),
        ("a\tb", .title, "contains U+0009"),
        ("a\rb", .text, "contains U+000D (a carriage return not followed by a line feed)"),
        ("NUL\u{0}here", .title, "contains U+0000 (a control character) at character 4"),
        ("bell\u{7}", .text, "contains U+0007 (a control character)"),
        ("del\u{7F}", .name, "contains U+007F (a control character)"),
        ("c1\u{85}", .text, "contains U+0085 (a C1 control character)"),
        ("c1\u{9B}31m", .name, "contains U+009B (a C1 control character)"),
        ("fdp.exe\u{202E}fdp.txt", .title, "contains U+202E (a bidirectional embedding or override) at character 8"),
        ("\u{202A}embedded", .name, "contains U+202A (a bidirectional embedding or override)"),
        ("isolate\u{2066}x\u{2069}", .text, "contains U+2066 (a bidirectional isolate)"),
        ("first strong\u{2068}", .name, "contains U+2068 (a bidirectional isolate)"),
        ("mark\u{200F}", .name, "contains U+200F (a bidirectional mark)"),
        ("arabic mark\u{061C}", .text, "contains U+061C (a bidirectional mark)"),
        ("sep\u{2028}arated", .name, "contains U+2028 (a line or paragraph separator, in a one-line field)"),
        ("sep\u{2028}arated", .text, nil),
        ("CN=x\u{202E},O=y", .distinguishedName, "contains U+202E"),
        (String(repeating: "d", count: 1_025), .distinguishedName, "at most 1024"),
    ])
    func rule(text: String, kind: FreeText.Kind, says: String?) {
        let problem = FreeText.problem(in: text, kind)
        if let says {
            #expect(problem?.contains(says) == true, "\(problem ?? "accepted")")
        } else {
            #expect(problem == nil)
        }
    }

    @Test("invisible characters are refused, naming the character", arguments: [
        // text, the problem says (nil: accepted)
        ("zero\u{200B}width", "contains U+200B (a zero-width space) at character 5" as String?),
        ("\u{FEFF}bom", "contains U+FEFF (a zero-width no-break space (byte order mark)) at character 1"),
        ("tag\u{E0001}", "contains U+E0001 (a tag character)"),
        ("tags\u{E0041}\u{E007F}", "contains U+E0041 (a tag character)"),
        ("tag zero\u{E0000}", "contains U+E0000 (a tag character)"),
        ("non" + scalar(0xFFFE), "contains U+FFFE (a noncharacter)"),
        ("non" + scalar(0xFFFF), "contains U+FFFF (a noncharacter)"),
        ("non" + scalar(0xFDD0), "contains U+FDD0 (a noncharacter)"),
        ("non" + scalar(0xFDEF), "contains U+FDEF (a noncharacter)"),
        ("plane one" + scalar(0x1FFFE), "contains U+1FFFE (a noncharacter)"),
        ("plane sixteen" + scalar(0x10FFFF), "contains U+10FFFF (a noncharacter)"),
        ("word\u{2060}joiner", "contains U+2060 (an invisible format character)"),
        ("soft\u{00AD}hyphen", "contains U+00AD (an invisible format character)"),
        ("invisible\u{2062}times", "contains U+2062 (an invisible format character)"),
        ("mongolian\u{180E}", "contains U+180E (an invisible format character)"),
        ("interlinear\u{FFF9}", "contains U+FFF9 (an invisible format character)"),
        // Allowed: joiners some scripts and emoji need, variation selectors, the characters next to the refused ranges.
        ("क्\u{200D}ष and می\u{200C}خواهم", nil),
        ("family 👨\u{200D}👩\u{200D}👧", nil),
        ("heart ❤\u{FE0F}", nil),
        ("\u{FDCF}\u{FDF0}\u{FFFD}\u{E0080}", nil),
    ] as [(String, String?)])
    func invisible(text: String, says: String?) {
        for kind in FreeText.Kind.allCases {
            let problem = FreeText.problem(in: text, kind)
            if let says {
                #expect(problem?.contains(says) == true, "\(kind): \(problem ?? "accepted")")
                #expect(!FreeText.shown(text).unicodeScalars.contains { FreeText.problem(in: String($0), .text) != nil },
                        "an echo of it shows the character as an escape")
            } else {
                #expect(problem == nil, "\(kind): \(problem ?? "")")
            }
        }
    }

    @Test("the length is reported before a refused character, and only the first refused character")
    func firstProblem() {
        #expect(FreeText.problem(in: "a\u{0}b\u{202E}", .name) == "contains U+0000 (a control character) at character 2; remove it")
        #expect(FreeText.problem(in: String(repeating: "\u{202E}", count: 300), .name)?.hasPrefix("is 300 characters long") == true)
    }

    @Test("text echoed in a message shows refused characters as escapes, and is cut")
    func shown() {
        #expect(FreeText.shown("A\u{202E}1\u{0}") == "A\\u{202E}1\\u{0}")
        #expect(FreeText.shown(String(repeating: "x", count: 100), limit: 10) == "xxxxxxxxxx")
    }

    /// One free-text field of the policy, set to `text`.
    struct Field: Sendable, CustomTestStringConvertible {
        var kind: PolicyEntityKind
        var id: String
        var field: String
        var set: @Sendable (inout PolicyState, String) -> Void
        var testDescription: String { "\(kind.rawValue) \(id) \(field)" }
    }

    static let fields: [Field] = [
        Field(kind: .organization, id: "jp-uni", field: "name") { $0.organizations["jp-uni"]?.name = $1 },
        Field(kind: .member, id: "r-jp", field: "name") { $0.members["r-jp"]?.name = $1 },
        Field(kind: .member, id: "r-jp", field: "certificates[0].subject") {
            $0.members["r-jp"]?.certificates = [.distinguishedName(subject: "CN=r-jp" + $1, issuer: "CN=Test CA")]
        },
        Field(kind: .member, id: "r-jp", field: "certificates[0].issuer") {
            $0.members["r-jp"]?.certificates = [.distinguishedName(subject: "CN=r-jp", issuer: "CN=Test CA" + $1)]
        },
        Field(kind: .approval, id: "A-JP", field: "title") { $0.approvals["A-JP"]?.title = $1 },
        Field(kind: .approval, id: "A-JP", field: "decision_reference") { $0.approvals["A-JP"]?.decisionReference = $1 },
        Field(kind: .dataset, id: "gru", field: "name") { $0.datasets["gru"]?.name = $1 },
        Field(kind: .dataset, id: "gru", field: "description") { $0.datasets["gru"]?.description = $1 },
        Field(kind: .dataset, id: "gru", field: "duo[0].label") { $0.datasets["gru"]?.dataUse[0].label = $1 },
        Field(kind: .jurisdiction, id: "DE", field: "name") { $0.jurisdictions["DE"]?.name = $1 },
    ]

    @Test("every free-text field of the policy refuses a bidirectional override, naming record and field", arguments: fields)
    func bidirectionalOverride(field: Field) throws {
        var state = F.valid
        field.set(&state, "Title\u{202E}txt.exe")
        let problems = PolicyValidation.problems(in: state)
        #expect(problems.count == 1, "\(problems)")
        let problem = try #require(problems.first)
        #expect(problem.kind == field.kind && problem.id == field.id && problem.field == field.field)
        #expect(problem.message.hasPrefix("contains U+202E (a bidirectional embedding or override)"), "\(problem)")
        #expect(problem.description.hasPrefix("\(field.kind.rawValue) \(field.id), field \(field.field): contains U+202E"))
    }

    @Test("every free-text field of the policy refuses NUL", arguments: fields)
    func nul(field: Field) {
        var state = F.valid
        field.set(&state, "A\u{0}B")
        let problems = PolicyValidation.problems(in: state)
        #expect(problems.map(\.field) == [field.field], "\(problems)")
        #expect(problems.first?.message.hasPrefix("contains U+0000 (a control character)") == true)
    }

    @Test("every free-text field of the policy refuses 900 KB", arguments: fields)
    func tooLong(field: Field) {
        var state = F.valid
        field.set(&state, String(repeating: "x", count: 921_600))
        let problems = PolicyValidation.problems(in: state)
        #expect(problems.map(\.field) == [field.field], "\(problems)")
        #expect(problems.first?.message.contains("characters long; at most") == true)
    }

    @Test("ids and ontology terms stay within their safe characters; a refused id is echoed escaped")
    func identifiers() {
        var state = F.valid
        var approval = state.approvals["A-JP"]!
        approval.id = "A-\u{202E}1"
        approval.scope.cancerTypes = ["NCIT:C48\u{0}72"]
        state.approvals[approval.id] = approval
        let problems = PolicyValidation.problems(in: state).filter { $0.kind == .approval && $0.id == approval.id }
        #expect(problems.map(\.field) == ["id", "scope.cancer_types[0]"], "\(problems)")
        #expect(problems.allSatisfy { !$0.description.unicodeScalars.contains("\u{202E}") && !$0.description.unicodeScalars.contains("\u{0}") })
        #expect(problems.first?.description.hasPrefix("approval A-\\u{202E}1, field id") == true)
    }

    @Test("a reason given for a change is free text too", arguments: [
        ("approval A-1 suspended: audit finding", nil as String?),
        ("approval A-1 suspended: line\nbreak", nil),
        ("approval A-1 suspended: \u{202E}gnidnif", "contains U+202E"),
        ("approval A-1 suspended: \u{1B}[2J", "contains U+001B (a control character)"),
    ])
    func changeSummary(summary: String, says: String?) {
        let problem = PolicyValidation.problem(inChangeSummary: summary)
        if let says { #expect(problem?.contains(says) == true, "\(problem ?? "accepted")") } else { #expect(problem == nil) }
    }
}
