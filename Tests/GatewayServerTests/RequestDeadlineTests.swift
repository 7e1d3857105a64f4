@testable import GatewayServer
import NIOCore
import Testing

/// The request deadline and the connection counts, as plain state machines.
@Suite("Request deadline and connection counts")
struct RequestDeadlineTests {
    static let settings = RequestDeadline.Settings(timeout: .seconds(10), minimumBytesPerSecond: 100, grace: .seconds(2))
    static let start = NIODeadline.uptimeNanoseconds(1_000_000_000_000)

    @Test("one check per connection: a fast request asks for one, the next request for none while it is pending")
    func oneCheck() {
        var deadline = RequestDeadline(settings: Self.settings)
        #expect(deadline.bytesArrived(500, at: Self.start) == Self.start + .seconds(2))
        deadline.requestHeadDelivered()
        deadline.requestEndDelivered()
        deadline.responseHeadWritten()
        deadline.responseEndWritten(at: Self.start + .milliseconds(1))
        #expect(deadline.bytesArrived(500, at: Self.start + .milliseconds(2)) == nil, "a check is already pending")
        deadline.requestHeadDelivered()
        deadline.requestEndDelivered()
        #expect(deadline.check(at: Self.start + .seconds(2)) == .idle)
        #expect(deadline.bytesArrived(10, at: Self.start + .seconds(3)) == Self.start + .seconds(5))
    }

    @Test("rate, timeout, and who answers", arguments: [
        // bytes after grace, head delivered, seconds at check, expected verdict kind
        (250, false, 2, "recheck"),      // 125 bytes/s
        (150, false, 2, "unrouted"),     // 75 bytes/s, head not complete
        (150, true, 2, "routed"),        // 75 bytes/s, the router reads the body
        (100_000, true, 10, "routed"),   // fast enough but past the timeout
    ])
    func verdicts(bytes: Int, head: Bool, seconds: Int64, expected: String) {
        var deadline = RequestDeadline(settings: Self.settings)
        _ = deadline.bytesArrived(bytes, at: Self.start)
        if head { deadline.requestHeadDelivered() }
        let verdict = deadline.check(at: Self.start + .seconds(seconds))
        switch verdict {
        case .recheck: #expect(expected == "recheck")
        case .expired(_, let routed, let answered):
            #expect(!answered)
            #expect(expected == (routed ? "routed" : "unrouted"))
            #expect(deadline.expired)
        case .idle: Issue.record("idle with a request arriving")
        }
    }

    @Test("a request arriving while the previous one is answered is not timed until the answer ends")
    func pipelined() {
        var deadline = RequestDeadline(settings: Self.settings)
        _ = deadline.bytesArrived(100, at: Self.start)
        deadline.requestHeadDelivered()
        deadline.requestEndDelivered()
        _ = deadline.bytesArrived(10, at: Self.start + .milliseconds(1))  // the next request's first bytes
        #expect(deadline.check(at: Self.start + .seconds(20)) == .recheck(Self.start + .seconds(21)))
        deadline.responseEndWritten(at: Self.start + .seconds(21))
        #expect(deadline.check(at: Self.start + .seconds(22)) == .recheck(Self.start + .seconds(23)))
    }

    @Test("an answer given before the body ended leaves only closing")
    func answeredEarly() {
        var deadline = RequestDeadline(settings: Self.settings)
        _ = deadline.bytesArrived(10, at: Self.start)
        deadline.requestHeadDelivered()
        deadline.responseHeadWritten()
        deadline.responseEndWritten(at: Self.start)
        guard case .expired(_, true, true) = deadline.check(at: Self.start + .seconds(3)) else {
            Issue.record("expected an expiry of an answered request")
            return
        }
    }

    @Test("connection counts: total cap, per-certificate cap, release")
    func counts() {
        var counts = ConnectionCounts(maxTotal: 2, maxPerCertificate: 1)
        var results = [counts.open(), counts.open(), counts.open()]
        #expect(results == [true, true, false])
        counts.close()
        results = [counts.open(), counts.certify("a"), counts.certify("a"), counts.certify("b")]
        #expect(results == [true, true, false, true])
        counts.release("a")
        let again = counts.certify("a")
        #expect(again)
        counts.release("a")
        counts.release("a")
        #expect(counts.perCertificate["a"] == nil)
        #expect(counts.total == 2)
    }
}
