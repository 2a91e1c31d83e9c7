public import Hummingbird
import NIOCore
public import SmartContentDomain

/// The request context of every route: the request id, the caller once authenticated,
/// and the peer's address for per-IP rate limits.
public struct APIContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// `X-Request-Id`: the client's when it sent a valid one, else `req_…`.
    public var requestId: String = ""
    /// The authenticated caller acting in their workspace; set by ``AuthMiddleware``.
    public var actor: Actor?
    /// The session of the caller's access token (logout closes it).
    public var sessionId: String?
    /// The last log position the caller's session wrote: its reads wait for it.
    public var sessionPosition: UInt64?
    /// The peer's IP address, without the port.
    public let peerAddress: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peerAddress = source.channel.remoteAddress?.ipAddress
    }

    /// Bodies over 10 MB are refused with 413.
    public var maxUploadSize: Int { 10 * 1024 * 1024 }

    public var requestDecoder: APIRequestDecoder { APIRequestDecoder() }

    /// The caller; routes behind ``AuthMiddleware`` always have one.
    public func requireActor() throws -> Actor {
        guard let actor else { throw APIError(.unauthorized, "UNAUTHORIZED", "a bearer token is required") }
        return actor
    }
}
