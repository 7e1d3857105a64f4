import GatewayCore
import Testing
@testable import WebConsole

/// The console's multipart parser alone: what browsers send is read; hostile bodies (huge,
/// endless headers, too many parts, no closing boundary, bad boundaries) are refused naming
/// the problem, quickly, never read past their caps.
@Suite("Web console: multipart/form-data")
struct MultipartFormDataTests {
    static let boundary = "----WebKitFormBoundaryx7Q2abc"

    static func multipart(_ parts: [(headers: [String], body: String)], close: Bool = true) -> [UInt8] {
        var text = ""
        for part in parts {
            text += "--\(boundary)\r\n" + part.headers.map { $0 + "\r\n" }.joined() + "\r\n" + part.body + "\r\n"
        }
        if close { text += "--\(boundary)--\r\n" }
        return Array(text.utf8)
    }

    static let browserUpload = multipart([
        (["Content-Disposition: form-data; name=\"token\""], "0123456789abcdef0123456789abcdef"),
        (["Content-Disposition: form-data; name=\"file\"; filename=\"withdrawals.csv\"", "Content-Type: text/csv"],
         "participant_id,effective_at\r\nC10,2026-11-01\r\n"),
    ])

    @Test("a browser's upload: the token field and the file with its name, type and exact bytes (CRLF inside kept)")
    func browserUpload() throws {
        let form = try MultipartFormData(Self.browserUpload, boundary: Self.boundary)
        #expect(form.parts.map(\.name) == ["token", "file"])
        #expect(String(decoding: try #require(form["token"]).body, as: UTF8.self) == "0123456789abcdef0123456789abcdef")
        let file = try #require(form["file"])
        #expect(file.filename == "withdrawals.csv" && file.contentType == "text/csv")
        #expect(String(decoding: file.body, as: UTF8.self) == "participant_id,effective_at\r\nC10,2026-11-01\r\n")
    }

    @Test("the boundary from the content type, quoted or not; anything else refused", arguments: [
        ("multipart/form-data; boundary=----WebKitFormBoundaryx7Q2abc", "----WebKitFormBoundaryx7Q2abc"),
        ("Multipart/Form-Data;boundary=\"a b'c\"", "a b'c"),
        ("multipart/form-data; charset=utf-8; boundary=xyz", "xyz"),
    ])
    func boundary(contentType: String, expected: String) throws {
        #expect(try MultipartFormData.boundary(contentType: contentType) == expected)
    }

    @Test("a content type that is not multipart with a valid boundary is refused, naming why", arguments: [
        ("text/csv", "multipart/form-data"), ("multipart/form-data", "without a boundary"),
        ("multipart/form-data; boundary=", "1 to 70"), ("multipart/form-data; boundary=" + String(repeating: "a", count: 71), "1 to 70"),
        ("multipart/form-data; boundary=a\u{7F}b", "1 to 70"), ("multipart/form-data; boundary=\"ab \"", "1 to 70"),
        ("multipart/form-data; boundary=" + String(repeating: "x", count: 2000), "multipart/form-data"),
    ])
    func badContentType(contentType: String, message: String) {
        #expect {
            try MultipartFormData.boundary(contentType: contentType)
        } throws: { error in
            guard let error = error as? GatewayError else { return false }
            return error.code == .badRequest && error.message.contains(message)
        }
    }

    static func refusal(_ body: [UInt8], limits: MultipartFormData.Limits = .init()) -> GatewayError? {
        do {
            _ = try MultipartFormData(body, boundary: boundary, limits: limits)
            return nil
        } catch {
            return error
        }
    }

    static let hostileCases: [(String, [UInt8], String)] = [
        ("no opening boundary", Array("hello\r\n".utf8) + browserUpload, "does not start with its boundary"),
        ("no closing boundary", multipart([(["Content-Disposition: form-data; name=\"a\""], "x")], close: false), "ends before the closing boundary"),
        ("a header line that never ends", Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"a\"".utf8) + [UInt8](repeating: 0x41, count: 5000), "longer than 1024 bytes"),
        ("too many header lines", multipart([(["Content-Disposition: form-data; name=\"a\""] + Array(repeating: "X-Junk: 1", count: 20), "x")]), "more than 8 header lines"),
        ("too many parts", multipart((0..<20).map { (["Content-Disposition: form-data; name=\"f\($0)\""], "x") }), "more than 8 parts"),
        ("no Content-Disposition", multipart([(["Content-Type: text/plain"], "x")]), "no Content-Disposition"),
        ("not form-data", multipart([(["Content-Disposition: attachment; name=\"a\""], "x")]), "must be form-data with a name"),
        ("no name", multipart([(["Content-Disposition: form-data; filename=\"a.csv\""], "x")]), "must be form-data with a name"),
        ("a field twice", multipart([(["Content-Disposition: form-data; name=\"a\""], "1"), (["Content-Disposition: form-data; name=\"a\""], "2")]), "given twice"),
        ("a parameter twice", multipart([(["Content-Disposition: form-data; name=\"a\"; name=\"b\""], "1")]), "names 'name' twice"),
        ("an unterminated quote", multipart([(["Content-Disposition: form-data; name=\"a"], "1")]), "unterminated quote"),
        ("headers not UTF-8", Array("--\(boundary)\r\n".utf8) + [0xFF, 0xFE, 0x3A, 0x0D, 0x0A, 0x0D, 0x0A] + Array("x\r\n--\(boundary)--".utf8), "not 'Name: value' in UTF-8"),
        ("a header without a colon", multipart([(["Content-Disposition form-data"], "x")]), "not 'Name: value'"),
        ("garbage after a boundary", Array("--\(boundary)garbage\r\n".utf8), "not followed by a line break"),
        ("only the opening boundary", Array("--\(boundary)".utf8), "not followed by a line break"),
        ("an empty body", [], "does not start with its boundary"),
    ]

    @Test("hostile bodies are refused with bad_request naming the problem", arguments: hostileCases)
    func hostile(name: String, bytes: [UInt8], message: String) {
        let error = Self.refusal(bytes)
        #expect(error?.code == .badRequest && error?.message.contains(message) == true, "\(name): \(String(describing: error))")
    }

    @Test("a body over the size cap is refused as too large before it is parsed")
    func tooLarge() {
        let error = Self.refusal(Self.browserUpload, limits: .init(maximumBodyBytes: 100))
        #expect(error?.code == .bodyTooLarge && error?.message.contains("at most 100") == true, "\(String(describing: error))")
    }

    @Test("boundary-like lines inside the file that are not the boundary stay part of the file")
    func boundaryLookalikes() throws {
        let inner = "a\r\n--\(Self.boundary.dropLast())\r\nb\n--\(Self.boundary)\r\n-\(Self.boundary)"
        let form = try MultipartFormData(Self.multipart([(["Content-Disposition: form-data; name=\"file\"; filename=\"x\""], inner)]), boundary: Self.boundary)
        #expect(String(decoding: try #require(form["file"]).body, as: UTF8.self) == inner)
    }

    @Test("a large body of near-boundaries is parsed in linear-ish time, not quadratic")
    func nearBoundaries() throws {
        let noise = String(repeating: "\r\n--\(Self.boundary.dropLast())", count: 50_000)
        let started = ContinuousClock.now
        let form = try MultipartFormData(Self.multipart([(["Content-Disposition: form-data; name=\"file\""], noise)]), boundary: Self.boundary)
        #expect(form["file"]?.body.count == noise.utf8.count)
        #expect(ContinuousClock.now - started < .seconds(5))
    }
}
