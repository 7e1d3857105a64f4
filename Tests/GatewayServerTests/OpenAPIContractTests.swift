import Foundation
import GatewayCore
import GatewayServer
import GatewayTestSupport
import Hummingbird
import NIOConcurrencyHelpers
import Testing

/// The OpenAPI document (openapi/genomegate.json, written by scripts/openapi-generate) against
/// the real router: no route undocumented, no documented route missing, each operation's roles
/// and error statuses as the code has them, and the document served as the file says.
@Suite("OpenAPI contract")
struct OpenAPIContractTests {
    static let documentPath = DevPKI.repositoryRoot + "/openapi/genomegate.json"
    static let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]

    /// A method and a path template with parameters written `{name}` (Hummingbird's `:name` too).
    struct Operation: Hashable, Comparable, CustomStringConvertible {
        var method: String
        var path: String

        init(method: String, path: String) {
            self.method = method.uppercased()
            self.path = "/" + path.split(separator: "/").map { component in
                component.hasPrefix(":") ? "{\(component.dropFirst())}" : String(component)
            }.joined(separator: "/")
        }

        var description: String { "\(method) \(path)" }
        static func < (left: Self, right: Self) -> Bool { (left.path, left.method) < (right.path, right.method) }
    }

    static func document() throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: documentPath))
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw TestFailure("\(documentPath) is not a JSON object")
        }
        return object
    }

    /// Every documented operation with its object.
    static func documentedOperations() throws -> [Operation: [String: Any]] {
        let paths = try #require(try document()["paths"] as? [String: [String: Any]])
        var operations: [Operation: [String: Any]] = [:]
        for (path, item) in paths {
            for (method, value) in item where methods.contains(method) {
                operations[Operation(method: method, path: path)] = try #require(value as? [String: Any], "\(method) \(path)")
            }
        }
        return operations
    }

    /// The routes the gateway registers, as Hummingbird describes them (method, path template).
    static func registeredRoutes() async throws -> [(operation: Operation, routerPath: String)] {
        let captured = NIOLockedValueBox<[(Operation, String)]>([])
        try await TestGateway.with(routes: { router in
            captured.withLockedValue { routes in
                routes = router.routes.map { (Operation(method: $0.method.rawValue, path: "\($0.path)"), "\($0.path)") }
            }
        }) { _ in }
        return captured.withLockedValue { $0 }.map { (operation: $0.0, routerPath: $0.1) }
    }

    @Test("every registered route is documented, and every documented operation is registered")
    func routesMatchDocument() async throws {
        let registered = Set(try await Self.registeredRoutes().map(\.operation))
        let documented = Set(try Self.documentedOperations().keys)
        #expect(registered.count > 60, "the router registers \(registered.count) routes: the capture is broken")
        let undocumented = registered.subtracting(documented).sorted()
        let unregistered = documented.subtracting(registered).sorted()
        #expect(undocumented.isEmpty, "registered but not in openapi/genomegate.json: \(undocumented)")
        #expect(unregistered.isEmpty, "in openapi/genomegate.json but not registered: \(unregistered)")
    }

    @Test("each operation's x-roles are the roles its route's access allows")
    func rolesMatchAccess() async throws {
        let documented = try Self.documentedOperations()
        for (operation, routerPath) in try await Self.registeredRoutes() {
            let access = try #require(RouteAccessRegistry.access(method: operation.method, path: routerPath),
                                      "\(operation) was registered without a RouteAccess")
            guard let entry = documented[operation] else { continue }  // reported by routesMatchDocument
            let roles = (entry["x-roles"] as? [String])?.sorted()
            #expect(roles == access.allowedRoles, "\(operation): x-roles \(roles ?? []) but the route allows \(access.allowedRoles)")
            let description = entry["description"] as? String ?? ""
            #expect(description.contains("Roles: " + access.allowedRoles.joined(separator: ", ") + "."),
                    "\(operation): the description does not name its roles")
        }
    }

    @Test("each operation documents the status of every error code it lists, with the ErrorResponse shape")
    func errorCodesHaveTheirStatuses() throws {
        let shared = try #require((try Self.document()["components"] as? [String: Any])?["responses"] as? [String: [String: Any]])
        for (operation, entry) in try Self.documentedOperations() {
            let codes = try #require(entry["x-error-codes"] as? [String], "\(operation) lists no x-error-codes")
            var responses = try #require(entry["responses"] as? [String: [String: Any]], "\(operation) has no responses")
            for (status, response) in responses {
                guard let reference = response["$ref"] as? String else { continue }
                let name = try #require(reference.split(separator: "/").last.map(String.init))
                responses[status] = try #require(shared[name], "\(operation): \(reference) is not in components/responses")
            }
            #expect(codes.contains("role_forbidden") && codes.contains("internal_error"), "\(operation)")
            for code in codes {
                let status = String(ErrorResponse.status(for: GatewayError.Code(rawValue: code)).code)
                let response = responses[status]
                #expect(response != nil, "\(operation): \(code) is answered with \(status), which is not documented")
                #expect((response?["description"] as? String)?.contains("`\(code)`") == true,
                        "\(operation): the \(status) response does not name \(code)")
                let content = response?["content"] as? [String: Any]
                #expect(content?["application/json"] != nil, "\(operation): the \(status) response has no JSON error body")
            }
            #expect(responses.keys.contains { $0.hasPrefix("2") }, "\(operation) documents no success response")
        }
    }

    @Test("the document and its compiled-in copy are what scripts/openapi-generate writes")
    func documentIsGenerated() async throws {
        let result = try await Subprocess.run(["python3", DevPKI.repositoryRoot + "/scripts/openapi-generate", "--check"])
        #expect(result.status == 0, "\(result.output)")
    }

    @Test("GET /api/openapi.json serves the file, as JSON, OpenAPI 3.1, to every role")
    func servedDocumentIsTheFile() async throws {
        let file = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.documentPath)))
        try await TestGateway.with { gateway in
            for identity in ["researcher-jp", "auditor", "secretariat"] {
                let response = try await gateway.get("/api/openapi.json", as: identity)
                #expect(response.status == 200, "\(identity): \(response.status) \(response.text.prefix(200))")
                #expect(response.headers["content-type"]?.hasPrefix("application/json") == true, "\(identity)")
                let servedIsFile = response.body == file  // a Bool, so a failure does not print both documents
                #expect(servedIsFile, "\(identity): the served document differs from openapi/genomegate.json; run scripts/openapi-generate")
                let object = try response.json()
                #expect((object["openapi"] as? String)?.hasPrefix("3.1.") == true)
                let schemes = (object["components"] as? [String: Any])?["securitySchemes"] as? [String: [String: Any]]
                #expect(schemes?.values.contains { $0["type"] as? String == "mutualTLS" } == true)
            }
        }
    }
}
