import Foundation
import GatewayCore

/// The strict, bounded JSON parser every client body goes through (Beacon POST, admin API).
enum JSONParserFuzz {
    static let target = FuzzTarget(name: "json-parser") { data in
        guard let value = try? JSONParser.parse(data) else { return }
        // Its own text parses back to the same value, under the same limits.
        let text = value.jsonText
        do throws(GatewayError) {
            let again = try JSONParser.parse(Array(text.utf8))
            guard again == value else { fuzzFailure("jsonText does not parse back to the same value: \(text.prefix(200))") }
        } catch {
            fuzzFailure("jsonText of an accepted value is refused: \(error.message) in \(text.prefix(200))")
        }
    }
}
