import Foundation
public import Hummingbird
import NIOCore

extension APIError: HTTPResponseError {
    /// The error envelope, `{"success": false, "error": {code, message, details}, "requestId": …}`,
    /// with the error's own headers. `X-Request-Id` is added by ``RequestIDMiddleware``.
    ///
    /// The request id is ``APIContext``'s, the only context this API routes with; an
    /// error rendered under any other context says `""`.
    public func response(from request: Request, context: some RequestContext) -> Response {
        var headers = self.headers
        headers[.contentType] = "application/json; charset=utf-8"
        let envelope = ErrorEnvelope(error: .init(code: code, message: message, details: details),
                                     requestId: (context as? APIContext)?.requestId ?? "")
        let body = (try? envelopeEncoder.encode(envelope)) ?? Data()
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
