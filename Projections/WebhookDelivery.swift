public import SmartContentDomain

/// One message of a subscription: the event at `position` delivered as `type`, and where
/// its attempts stand.
public struct WebhookDelivery: Hashable, Sendable, Encodable, BinaryCodable {
    public var subscriptionId: WebhookSubscriptionID
    public var position: UInt64
    public var type: String
    /// Whom a `notification.*` message is for.
    public var recipient: UserID?
    public var status: DeliveryStatus
    public var attempts: Int
    /// `attempts` when it was last replayed: the attempts left are counted from here.
    public var attemptsBeforeReplay: Int
    public var webhookId: String?
    public var lastStatusCode: Int?
    public var lastError: String?
    public var lastAttemptAt: Instant?
    public var nextAttemptAt: Instant?

    private enum CodingKeys: String, CodingKey {
        case position, type, recipient, status, attempts, webhookId, lastStatusCode, lastError, lastAttemptAt, nextAttemptAt
    }

    init(subscriptionId: WebhookSubscriptionID, position: UInt64, type: String, recipient: UserID?, dueAt: Instant) {
        self.subscriptionId = subscriptionId
        self.position = position
        self.type = type
        self.recipient = recipient
        status = .queued
        attempts = 0
        attemptsBeforeReplay = 0
        nextAttemptAt = dueAt
    }

    /// Attempts made since it was last (re)queued.
    public var attemptsInRound: Int { attempts - attemptsBeforeReplay }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(position, forKey: .position)
        try container.encode(type, forKey: .type)
        try container.encodeIfPresent(recipient, forKey: .recipient)
        try container.encode(status, forKey: .status)
        try container.encode(attempts, forKey: .attempts)
        try container.encodeIfPresent(webhookId, forKey: .webhookId)
        try container.encodeIfPresent(lastStatusCode, forKey: .lastStatusCode)
        try container.encodeIfPresent(lastError, forKey: .lastError)
        try container.encodeIfPresent(lastAttemptAt, forKey: .lastAttemptAt)
        try container.encodeIfPresent(nextAttemptAt, forKey: .nextAttemptAt)
    }

    public func encode(to w: inout BinaryWriter) {
        w.write(subscriptionId); w.write(position); w.write(type); w.write(recipient); w.write(status); w.write(attempts)
        w.write(attemptsBeforeReplay); w.write(webhookId); w.write(lastStatusCode); w.write(lastError); w.write(lastAttemptAt)
        w.write(nextAttemptAt)
    }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        subscriptionId = try r.read(); position = try r.read(); type = try r.read(); recipient = try r.read()
        status = try r.read(); attempts = try r.read(); attemptsBeforeReplay = try r.read(); webhookId = try r.read()
        lastStatusCode = try r.read(); lastError = try r.read(); lastAttemptAt = try r.read(); nextAttemptAt = try r.read()
    }
}
