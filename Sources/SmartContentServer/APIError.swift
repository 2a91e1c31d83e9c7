import Foundation
public import HTTPTypes
import SmartContentDomain

/// An error the API answers with: a status, a stable code, a sentence and details. It
/// renders itself as DESIGN section 7's envelope (``response(from:context:)``), so a route
/// or middleware just throws one; ``init(translating:)`` makes one of any other error.
public struct APIError: Error, Sendable, CustomStringConvertible {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var details: [String: String]
    /// Extra headers (`Retry-After` of a 429).
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String, details: [String: String] = [:],
                headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers
    }

    public static func invalid(_ field: String, _ message: String) -> APIError {
        APIError(.badRequest, "INVALID_PARAMETERS", message, details: ["field": field])
    }

    /// An id that cannot be one of its kind: never looked up.
    static func malformedID<ID: PrefixedID>(_ field: String, _ text: String, as _: ID.Type) -> APIError {
        invalid(field, "\(field) must be a \(ID.prefix)… id (\(ID.prefix) then 1 to 64 of A–Z a–z 0–9 _ -)")
    }

    public static func notFound(_ what: String, _ id: String) -> APIError {
        APIError(.notFound, "NOT_FOUND", "\(what) \(id) was not found")
    }

    /// A body over ``APIContext/maxUploadSize``, whether its length was declared or counted.
    static var payloadTooLarge: APIError {
        APIError(.contentTooLarge, "PAYLOAD_TOO_LARGE", "the request body is over 10 MB")
    }

    /// 429 with `Retry-After`: the per-user or per-IP limit (``RateLimiter``) is spent.
    static func rateLimited(_ scope: String, retryAfter: Duration) -> APIError {
        let seconds = max(1, Int(ceil(Double(retryAfter.components.seconds) + Double(retryAfter.components.attoseconds) / 1e18)))
        return APIError(.tooManyRequests, "RATE_LIMITED", "too many requests from this \(scope); retry in \(seconds) s",
                        details: ["scope": scope, "retryAfter": String(seconds)], headers: [.retryAfter: String(seconds)])
    }

    public var description: String { "\(status.code) \(code): \(message)" }
}
