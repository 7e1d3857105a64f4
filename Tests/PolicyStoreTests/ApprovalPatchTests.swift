import Foundation
import GatewayCore
import GatewayPolicy
import PolicyStore
import Testing

@Suite("Approval patch")
struct ApprovalPatchTests {
    static var current: Approval {
        var approval = newApproval("A-1", datasets: ["demo-wgs", "jp-wgs-cancer"])
        approval.scope.cancerTypes = ["NCIT:C2916"]
        approval.legalBasis = .consent
        return approval
    }

    static func merge(_ json: String) throws(GatewayError) -> Approval {
        try ApprovalPatch.merge(Data(json.utf8), into: current, what: "the amendment")
    }

    @Test("an empty patch changes nothing")
    func empty() throws {
        #expect(try Self.merge("{}") == Self.current)
    }

    @Test("top-level fields are replaced, removed with null, and read like the policy files")
    func topLevel() throws {
        let titled = try Self.merge(#"{"title": "New title"}"#)
        var expected = Self.current
        expected.title = "New title"
        #expect(titled == expected)

        let extended = try Self.merge(#"{"valid_until": "2031-03-31"}"#)
        #expect(extended.validUntil == time("2031-03-31T15:00:00Z"))
        #expect(extended.validFrom == Self.current.validFrom)

        #expect(try Self.merge(#"{"legal_basis": null}"#).legalBasis == Approval.LegalBasis.none)

        let scoped = try Self.merge(#"{"scope": {"datasets": ["demo-wgs"], "query_kinds": ["beacon-boolean"], "cancer_types": null}}"#)
        #expect(scoped.scope == Approval.Scope(datasets: ["demo-wgs"], queryKinds: [.beaconBoolean]))
    }

    @Test("refused patches name the field", arguments: [
        (#"{"status": "revoked"}"#, "field status: cannot be amended"),
        (#"{"id": "A-2"}"#, "field id: cannot be amended"),
        (#"{"valid_untill": "2031-03-31"}"#, "unknown field 'valid_untill'"),
        (#"{"commercial_use": "yes"}"#, "field commercial_use"),
        (#"{"valid_from": "someday"}"#, "field valid_from"),
        (#"{"scope": {"datasets": ["demo-wgs"], "query_kinds": ["beacon"]}}"#, "field scope.query_kinds[0]"),
        (#"[{"title": "x"}]"#, "must be a JSON object"),
        ("not json", "must be a JSON object"),
    ])
    func refused(json: String, says: String) {
        let error = #expect(throws: GatewayError.self) { try Self.merge(json) }
        #expect(error?.code == .invalidPolicy)
        #expect(error?.message.hasPrefix("the amendment") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains(says) == true, "\(error?.message ?? "")")
    }

    @Test("a nested object is merged, not replaced (RFC 7396)")
    func nestedMerge() throws {
        let narrowed = try Self.merge(#"{"scope": {"cancer_types": ["NCIT:C4872"]}}"#)
        #expect(narrowed.scope.datasets == Self.current.scope.datasets)
        #expect(narrowed.scope.queryKinds == Self.current.scope.queryKinds)
        #expect(narrowed.scope.cancerTypes == ["NCIT:C4872"])

        let unlimited = try Self.merge(#"{"scope": {"cancer_types": null}}"#)
        #expect(unlimited.scope.datasets == Self.current.scope.datasets)
        #expect(unlimited.scope.cancerTypes == nil)
    }
}
