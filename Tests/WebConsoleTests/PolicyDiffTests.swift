import Testing
@testable import WebConsole

/// The history's records as readable diffs: changed values, added and removed list entries,
/// nested fields by path, a created record's every field.
@Suite("Web console: policy diffs")
struct PolicyDiffTests {
    static let before = #"{"id":"A-1","members":["r1","r2"],"scope":{"datasets":["d1"],"query_kinds":["beacon-count"]},"status":"active","title":"Old"}"#
    static let after = #"{"id":"A-1","members":["r2","r3"],"scope":{"datasets":["d1"],"query_kinds":["beacon-count","allele-frequency"],"cancer_types":["NCIT:C9305"]},"status":"suspended","title":"Old"}"#

    @Test("an amendment: only what changed, as field: old → new and + / − list entries")
    func amendment() {
        let lines = PolicyDiff.lines(before: Self.before, after: Self.after).map(\.text)
        #expect(lines.count == 5, "\(lines)")
        #expect(lines.contains("status: active → suspended") && lines.contains("− members: r1") && lines.contains("+ members: r3"))
        #expect(lines.contains("+ scope.query_kinds: allele-frequency") && lines.contains("+ scope.cancer_types: NCIT:C9305"))
        #expect(!lines.contains { $0.contains("title") || $0.contains("datasets") || $0.contains("id:") }, "unchanged fields are not shown")
    }

    @Test("a created record shows every field as added; an unchanged one shows nothing")
    func createdAndUnchanged() {
        let created = PolicyDiff.lines(before: nil, after: #"{"id":"O-1","name":"Kyoto","country":"JP"}"#)
        #expect(created.map(\.text) == ["+ country: JP", "+ id: O-1", "+ name: Kyoto"])
        #expect(PolicyDiff.lines(before: Self.before, after: Self.before).isEmpty)
    }

    @Test("text that is not JSON is compared as text; numbers and booleans read plainly")
    func plainValues() {
        #expect(PolicyDiff.lines(before: "x", after: "y").map(\.text) == ["value: x → y"])
        #expect(PolicyDiff.lines(before: #"{"b":false,"n":1}"#, after: #"{"b":true,"n":2.5}"#).map(\.text) == ["b: false → true", "n: 1 → 2.5"])
    }

    @Test("stored times read in Japan time: a day's end is the next day's 00:00 JST")
    func times() {
        let lines = PolicyDiff.lines(before: #"{"valid_until":"2030-03-31T15:00:00.000Z"}"#, after: #"{"valid_until":"2029-03-31T15:00:00.000Z"}"#)
        #expect(lines.map(\.text) == ["valid_until: 2030-04-01 00:00 JST → 2029-04-01 00:00 JST"])
        #expect(PolicyDiff.japanTime("2026-11-30T17:26:11.142Z") == "2026-12-01 02:26:11 JST")
        #expect(PolicyDiff.japanTime("C10") == nil && PolicyDiff.japanTime("2026-13-40T99:00:00.000Z") == nil)
    }
}
