import Foundation
import GatewayCore

/// A bounded parser of `multipart/form-data` bodies (RFC 7578), for the console's file uploads.
///
/// Everything a client sends is capped before it is looked at: the body's size, the number of
/// parts, the length of each header line and the number of header lines of a part, the
/// boundary's length (RFC 2046: 1 to 70 characters). A body that does not follow the format
/// (no opening boundary, a part without `Content-Disposition: form-data; name=...`, headers
/// that are not UTF-8, no closing boundary, a field named twice) is refused with
/// `bad_request` naming what was wrong; a body over the size cap with `body_too_large`.
public struct MultipartFormData: Sendable {
    /// One part: a field (`name`), and for a file its `filename` and `contentType`.
    public struct Part: Sendable, Hashable {
        public var name: String
        public var filename: String?
        public var contentType: String?
        public var body: [UInt8]
    }

    /// The caps.
    public struct Limits: Sendable, Hashable {
        public var maximumBodyBytes: Int
        public var maximumParts: Int
        public var maximumHeaderLineBytes: Int
        public var maximumHeaderLines: Int

        public init(maximumBodyBytes: Int = 4 << 20, maximumParts: Int = 8, maximumHeaderLineBytes: Int = 1024, maximumHeaderLines: Int = 8) {
            self.maximumBodyBytes = maximumBodyBytes
            self.maximumParts = maximumParts
            self.maximumHeaderLineBytes = maximumHeaderLineBytes
            self.maximumHeaderLines = maximumHeaderLines
        }
    }

    /// The parts, in the order sent.
    public var parts: [Part]

    /// The part named `name`.
    public subscript(_ name: String) -> Part? { parts.first { $0.name == name } }

    /// The boundary of a `multipart/form-data; boundary=...` content type (quoted or not).
    public static func boundary(contentType: String?) throws(GatewayError) -> String {
        guard let contentType, contentType.utf8.count <= 1024 else {
            throw GatewayError(.badRequest, "an upload is posted as multipart/form-data")
        }
        let pieces = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard pieces.first?.lowercased() == "multipart/form-data" else {
            throw GatewayError(.badRequest, "an upload is posted as multipart/form-data, not \(pieces.first?.prefix(60) ?? "")")
        }
        for piece in pieces.dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "boundary" else { continue }
            var value = pair[1].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            guard isBoundary(value) else {
                throw GatewayError(.badRequest, "multipart boundary: must be 1 to 70 letters, digits or '()+_,-./:=? (RFC 2046)")
            }
            return value
        }
        throw GatewayError(.badRequest, "multipart/form-data without a boundary parameter")
    }

    static func isBoundary(_ text: String) -> Bool {
        let allowed = Set("'()+_,-./:=? ".utf8)
        let bytes = Array(text.utf8)
        guard (1...70).contains(bytes.count), bytes.last != 0x20 else { return false }
        return bytes.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || allowed.contains(byte)
        }
    }

    /// Parses `body`, delimited by `boundary`, within `limits`.
    public init(_ body: [UInt8], boundary: String, limits: Limits = Limits()) throws(GatewayError) {
        guard body.count <= limits.maximumBodyBytes else {
            throw GatewayError(.bodyTooLarge, "the upload is \(body.count) bytes; at most \(limits.maximumBodyBytes) are accepted")
        }
        guard Self.isBoundary(boundary) else { throw GatewayError(.badRequest, "multipart boundary: not a valid boundary") }
        let delimiter = Array("--\(boundary)".utf8)
        let separator = [0x0D, 0x0A] + delimiter
        guard body.starts(with: delimiter) else {
            throw GatewayError(.badRequest, "multipart body: does not start with its boundary")
        }
        var parts: [Part] = []
        var index = delimiter.count
        while true {
            // After a delimiter: "--" closes the body; otherwise optional padding, then CRLF.
            if Self.matches(body, at: index, [0x2D, 0x2D]) { break }
            while index < body.count, body[index] == 0x20 || body[index] == 0x09 { index += 1 }
            guard Self.matches(body, at: index, [0x0D, 0x0A]) else {
                throw GatewayError(.badRequest, "multipart body: a boundary is not followed by a line break")
            }
            index += 2
            guard parts.count < limits.maximumParts else {
                throw GatewayError(.badRequest, "multipart body: more than \(limits.maximumParts) parts")
            }
            var headers: [(String, String)] = []
            while true {
                guard let end = Self.find([0x0D, 0x0A], in: body, from: index, within: limits.maximumHeaderLineBytes + 2) else {
                    throw GatewayError(.badRequest, "multipart part \(parts.count + 1): a header line is longer than \(limits.maximumHeaderLineBytes) bytes or never ends")
                }
                let line = body[index..<end]
                index = end + 2
                if line.isEmpty { break }
                guard headers.count < limits.maximumHeaderLines else {
                    throw GatewayError(.badRequest, "multipart part \(parts.count + 1): more than \(limits.maximumHeaderLines) header lines")
                }
                guard let text = String(validating: line, as: UTF8.self), let colon = text.firstIndex(of: ":") else {
                    throw GatewayError(.badRequest, "multipart part \(parts.count + 1): a header line is not 'Name: value' in UTF-8")
                }
                headers.append((text[..<colon].trimmingCharacters(in: .whitespaces).lowercased(),
                                text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
            }
            guard let disposition = headers.first(where: { $0.0 == "content-disposition" })?.1 else {
                throw GatewayError(.badRequest, "multipart part \(parts.count + 1): no Content-Disposition header")
            }
            let (kind, parameters) = try Self.disposition(disposition, part: parts.count + 1)
            guard kind == "form-data", let name = parameters["name"], !name.isEmpty else {
                throw GatewayError(.badRequest, "multipart part \(parts.count + 1): Content-Disposition must be form-data with a name")
            }
            guard !parts.contains(where: { $0.name == name }) else {
                throw GatewayError(.badRequest, "multipart field '\(name.prefix(40))' is given twice")
            }
            guard let end = Self.find(separator, in: body, from: index, within: body.count) else {
                throw GatewayError(.badRequest, "multipart body: ends before the closing boundary")
            }
            parts.append(Part(name: name, filename: parameters["filename"],
                              contentType: headers.first { $0.0 == "content-type" }?.1, body: Array(body[index..<end])))
            index = end + separator.count
        }
        self.parts = parts
    }

    /// `form-data; name="x"; filename="y"`: the disposition and its parameters (each once).
    static func disposition(_ text: String, part: Int) throws(GatewayError) -> (String, [String: String]) {
        var pieces: [String] = []
        var current = "", quoted = false
        for character in text {
            if character == "\"" { quoted.toggle() }
            if character == ";" && !quoted {
                pieces.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        guard !quoted else { throw GatewayError(.badRequest, "multipart part \(part): an unterminated quote in Content-Disposition") }
        pieces.append(current)
        var parameters: [String: String] = [:]
        for piece in pieces.dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2 else { continue }
            let key = pair[0].trimmingCharacters(in: .whitespaces).lowercased()
            var value = pair[1].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            guard parameters[key] == nil else {
                throw GatewayError(.badRequest, "multipart part \(part): Content-Disposition names '\(key.prefix(20))' twice")
            }
            parameters[key] = value
        }
        return (pieces[0].trimmingCharacters(in: .whitespaces).lowercased(), parameters)
    }

    static func matches(_ body: [UInt8], at index: Int, _ bytes: [UInt8]) -> Bool {
        index <= body.count - bytes.count && body[index..<(index + bytes.count)].elementsEqual(bytes)
    }

    /// The first index of `needle` in `body` at or after `start` that ends within `within` bytes of `start`.
    static func find(_ needle: [UInt8], in body: [UInt8], from start: Int, within: Int) -> Int? {
        let last = (within >= body.count - start ? body.count : start + within) - needle.count
        guard let first = needle.first, start <= last else { return nil }
        var index = start
        while index <= last {
            if body[index] == first, body[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}
