import Foundation
import HTTPTypes
public import Hummingbird
import Logging

/// Gives every request an id — the client's `X-Request-Id` when it is a sane token, else
/// `req_` and 16 random hex digits — puts it in the logs and on every response.
public struct RequestIDMiddleware: RouterMiddleware {
    public typealias Context = APIContext

    public init() {}

    public func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        var context = context
        let incoming = request.headers[.requestId]
        context.requestId = incoming.flatMap { Self.isValid($0) ? $0 : nil } ?? Self.generate()
        context.logger[metadataKey: "requestId"] = .string(context.requestId)
        var response = try await next(request, context)
        response.headers[.requestId] = context.requestId
        return response
    }

    static func isValid(_ id: String) -> Bool {
        (1...128).contains(id.utf8.count) && id.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
                || byte == UInt8(ascii: ".")
        }
    }

    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        var value = generator.next() as UInt64
        return String(unsafeUninitializedCapacity: 20) { text in
            for (index, byte) in "req_".utf8.enumerated() { text[index] = byte }
            for index in (4..<20).reversed() {
                let nibble = UInt8(value & 0xF)
                text[index] = nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
                value >>= 4
            }
            return 20
        }
    }
}
