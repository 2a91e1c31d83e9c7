import EventLog
import HTTPTypes
import Hummingbird
import NIOCore
import SmartContent
import SmartContentDomain
import SmartContentProjections

extension APIError {
    /// The one place other errors become the API's: domain refusals keep their code;
    /// framework and engine errors get theirs; anything else is a 500 that reveals nothing.
    init(translating error: any Error) {
        switch error {
        case let error as APIError:
            self = error
        case let error as DomainError:
            self.init(Self.status(of: error.code), error.code.rawValue, error.message, details: error.details)
        case let error as EventLogError:
            switch error {
            case .wrongExpectedVersion:
                self.init(.conflict, "VERSION_CONFLICT", "someone else changed it first; read it again and retry")
            case .eventIDConflict:
                self.init(.conflict, "ALREADY_EXISTS", "\(error)")
            case .invalidEvent, .invalidStreamName:
                self.init(.badRequest, "INVALID_PARAMETERS", "\(error)")
            default:
                self.init(.internalServerError, "INTERNAL", "the store failed; the request changed nothing")
            }
        case let error as GeneratorUnavailable:
            var details = ["provider": error.provider, "reason": error.reason.description, "attempts": String(error.attempts)]
            if let status = error.status { details["status"] = String(status) }
            var headers: HTTPFields = [:]
            if let after = error.retryAfter {
                let components = after.components
                headers[.retryAfter] = String(max(1, components.seconds + (components.attoseconds > 0 ? 1 : 0)))
            }
            self.init(.serviceUnavailable, "GENERATOR_UNAVAILABLE", error.message, details: details, headers: headers)
        case let error as ProjectionRunner.Failure:
            switch error {
            case .timeout:
                self.init(.serviceUnavailable, "NOT_YET_CONSISTENT", "\(error)", headers: [.retryAfter: "1"])
            case .beyondLog:
                self = .invalid("minPosition", "\(error)")
            default:
                self.init(.serviceUnavailable, "PROJECTION_UNAVAILABLE", "\(error)")
            }
        case is NIOTooManyBytesError:
            // A chunked body that outgrew the limit while being collected.
            self = .payloadTooLarge
        case let error as HTTPError:
            switch error.status {
            case .contentTooLarge:
                self = .payloadTooLarge
            case .notFound:
                self.init(.notFound, "NOT_FOUND", "no such route")
            case .methodNotAllowed:
                self.init(.methodNotAllowed, "METHOD_NOT_ALLOWED", "the route does not take this method")
            case .badRequest:
                self.init(.badRequest, "INVALID_PARAMETERS", error.body ?? "malformed request")
            default:
                self.init(error.status, "HTTP_\(error.status.code)", error.body ?? error.status.reasonPhrase)
            }
        default:
            self.init(.internalServerError, "INTERNAL", "an unexpected error occurred; it was logged")
        }
    }

    private static func status(of code: DomainError.Code) -> HTTPResponse.Status {
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
