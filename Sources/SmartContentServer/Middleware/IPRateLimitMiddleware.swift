public import Hummingbird

/// The per-IP limit, for every route but the operational ones (`/healthz`, `/readyz`,
/// `/metrics`), which monitoring polls.
public struct IPRateLimitMiddleware: RouterMiddleware {
    public typealias Context = APIContext
    let limiter: RateLimiter

    public init(limiter: RateLimiter) { self.limiter = limiter }

    public func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        if path.hasPrefix("/v1/") || path == "/openapi.yaml", let address = context.peerAddress,
           let wait = limiter.take(address) {
            throw APIError.rateLimited("IP address", retryAfter: wait)
        }
        return try await next(request, context)
    }
}
