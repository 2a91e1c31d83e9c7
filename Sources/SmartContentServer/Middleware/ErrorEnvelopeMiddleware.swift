import HTTPTypes
public import Hummingbird
import Logging

/// Answers every error below it with the error envelope: an ``APIError`` as it renders
/// itself, any other error translated first (``APIError/init(translating:)``), so no
/// client sees a bare status or framework text. Logs the 500s and generator outages.
///
/// Rendered here rather than left to the router, which renders an `HTTPResponseError`
/// only above every middleware: the request id, metrics and logs must see the answer.
public struct ErrorEnvelopeMiddleware: RouterMiddleware {
    public typealias Context = APIContext

    public init() {}

    public func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > context.maxUploadSize {
            return APIError.payloadTooLarge.response(from: request, context: context)
        }
        do {
            return try await next(request, context)
        } catch {
            let rendered = APIError(translating: error)
            if rendered.status == .internalServerError {
                context.logger.error("request failed", metadata: ["error": .string(String(reflecting: error)),
                                                                  "path": .string(request.uri.path)])
            } else if rendered.code == "GENERATOR_UNAVAILABLE" {
                // The operator's problem more than the caller's; the message holds no key.
                context.logger.warning("generator unavailable", metadata: ["error": .string(rendered.message),
                                                                           "path": .string(request.uri.path)])
            }
            return rendered.response(from: request, context: context)
        }
    }
}
