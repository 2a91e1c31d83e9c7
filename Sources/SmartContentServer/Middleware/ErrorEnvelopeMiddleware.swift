import HTTPTypes
public import Hummingbird
import Logging

/// Renders every error below it as the error envelope (and logs the unexpected ones), so
/// no client ever sees a bare status or a stack of framework text.
public struct ErrorEnvelopeMiddleware: RouterMiddleware {
    public typealias Context = APIContext

    public init() {}

    public func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > context.maxUploadSize {
            return context.respond(to: APIError.from(HTTPError(.contentTooLarge)))
        }
        do {
            return try await next(request, context)
        } catch {
            let rendered = APIError.from(error)
            if rendered.status == .internalServerError {
                context.logger.error("request failed", metadata: ["error": .string(String(reflecting: error)),
                                                                  "path": .string(request.uri.path)])
            } else if rendered.code == "GENERATOR_UNAVAILABLE" {
                // The operator's problem more than the caller's; the message holds no key.
                context.logger.warning("generator unavailable", metadata: ["error": .string(rendered.message),
                                                                           "path": .string(request.uri.path)])
            }
            return context.respond(to: rendered)
        }
    }
}
