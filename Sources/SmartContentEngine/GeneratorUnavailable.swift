/// The generator's provider gave no answer that can be used: it could not be reached, it
/// took too long, it answered an HTTP error, or its answer was not content. The server
/// answers `503 GENERATOR_UNAVAILABLE` with the message and these details.
///
/// Messages are written here, never copied from the transport: they hold no API key, no
/// request header, and no user info or query of the provider's URL.
public struct GeneratorUnavailable: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Reason: Hashable, Sendable, CustomStringConvertible {
        /// No connection: refused, host unknown, TLS failed, connection lost.
        case unreachable
        /// No complete answer within the configured timeout.
        case timedOut
        /// An HTTP status other than 2xx, with the provider's `Retry-After` if it gave one.
        case httpStatus(Int, retryAfter: Duration?)
        /// A 2xx answer that is not a chat completion, or whose text is not a title and a body.
        case malformedAnswer

        /// The name the error envelope's `details.reason` gives it.
        public var description: String {
            switch self {
            case .unreachable: "unreachable"
            case .timedOut: "timeout"
            case .httpStatus: "http_status"
            case .malformedAnswer: "malformed_answer"
            }
        }
    }

    public var reason: Reason
    public var message: String
    /// The provider's name (`openai-compatible`).
    public var provider: String
    /// Requests sent before giving up.
    public var attempts: Int

    public init(_ reason: Reason, _ message: String, provider: String, attempts: Int) {
        self.reason = reason
        self.message = message
        self.provider = provider
        self.attempts = attempts
    }

    /// The provider's HTTP status, for ``Reason/httpStatus(_:retryAfter:)``.
    public var status: Int? {
        if case .httpStatus(let status, _) = reason { status } else { nil }
    }

    /// When the provider said to come back (its `Retry-After`), if it did.
    public var retryAfter: Duration? {
        if case .httpStatus(_, let retryAfter) = reason { retryAfter } else { nil }
    }

    public var description: String { "generator unavailable (\(reason)): \(message)" }
}
