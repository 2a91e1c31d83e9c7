import HTTPTypes
public import Hummingbird

/// Tells browsers to come back only over HTTPS (RFC 6797), on every response of a TLS
/// server, error envelopes included.
///
/// Only a TLS server adds it: a browser ignores the header over plain HTTP, and on a
/// plain server it would promise an HTTPS that is not there.
public struct StrictTransportSecurityMiddleware: RouterMiddleware {
    public typealias Context = APIContext

    /// Two years, what browsers' HSTS preload list asks for: a browser that has seen the
    /// header goes straight to HTTPS for that long, leaving a network attacker no plain
    /// first request to answer.
    public static let value = "max-age=63072000"

    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.strictTransportSecurity] = Self.value
        return response
    }
}
