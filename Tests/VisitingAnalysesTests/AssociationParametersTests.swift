import GatewayCore
import Testing
@testable import VisitingAnalyses

/// Allelic-association parameters: one good request, and every bad one refused with a 400
/// naming the parameter.
@Suite("Visiting analyses: association parameters")
struct AssociationParametersTests {
    static func parse(_ text: String) throws -> AssociationParameters {
        try AssociationParameters(json: JSONParser.parse(Array(text.utf8)))
    }

    @Test("a good request, and its canonical form")
    func good() throws {
        let parameters = try Self.parse(#"{"cases":["NCIT:C4872"],"region":{"referenceName":"1","start":1000,"end":2000},"controls":["NCIT:C3058","NCIT:C2926"]}"#)
        #expect(parameters.region == GenomicRegion(referenceName: "1", start: 1000, end: 2000))
        #expect(parameters.cases == ["NCIT:C4872"] && parameters.controls == ["NCIT:C3058", "NCIT:C2926"])
        #expect(parameters.json.jsonText == #"{"cases":["NCIT:C4872"],"controls":["NCIT:C3058","NCIT:C2926"],"region":{"end":2000,"referenceName":"1","start":1000}}"#)
        #expect(try Self.parse(#"{"cases":["A"],"region":{"referenceName":"X","start":1,"end":1}}"#).controls == nil)
    }

    @Test("bad requests name the parameter", arguments: [
        (#"[]"#, "parameters"),
        (#"{"cases":["A"]}"#, "region"),
        (#"{"cases":["A"],"region":{"referenceName":"1","start":1,"end":2},"window":5}"#, "window"),
        (#"{"cases":["A"],"region":{"referenceName":"1","start":1,"end":2,"strand":"+"}}"#, "region.strand"),
        (#"{"cases":["A"],"region":{"referenceName":"chr 1","start":1,"end":2}}"#, "region.referenceName"),
        (#"{"cases":["A"],"region":{"referenceName":"1","start":0,"end":2}}"#, "region.start"),
        (#"{"cases":["A"],"region":{"referenceName":"1","start":-9223372036854775808,"end":2}}"#, "region.start"),
        (#"{"cases":["A"],"region":{"referenceName":"1","start":5,"end":4}}"#, "region.end"),
        (#"{"cases":["A"],"region":{"referenceName":"1","start":1,"end":9223372036854775807}}"#, "region"),
        (#"{"cases":["A"],"region":{"referenceName":"1","start":1,"end":2.5}}"#, "region.end"),
        (#"{"cases":[],"region":{"referenceName":"1","start":1,"end":2}}"#, "cases"),
        (#"{"cases":["A","A"],"region":{"referenceName":"1","start":1,"end":2}}"#, "cases"),
        (#"{"cases":[7],"region":{"referenceName":"1","start":1,"end":2}}"#, "cases"),
        (#"{"cases":["A"],"controls":["B","A"],"region":{"referenceName":"1","start":1,"end":2}}"#, "controls"),
    ])
    func bad(text: String, parameter: String) {
        let error = #expect(throws: GatewayError.self, "\(text)") { try Self.parse(text) }
        #expect(error?.code == .badRequest)
        #expect(error?.message.hasPrefix("allelic-association parameter \(parameter) ") == true, "\(error?.message ?? "")")
    }
}
