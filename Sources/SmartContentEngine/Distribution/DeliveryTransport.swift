/// One HTTP request of a delivery (a POST), or of a channel's driver asking its network
/// something (a GET).
public struct DeliveryRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    public var timeout: Duration
    /// How much of the answer to keep: a webhook's id is near its start, a Mastodon
    /// status or instance description is a few kilobytes of JSON that must parse.
    public var maxResponseBytes: Int

    public init(method: String = "POST", url: String, headers: [(name: String, value: String)], body: [UInt8],
                timeout: Duration, maxResponseBytes: Int = 65_536) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.maxResponseBytes = maxResponseBytes
    }
}

/// What a receiver answered.
public struct DeliveryResponse: Sendable {
    public var statusCode: Int
    /// The `Retry-After` header, as sent.
    public var retryAfter: String?
    /// The start of the body, up to the request's `maxResponseBytes`.
    public var body: [UInt8]

    public init(statusCode: Int, retryAfter: String? = nil, body: [UInt8] = []) {
        self.statusCode = statusCode
        self.retryAfter = retryAfter
        self.body = body
    }
}

/// Why an attempt got no answer.
public struct DeliveryTransportError: Error, Sendable, CustomStringConvertible {
    public enum Code: Sendable, Hashable {
        case timedOut, connectionFailed, invalidURL, other
        /// No request could be made (the content no longer fits the channel): nothing was
        /// sent, and sending again would not help.
        case invalidRequest

        /// Whether another attempt may succeed.
        public var isRetryable: Bool { self != .invalidURL && self != .invalidRequest }
    }
    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

/// Sends deliveries over HTTP: ``CurlDeliveryTransport`` by default, ``URLSessionDeliveryTransport``
/// where libcurl cannot be set up.
public protocol DeliveryTransport: Sendable {
    /// - Throws: ``DeliveryTransportError`` when no answer came.
    func send(_ request: DeliveryRequest) async throws(DeliveryTransportError) -> DeliveryResponse
}
