/// One HTTP POST of a delivery.
public struct DeliveryRequest: Sendable {
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    public var timeout: Duration

    public init(url: String, headers: [(name: String, value: String)], body: [UInt8], timeout: Duration) {
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

/// What a receiver answered.
public struct DeliveryResponse: Sendable {
    public var statusCode: Int
    /// The `Retry-After` header, as sent.
    public var retryAfter: String?
    /// The start of the body: enough for the id a receiver may answer.
    public var body: [UInt8]

    public init(statusCode: Int, retryAfter: String? = nil, body: [UInt8] = []) {
        self.statusCode = statusCode
        self.retryAfter = retryAfter
        self.body = body
    }
}

/// Why an attempt got no answer.
public struct DeliveryTransportError: Error, Sendable, CustomStringConvertible {
    public enum Code: Sendable, Hashable { case timedOut, connectionFailed, invalidURL, other }
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
