import GatewayCore
import HummingbirdCore

extension URI {
    /// The query string's parameters, each of which may be given once: a repeated one is a
    /// `bad_request` naming it (which of two values would count is never guessed).
    func singleValuedParameters() throws(GatewayError) -> [(name: String, value: String)] {
        var seen: Set<Substring> = []
        var parameters: [(name: String, value: String)] = []
        for (name, value) in queryParameters {
            guard seen.insert(name).inserted else {
                throw GatewayError(.badRequest, "query parameter '\(name.prefix(60))' is given twice; it takes one value")
            }
            parameters.append((String(name), String(value)))
        }
        return parameters
    }
}
