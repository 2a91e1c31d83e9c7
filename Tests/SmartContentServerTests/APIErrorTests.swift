import EventLog
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SmartContent
import SmartContentDomain
import SmartContentProjections
@testable import SmartContentServer
import Testing

/// What a client sees of an error: the answer every kind of failure translates to, and the
/// envelope an ``APIError`` renders itself as.
@Suite(.timeLimit(.minutes(5))) struct APIErrorTests {
    struct Leaky: Error, CustomStringConvertible {
        var description: String { "secret-token-1234 at /var/lib/smartcontent" }
    }

    static func translated(_ error: any Error) -> (Int, String, String) {
        let translated = APIError(translating: error)
        return (translated.status.code, translated.code, translated.message)
    }

    @Test func domainRefusalsKeepTheirCodeWithTheirStatus() {
        let cases: [(DomainError.Code, Int)] = [
            (.invalidParameters, 400), (.notFound, 404), (.forbidden, 403), (.accountLocked, 403),
            (.versionConflict, 409), (.alreadyExists, 409), (.invalidState, 409), (.unauthorized, 401),
            (DomainError.Code(rawValue: "SOMETHING_NEW"), 400),
        ]
        for (code, status) in cases {
            let translated = APIError(translating: DomainError(code, "said so", details: ["field": "title"]))
            #expect(translated.status.code == status, "\(code)")
            #expect(translated.code == code.rawValue)
            #expect(translated.message == "said so")
            #expect(translated.details == ["field": "title"])
        }
    }

    @Test func logErrorsAreConflictsRefusalsOrAStoreFailure() {
        let stream: StreamName = "content-cnt_1"
        #expect(Self.translated(EventLogError.wrongExpectedVersion(stream: stream, expected: .noStream, actual: 3))
            == (409, "VERSION_CONFLICT", "someone else changed it first; read it again and retry"))
        let conflict = EventLogError.eventIDConflict(id: EventID(high: 1, low: 2), existingPosition: 7, reason: "another payload")
        #expect(Self.translated(conflict) == (409, "ALREADY_EXISTS", "\(conflict)"))
        #expect(Self.translated(EventLogError.invalidEvent("empty type")) == (400, "INVALID_PARAMETERS", "invalid event: empty type"))
        #expect(Self.translated(EventLogError.invalidStreamName("x", reason: "too short")).1 == "INVALID_PARAMETERS")
        for failure in [EventLogError.closed, .corruptRecord(position: 9, reason: "checksum"), .unsupportedFormat("v9")] {
            #expect(Self.translated(failure) == (500, "INTERNAL", "the store failed; the request changed nothing"))
        }
    }

    @Test func projectionWaitsAnswer503OrNameTheMinimumPosition() {
        let timeout = APIError(translating: ProjectionRunner.Failure.timeout(position: 9, reached: 4))
        #expect((timeout.status, timeout.code) == (.serviceUnavailable, "NOT_YET_CONSISTENT"))
        #expect(timeout.headers[.retryAfter] == "1")
        let beyond = APIError(translating: ProjectionRunner.Failure.beyondLog(position: 9, last: 4))
        #expect((beyond.status, beyond.code, beyond.details) == (.badRequest, "INVALID_PARAMETERS", ["field": "minPosition"]))
        for failure in [ProjectionRunner.Failure.projectionFailed(name: "content", reason: "disk"), .stopped(name: "content"),
                        .unknownProjection("nope")] {
            #expect(Self.translated(failure) == (503, "PROJECTION_UNAVAILABLE", "\(failure)"))
        }
    }

    @Test func aGeneratorOutageSaysWhenToComeBackInWholeSeconds() {
        let down = APIError(translating: GeneratorUnavailable(.unreachable, "no route to the provider", provider: "openai-compatible", attempts: 3))
        #expect((down.status, down.code, down.message) == (.serviceUnavailable, "GENERATOR_UNAVAILABLE", "no route to the provider"))
        #expect(down.details == ["provider": "openai-compatible", "reason": "unreachable", "attempts": "3"])
        #expect(down.headers[.retryAfter] == nil)
        for (after, header) in [(Duration.milliseconds(1500), "2"), (.zero, "1"), (.seconds(3), "3")] {
            let limited = APIError(translating: GeneratorUnavailable(.httpStatus(429, retryAfter: after), "slow down",
                                                                     provider: "openai-compatible", attempts: 1))
            #expect(limited.headers[.retryAfter] == header, "\(after)")
            #expect(limited.details["status"] == "429")
            #expect(limited.details["reason"] == "http_status")
        }
    }

    @Test func frameworkErrorsGetTheAPIsCodes() {
        let tooLarge = (413, "PAYLOAD_TOO_LARGE", "the request body is over 10 MB")
        #expect(Self.translated(NIOTooManyBytesError(maxBytes: 10)) == tooLarge)
        #expect(Self.translated(HTTPError(.contentTooLarge)) == tooLarge)
        #expect(Self.translated(HTTPError(.notFound)) == (404, "NOT_FOUND", "no such route"))
        #expect(Self.translated(HTTPError(.methodNotAllowed)) == (405, "METHOD_NOT_ALLOWED", "the route does not take this method"))
        #expect(Self.translated(HTTPError(.badRequest)) == (400, "INVALID_PARAMETERS", "malformed request"))
        #expect(Self.translated(HTTPError(.badRequest, message: "bad header")) == (400, "INVALID_PARAMETERS", "bad header"))
        #expect(Self.translated(HTTPError(.unsupportedMediaType)) == (415, "HTTP_415", "Unsupported Media Type"))
        #expect(Self.translated(HTTPError(.unsupportedMediaType, message: "JSON only")) == (415, "HTTP_415", "JSON only"))
    }

    @Test func anythingElseIsA500ThatRevealsNothing() {
        #expect(Self.translated(Leaky()) == (500, "INTERNAL", "an unexpected error occurred; it was logged"))
        let own = APIError(.conflict, "IN_USE", "in use", details: ["by": "x"], headers: [.retryAfter: "5"])
        let kept = APIError(translating: own)
        #expect((kept.status, kept.code, kept.message, kept.details, kept.headers) == (own.status, own.code, own.message, own.details, own.headers))
    }

    /// A router with the API's error middleware and routes that fail in the ways routes do.
    static func router() -> Router<APIContext> {
        let router = Router(context: APIContext.self)
        router.add(middleware: RequestIDMiddleware())
        router.add(middleware: ErrorEnvelopeMiddleware())
        router.get("refused") { _, _ -> Response in
            throw APIError(.serviceUnavailable, "NOT_READY", "catching up", details: ["lag": "3"], headers: [.retryAfter: "1"])
        }
        router.get("leaky") { _, _ -> Response in throw Leaky() }
        router.get("framework") { _, _ -> Response in throw HTTPError(.unsupportedMediaType) }
        return router
    }

    @Test func aRequestWithoutAnIdGetsReqAndSixteenHexDigits() async throws {
        let ids = (0..<1000).map { _ in RequestIDMiddleware.generate() }
        #expect(Set(ids).count == ids.count)
        for id in ids {
            #expect(id.utf8.count == 20 && id.hasPrefix("req_"))
            #expect(id.dropFirst(4).allSatisfy { "0123456789abcdef".contains($0) }, "\(id)")
        }
        // Every digit shows up in some position: none is stuck.
        #expect(Set(ids.flatMap { $0.dropFirst(4) }).count == 16)
        #expect(Set(ids.map { $0.last! }).count == 16)
    }

    @Test func anErrorRendersItselfAsTheEnvelopeWithItsHeadersAndTheRequestId() async throws {
        try await Application(router: Self.router()).test(.router) { client in
            try await client.execute(uri: "/refused", method: .get, headers: [HTTPField.Name("X-Request-Id")!: "req-given"]) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.contentType] == "application/json; charset=utf-8")
                #expect(response.headers[.retryAfter] == "1")
                #expect(response.headers[HTTPField.Name("X-Request-Id")!] == "req-given")
                #expect(String(buffer: response.body)
                    == #"{"error":{"code":"NOT_READY","details":{"lag":"3"},"message":"catching up"},"requestId":"req-given","success":false}"#)
            }
            try await client.execute(uri: "/leaky", method: .get, headers: [HTTPField.Name("X-Request-Id")!: "req-2"]) { response in
                #expect(response.status == .internalServerError)
                #expect(String(buffer: response.body)
                    == #"{"error":{"code":"INTERNAL","details":{},"message":"an unexpected error occurred; it was logged"},"requestId":"req-2","success":false}"#)
            }
            try await client.execute(uri: "/framework", method: .get) { response in
                #expect(response.status == .unsupportedMediaType)
                #expect(String(buffer: response.body).contains(#""code":"HTTP_415""#))
            }
            try await client.execute(uri: "/nowhere", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(String(buffer: response.body).contains(#"{"code":"NOT_FOUND","details":{},"message":"no such route"}"#))
            }
            // A declared length over the limit is refused before any route reads the body.
            try await client.execute(uri: "/refused", method: .get, headers: [.contentLength: String(11 * 1024 * 1024)]) { response in
                #expect(response.status == .contentTooLarge)
                #expect(String(buffer: response.body).contains(#""code":"PAYLOAD_TOO_LARGE""#))
            }
        }
    }

    /// Hummingbird renders an `HTTPResponseError` that no middleware caught: a route of a
    /// router without the envelope middleware still answers with the envelope.
    @Test func anErrorNoMiddlewareCaughtStillAnswersWithTheEnvelope() async throws {
        let router = Router(context: APIContext.self)
        router.get("refused") { _, _ -> Response in throw APIError.invalid("limit", "limit must be an integer from 1 to 100") }
        try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/refused", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(response.headers[.contentType] == "application/json; charset=utf-8")
                #expect(String(buffer: response.body).hasPrefix(#"{"error":{"code":"INVALID_PARAMETERS","details":{"field":"limit"}"#))
            }
        }
    }
}
