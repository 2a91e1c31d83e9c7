public import SmartContentDomain

/// A workspace's webhook subscription. Its JSON form never holds the secret, which the
/// store keeps sealed under the subscription's key.
public struct WebhookSubscriptionRecord: Hashable, Sendable, Encodable, BinaryCodable {
    public enum Status: String, Codable, Sendable, BinaryCodable {
        case active, unsubscribed
    }

    public var subscriptionId: WebhookSubscriptionID
    public var workspaceId: WorkspaceID
    public var url: String
    public var eventTypes: [String]
    public var description: String?
    /// Sealed: open it with the vault, holder `subscriptionId`.
    public var secret: String
    public var status: Status
    public var createdAt: Instant
    public var createdBy: UserID
    /// The log position of its `WebhookSubscribed`: it receives the events after it.
    public var position: UInt64

    private enum CodingKeys: String, CodingKey {
        case webhookId, url, eventTypes, description, status, createdAt, createdBy, position
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(subscriptionId, forKey: .webhookId)
        try container.encode(url, forKey: .url)
        try container.encode(eventTypes, forKey: .eventTypes)
        try container.encodeIfPresent(description, forKey: .description)
        try container.encode(status, forKey: .status)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(createdBy, forKey: .createdBy)
        try container.encode(position, forKey: .position)
    }

    public func encode(to w: inout BinaryWriter) {
        w.write(subscriptionId); w.write(workspaceId); w.write(url); w.write(eventTypes); w.write(description)
        w.write(secret); w.write(status); w.write(createdAt); w.write(createdBy); w.write(position)
    }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        subscriptionId = try r.read(); workspaceId = try r.read(); url = try r.read(); eventTypes = try r.read()
        description = try r.read(); secret = try r.read(); status = try r.read(); createdAt = try r.read()
        createdBy = try r.read(); position = try r.read()
    }
    init(_ e: WebhookSubscribed, at time: Instant, position: UInt64) {
        subscriptionId = e.subscriptionId
        workspaceId = e.workspaceId
        url = e.url
        eventTypes = e.eventTypes
        description = e.description
        secret = e.secret
        status = .active
        createdAt = time
        createdBy = e.subscribedBy
        self.position = position
    }

    public func wants(_ type: String) -> Bool { status == .active && WebhookEventType.matches(eventTypes, type) }
}
