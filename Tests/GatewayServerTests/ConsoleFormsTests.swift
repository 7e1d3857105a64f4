import Foundation
@testable import GatewayServer
import Testing

/// The console's form tokens alone: one use each, for their member and action, for an hour; and
/// no member's page loads can push out another member's tokens.
@Suite("Console form tokens")
struct ConsoleFormsTests {
    static let action = "/console/secretariat/approvals/A-1/suspend"

    @Test("a token is used once, by its member, for its action, within its hour")
    func oneUse() {
        let forms = ConsoleForms()
        let now = Date()
        let token = forms.token(member: "secretariat", action: Self.action, now: now)
        #expect(!forms.redeem(token, member: "secretariat", action: "/console/secretariat/approvals/A-1/revoke", now: now), "another action")
        let second = forms.token(member: "secretariat", action: Self.action, now: now)
        #expect(!forms.redeem(second, member: "secretariat-2", action: Self.action, now: now), "another member")
        let third = forms.token(member: "secretariat", action: Self.action, now: now)
        #expect(!forms.redeem(third, member: "secretariat", action: Self.action, now: now.addingTimeInterval(ConsoleForms.lifetime + 1)), "expired")
        let fourth = forms.token(member: "secretariat", action: Self.action, now: now)
        #expect(forms.redeem(fourth, member: "secretariat", action: Self.action, now: now))
        #expect(!forms.redeem(fourth, member: "secretariat", action: Self.action, now: now), "used already")
        #expect(!forms.redeem("0123456789abcdef0123456789abcdef", member: "secretariat", action: Self.action, now: now), "made up")
    }

    @Test("one member's many page loads push out only their own oldest tokens, never another member's")
    func perMemberCapacity() {
        let forms = ConsoleForms()
        let now = Date()
        let secretariat = forms.token(member: "secretariat", action: Self.action, now: now)
        // More than the whole store holds: without a member's own limit, the flood would push out
        // every other member's tokens.
        let flood = (0..<(ConsoleForms.capacity + 10)).map { _ in forms.token(member: "researcher-jp", action: "/console/analyses/burden", now: now) }
        #expect(forms.redeem(secretariat, member: "secretariat", action: Self.action, now: now), "the secretariat's open form still posts")
        let gone = flood.count - ConsoleForms.capacityPerMember
        #expect(flood.prefix(gone).allSatisfy { !forms.redeem($0, member: "researcher-jp", action: "/console/analyses/burden", now: now) },
                "the flooding member's oldest tokens went")
        #expect(forms.redeem(flood[flood.count - 1], member: "researcher-jp", action: "/console/analyses/burden", now: now))
        #expect(forms.redeem(flood[gone], member: "researcher-jp", action: "/console/analyses/burden", now: now), "the oldest kept")
    }
}
