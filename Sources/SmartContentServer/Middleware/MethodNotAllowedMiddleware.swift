import HTTPTypes
import Hummingbird

/// Turns the router's "no route" into 405 with `Allow` when the path is served under other
/// methods: a client that sent `PATCH` where `PUT` is meant learns the fix, not that the
/// resource is missing.
struct MethodNotAllowedMiddleware: RouterMiddleware {
    typealias Context = APIContext

    let registry: RouteRegistry

    func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let allowed = registry.methods(servingPath: request.uri.path)
            guard !allowed.isEmpty else { throw error }
            let allow = allowed.joined(separator: ", ")
            throw APIError(.methodNotAllowed, "METHOD_NOT_ALLOWED", "\(request.method.rawValue) is not served here; use \(allow)",
                           details: ["allow": allow], headers: [.allow: allow])
        }
    }
}
