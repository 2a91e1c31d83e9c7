import EventLog
import Foundation
import NIOCore
public import HTTPTypes
import Hummingbird
import SmartContent
import SmartContentDomain

/// An error the API answers with: a status, a stable code, a sentence and details,
/// rendered as DESIGN section 7's envelope by ``ErrorEnvelopeMiddleware``.
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

    public var description: String { "\(status.code) \(code): \(message)" }

    /// The API's rendering of any error: domain refusals keep their code; framework and
    /// engine errors get theirs; anything else is a 500 that reveals nothing.
    static func from(_ error: any Error) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as DomainError:
            return APIError(status(of: error.code), error.code.rawValue, error.message, details: error.details)
        case let error as EventLogError:
            switch error {
            case .wrongExpectedVersion:
                return APIError(.conflict, "VERSION_CONFLICT", "someone else changed it first; read it again and retry")
            case .eventIDConflict:
                return APIError(.conflict, "ALREADY_EXISTS", "\(error)")
            case .invalidEvent, .invalidStreamName:
                return APIError(.badRequest, "INVALID_PARAMETERS", "\(error)")
            default:
                return APIError(.internalServerError, "INTERNAL", "the store failed; the request changed nothing")
            }
        case let error as GeneratorUnavailable:
            var details = ["provider": error.provider, "reason": error.reason.description, "attempts": String(error.attempts)]
            if let status = error.status { details["status"] = String(status) }
            var headers: HTTPFields = [:]
            if let after = error.retryAfter {
                let components = after.components
                headers[.retryAfter] = String(max(1, components.seconds + (components.attoseconds > 0 ? 1 : 0)))
            }
            return APIError(.serviceUnavailable, "GENERATOR_UNAVAILABLE", error.message, details: details, headers: headers)
        case let error as ProjectionRunner.Failure:
            switch error {
            case .timeout:
                return APIError(.serviceUnavailable, "NOT_YET_CONSISTENT", "\(error)", headers: [.retryAfter: "1"])
            case .beyondLog:
                return APIError.invalid("minPosition", "\(error)")
            default:
                return APIError(.serviceUnavailable, "PROJECTION_UNAVAILABLE", "\(error)")
            }
        case is NIOTooManyBytesError:
            // A chunked body that outgrew the limit while being collected.
            return APIError(.contentTooLarge, "PAYLOAD_TOO_LARGE", "the request body is over 10 MB")
        case let error as HTTPError:
            switch error.status {
            case .contentTooLarge:
                return APIError(.contentTooLarge, "PAYLOAD_TOO_LARGE", "the request body is over 10 MB")
            case .notFound:
                return APIError(.notFound, "NOT_FOUND", "no such route")
            case .methodNotAllowed:
                return APIError(.methodNotAllowed, "METHOD_NOT_ALLOWED", "the route does not take this method")
            case .badRequest:
                return APIError(.badRequest, "INVALID_PARAMETERS", error.body ?? "malformed request")
            default:
                return APIError(error.status, "HTTP_\(error.status.code)", error.body ?? error.status.reasonPhrase)
            }
        default:
            return APIError(.internalServerError, "INTERNAL", "an unexpected error occurred; it was logged")
        }
    }

    static func status(of code: DomainError.Code) -> HTTPResponse.Status {
        switch code {
        case .invalidParameters: .badRequest
        case .notFound: .notFound
        case .forbidden, .accountLocked: .forbidden
        case .versionConflict, .alreadyExists, .invalidState: .conflict
        case .unauthorized: .unauthorized
        default: .badRequest
        }
    }
}
