public import SmartContentDomain
public import SmartContentProjections

/// What one kind of channel does: how it is connected, what a delivery sends and what
/// the answer means. The ``Distributor`` keeps everything around it (claiming work,
/// timeouts, retries, the log), so a new network is a driver in a file of its own and its
/// line in ``ChannelDrivers``.
public protocol ChannelDriver: Sendable {
    var kind: ChannelKind { get }

    /// Checks what a user asked to connect and completes it: a generated secret, the
    /// network's limits. May ask the network through `transport`.
    ///
    /// - Throws: ``DomainError`` invalid parameters for bad input.
    func connect(_ request: ChannelConnection, using transport: any DeliveryTransport) async throws -> ChannelSettings

    /// The text that will be posted for `content`, for networks that post text under a
    /// character limit; nil for kinds that receive the content whole.
    ///
    /// - Throws: ``PostTooLong`` when no text within the limit can be made of it.
    func preview(of content: ContentView, on channel: ChannelRecord) throws(PostTooLong) -> PostPreview?

    /// The HTTP request of one attempt.
    ///
    /// - Throws: ``PostTooLong`` when the content (edited since it was scheduled) no
    ///   longer fits, or ``DeliveryTransportError`` when no request can be made.
    func request(for delivery: ChannelDelivery) throws -> DeliveryRequest

    /// The network's id for what a 2xx answer created.
    func externalId(in response: DeliveryResponse) -> String?

    /// What went wrong, from an answer that is not 2xx (`HTTP 422: …`).
    func failure(in response: DeliveryResponse) -> String
}

extension ChannelDriver {
    public func failure(in response: DeliveryResponse) -> String { "HTTP \(response.statusCode)" }
}

/// A channel as a user asks to connect it.
public struct ChannelConnection: Sendable {
    public var name: String
    public var kind: ChannelKind
    /// A webhook's endpoint; a Mastodon channel's instance (`https://mastodon.social`).
    public var url: String
    /// A webhook's signing secret (generated when nil); a Mastodon account's access token.
    public var credential: String?

    public init(name: String, kind: ChannelKind, url: String, credential: String? = nil) {
        self.name = name
        self.kind = kind
        self.url = url
        self.credential = credential
    }
}

/// What a driver made of a ``ChannelConnection``: what the ``ChannelConnected`` event
/// records.
public struct ChannelSettings: Sendable {
    public var url: String
    public var credential: String?
    public var characterLimit: Int?
    public var characterLimitSource: CharacterLimitSource?
    /// Why a default was used, for the answer to the user (`the instance answered HTTP 503`).
    public var note: String?

    public init(url: String, credential: String?, characterLimit: Int? = nil, characterLimitSource: CharacterLimitSource? = nil,
                note: String? = nil) {
        self.url = url
        self.credential = credential
        self.characterLimit = characterLimit
        self.characterLimitSource = characterLimitSource
        self.note = note
    }
}

/// One attempt of one delivery, as a driver sees it.
public struct ChannelDelivery: Sendable {
    public var job: DistributionJob
    public var delivery: Delivery
    public var channel: ChannelRecord
    public var content: ContentView
    /// The channel's credentials opened: the current one first, then one that still signs
    /// after a rotation.
    public var credentials: [String]
    public var now: Instant
    public var timeout: Duration
}

/// The registered drivers, one per ``ChannelKind``.
public enum ChannelDrivers {
    public static func driver(for kind: ChannelKind) -> any ChannelDriver {
        switch kind {
        case .webhook: WebhookChannel()
        case .mastodon: MastodonChannel()
        }
    }
}
