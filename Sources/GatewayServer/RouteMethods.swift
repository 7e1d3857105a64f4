import Hummingbird
import NIOConcurrencyHelpers

/// The methods each registered path answers, so that a known path asked with another method
/// gets `405 Method Not Allowed` with an `Allow` header rather than `404`.
///
/// Filled once from the router's routes after they are registered (``GatewayServer/makeRouter()``);
/// read only on the error path of a request that matched no route.
final class RouteMethods: Sendable {
    private struct Route {
        var components: [RouterPath.Element]
        var method: String
    }

    private let routes = NIOLockedValueBox<[Route]>([])

    /// Takes the router's routes.
    func register(_ descriptions: [Router<GatewayRequestContext>.RouteDescription]) {
        let table = descriptions.map { description in
            Route(components: description.path.components, method: description.method.rawValue)
        }
        routes.withLockedValue { $0 = table }
    }

    /// The methods `path` answers, sorted (empty: no route has that path).
    func allowed(forPath path: String) -> [String] {
        let components = path.split(separator: "/", omittingEmptySubsequences: true)
        var methods: Set<String> = []
        for route in routes.withLockedValue({ $0 }) where route.components.count == components.count {
            if zip(route.components, components).allSatisfy({ element, component in element ~= component }) {
                methods.insert(route.method)
            }
        }
        return methods.sorted()
    }
}
