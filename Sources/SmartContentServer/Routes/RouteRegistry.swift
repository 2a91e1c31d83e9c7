import HTTPTypes
import Hummingbird
import Synchronization

/// The routes the router serves, read from its own list once every route is added: the
/// methods a path takes (405's `Allow`), and what the OpenAPI document must describe.
///
/// Made before the routes, so that ``MethodNotAllowedMiddleware`` can hold it, and filled
/// once after; it is read only when the router found no route.
final class RouteRegistry: Sendable {
    private struct Route {
        var method: HTTPRequest.Method
        var path: RouterPath
    }

    private let routes = Mutex<[Route]>([])

    /// Takes the router's routes. Read before the router builds its responder, so there
    /// are no generated HEAD routes among them: ``methods(servingPath:)`` adds those.
    func record(_ routes: [Router<APIContext>.RouteDescription]) {
        let recorded = routes.map { Route(method: $0.method, path: $0.path) }
        self.routes.withLock { $0 = recorded }
    }

    /// Every route, as `METHOD /path/{param}`.
    var all: [String] { routes.withLock { $0.map { "\($0.method.rawValue) \($0.path)" } } }

    /// The methods some route serves `path` with, in the order of `Allow` (HEAD wherever
    /// GET is, as the router answers it). As the router's trie does, a segment spelt out in
    /// a template wins over a parameter: `/v1/content/generate` is the generator's path
    /// only, not also a content's.
    func methods(servingPath path: String) -> [String] {
        let parts = path.split(separator: "/")
        let methods = routes.withLock { routes in
            var candidates = routes.filter { $0.path.count == parts.count }
            for (index, part) in parts.enumerated() {
                let spelt = candidates.filter { $0.path[index] == part }
                candidates = spelt.isEmpty ? candidates.filter { $0.path[index] ~= part } : spelt
            }
            return Set(candidates.map(\.method))
        }
        let order: [HTTPRequest.Method] = [.get, .head, .post, .put, .patch, .delete]
        return order.filter { methods.contains($0) || ($0 == .head && methods.contains(.get)) }.map(\.rawValue)
    }
}
