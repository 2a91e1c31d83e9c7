import HTTPTypes
import Hummingbird
import Synchronization

/// A router group that also records each route it registers (`METHOD /path/{param}`), so
/// the OpenAPI document can be checked against what the server really serves.
struct RouteGroup {
    typealias Handler = @Sendable (Request, APIContext) async throws -> Response

    let group: RouterGroup<APIContext>
    let prefix: String
    let registry: RouteRegistry

    func group(_ path: String) -> RouteGroup {
        RouteGroup(group: group.group(RouterPath(path)), prefix: Self.join(prefix, path), registry: registry)
    }

    func add(middleware: some RouterMiddleware<APIContext>) -> RouteGroup {
        RouteGroup(group: group.add(middleware: middleware), prefix: prefix, registry: registry)
    }

    func get(_ path: String = "", _ handler: @escaping Handler) { on(path, .get, handler) }
    func post(_ path: String = "", _ handler: @escaping Handler) { on(path, .post, handler) }
    func put(_ path: String = "", _ handler: @escaping Handler) { on(path, .put, handler) }
    func delete(_ path: String = "", _ handler: @escaping Handler) { on(path, .delete, handler) }

    private func on(_ path: String, _ method: HTTPRequest.Method, _ handler: @escaping Handler) {
        group.on(RouterPath(path), method: method, use: handler)
        registry.record(method, Self.join(prefix, path))
    }

    static func join(_ prefix: String, _ path: String) -> String {
        let parts = (prefix.split(separator: "/") + path.split(separator: "/")).map { part in
            part.hasPrefix(":") ? "{\(part.dropFirst())}" : String(part)
        }
        return "/" + parts.joined(separator: "/")
    }
}

/// The routes registered, as `METHOD /path/{param}`.
final class RouteRegistry: Sendable {
    private struct Route {
        var method: HTTPRequest.Method
        var template: String
        /// The template's segments; `nil` where a parameter matches any one segment.
        var segments: [Substring?]
    }

    private let routes = Mutex<[Route]>([])

    func record(_ method: HTTPRequest.Method, _ path: String) {
        let segments = path.split(separator: "/").map { $0.hasPrefix("{") ? nil : $0 }
        routes.withLock { $0.append(Route(method: method, template: path, segments: segments)) }
    }

    var all: [String] { routes.withLock { $0.map { "\($0.method.rawValue) \($0.template)" } } }

    /// The methods some route serves `path` with, in the order of `Allow` (HEAD wherever
    /// GET is, as the router answers it). As the router's trie does, a segment spelt out in
    /// a template wins over a parameter: `/v1/content/generate` is the generator's path
    /// only, not also a content's.
    func methods(servingPath path: String) -> [String] {
        let parts = path.split(separator: "/")
        let methods = routes.withLock { routes in
            var candidates = routes.filter { $0.segments.count == parts.count }
            for (index, part) in parts.enumerated() {
                let spelt = candidates.filter { $0.segments[index] == part }
                candidates = spelt.isEmpty ? candidates.filter { $0.segments[index] == nil } : spelt
            }
            return Set(candidates.map(\.method))
        }
        let order: [HTTPRequest.Method] = [.get, .head, .post, .put, .patch, .delete]
        return order.filter { methods.contains($0) || ($0 == .head && methods.contains(.get)) }.map(\.rawValue)
    }
}
