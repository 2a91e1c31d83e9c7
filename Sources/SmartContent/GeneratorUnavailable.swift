/// The generator's provider gave no answer that can be used: it could not be reached, it
/// took too long, it answered an HTTP error, or its answer was not content. The server
/// answers `503 GENERATOR_UNAVAILABLE` with the message and these details.
///
/// Messages are written here, never copied from the transport: they hold no API key, no
/// request header, and no user info or query of the provider's URL.
public struct GeneratorUnavailable: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Reason: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// No connection: refused, host unknown, TLS failed, connection lost.
        public static let unreachable = Reason(rawValue: "unreachable")
        /// No complete answer within the configured timeout.
        public static let timedOut = Reason(rawValue: "timeout")
        /// An HTTP status other than 2xx (``GeneratorUnavailable/status``).
        public static let httpStatus = Reason(rawValue: "http_status")
        /// A 2xx answer that is not a chat completion, or whose text is not a title and a body.
        public static let malformedAnswer = Reason(rawValue: "malformed_answer")

        public var description: String { rawValue }
    }

    public var reason: Reason
    public var message: String
    /// The provider's name (`openai-compatible`).
    public var provider: String
    /// Requests sent before giving up.
    public var attempts: Int
    /// The provider's HTTP status, for ``Reason/httpStatus``.
    public var status: Int?
    /// When the provider said to come back (its `Retry-After`), if it did.
    public var retryAfter: Duration?

    public init(_ reason: Reason, _ message: String, provider: String, attempts: Int, status: Int? = nil,
                retryAfter: Duration? = nil) {
        self.reason = reason
        self.message = message
        self.provider = provider
        self.attempts = attempts
        self.status = status
        self.retryAfter = retryAfter
    }

    public var description: String { "generator unavailable (\(reason)): \(message)" }
}
