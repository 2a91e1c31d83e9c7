import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// DESIGN section 7's envelope, `{"success": true, "data": …, "requestId": "req_…"}`.
struct SuccessEnvelope<Payload: Encodable>: Encodable {
    let success = true
    let data: Payload
    let requestId: String
}

struct ErrorEnvelope: Encodable {
    struct Body: Encodable {
        let code: String
        let message: String
        let details: [String: String]
    }

    let success = false
    let error: Body
    let requestId: String
}

/// One encoder for every envelope: ISO-8601 times come from the types themselves. Keys
/// sorted: Foundation's encoder otherwise writes them in a hash order that changes from
/// one response to the next, and clients that compare bodies deserve the same bytes.
/// (Not named `responseEncoder`: inside a request context that name is the context's own
/// encoder, a fresh default one per use, which is what every envelope got before.)
let envelopeEncoder: JSONEncoder = {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
    return encoder
}()

extension APIContext {
    /// A success envelope around `data`; `position` becomes `X-Log-Position` (writes).
    func respond(
        _ data: some Encodable, status: HTTPResponse.Status = .ok, position: UInt64? = nil
    ) throws -> Response {
        if let fast = data as? any FastJSONEncodable { return respond(fast, status: status, position: position) }
        let body = try envelopeEncoder.encode(SuccessEnvelope(data: data, requestId: requestId))
        return Response(status: status, headers: Self.headers(position: position), body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// The hot routes' envelope, without Foundation's encoder or a dynamic cast.
    func respond(
        _ data: some FastJSONEncodable, status: HTTPResponse.Status = .ok, position: UInt64? = nil
    ) -> Response {
        var out = JSONOutput(capacity: data.estimatedJSONSize + 96)
        out.object { out in
            out.key("success"); out.bool(true)
            out.key("data"); data.writeJSON(to: &out)
            out.key("requestId"); out.string(requestId)
        }
        return Response(status: status, headers: Self.headers(position: position), body: .init(byteBuffer: ByteBuffer(bytes: out.bytes)))
    }

    private static func headers(position: UInt64?) -> HTTPFields {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if let position { headers[.logPosition] = String(position) }
        return headers
    }

    /// 204 for deletions, with the position reached.
    func noContent(position: UInt64?) -> Response {
        var headers: HTTPFields = [:]
        if let position { headers[.logPosition] = String(position) }
        return Response(status: .noContent, headers: headers)
    }
}

extension HTTPField.Name {
    static let requestId = Self("X-Request-Id")!
    static let logPosition = Self("X-Log-Position")!
    static let minPosition = Self("X-Min-Position")!
    static let workspaceId = Self("X-Workspace-Id")!
    static let idempotencyKey = Self("Idempotency-Key")!
}
