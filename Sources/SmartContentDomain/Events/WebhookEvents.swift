/// A workspace subscribed `url` to the event types `eventTypes` (``WebhookEventType``):
/// every matching event of the workspace appended after this one is delivered there,
/// signed with `secret`.
public struct WebhookSubscribed: DomainEventPayload {
    public static let eventType = "WebhookSubscribed"
    public var subscriptionId: WebhookSubscriptionID
    public var workspaceId: WorkspaceID
    public var url: String
    /// Types and patterns (`content.*`, `*`), validated by ``WebhookEventType/validate(_:)``.
    public var eventTypes: [String]
    public var description: String?
    /// `whsec_…`, sealed under the subscription's own key like a channel's secret, so
    /// unsubscribing destroys it.
    public var secret: String
    public var subscribedBy: UserID

    public init(subscriptionId: WebhookSubscriptionID, workspaceId: WorkspaceID, url: String, eventTypes: [String],
                description: String? = nil, secret: String, subscribedBy: UserID) {
        self.subscriptionId = subscriptionId
        self.workspaceId = workspaceId
        self.url = url
        self.eventTypes = eventTypes
        self.description = description
        self.secret = secret
        self.subscribedBy = subscribedBy
    }

    public var stream: String { Streams.webhook(subscriptionId) }
    public var event: DomainEvent { .webhookSubscribed(self) }

    public func encode(to w: inout BinaryWriter) {
        w.write(subscriptionId); w.write(workspaceId); w.write(url); w.write(eventTypes); w.write(description)
        w.write(secret); w.write(subscribedBy)
    }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        subscriptionId = try r.read(); workspaceId = try r.read(); url = try r.read(); eventTypes = try r.read()
        description = try r.read(); secret = try r.read(); subscribedBy = try r.read()
    }
}

/// Deliveries to the subscription stop, pending ones included, and its secret's key is
/// destroyed.
public struct WebhookUnsubscribed: DomainEventPayload {
    public static let eventType = "WebhookUnsubscribed"
    public var subscriptionId: WebhookSubscriptionID
    public var unsubscribedBy: UserID

    public init(subscriptionId: WebhookSubscriptionID, unsubscribedBy: UserID) {
        self.subscriptionId = subscriptionId
        self.unsubscribedBy = unsubscribedBy
    }

    public var stream: String { Streams.webhook(subscriptionId) }
    public var event: DomainEvent { .webhookUnsubscribed(self) }

    public func encode(to w: inout BinaryWriter) { w.write(subscriptionId); w.write(unsubscribedBy) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        subscriptionId = try r.read(); unsubscribedBy = try r.read()
    }
}

/// Every event the subscription matched at or after log position `fromPosition` is
/// delivered again, with its `webhook-id` kept and a fresh budget of attempts; those
/// still pending are left as they are.
public struct WebhookReplayRequested: DomainEventPayload {
    public static let eventType = "WebhookReplayRequested"
    public var subscriptionId: WebhookSubscriptionID
    public var fromPosition: UInt64
    public var requestedBy: UserID

    public init(subscriptionId: WebhookSubscriptionID, fromPosition: UInt64, requestedBy: UserID) {
        self.subscriptionId = subscriptionId
        self.fromPosition = fromPosition
        self.requestedBy = requestedBy
    }

    public var stream: String { Streams.webhook(subscriptionId) }
    public var event: DomainEvent { .webhookReplayRequested(self) }

    public func encode(to w: inout BinaryWriter) { w.write(subscriptionId); w.write(fromPosition); w.write(requestedBy) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        subscriptionId = try r.read(); fromPosition = try r.read(); requestedBy = try r.read()
    }
}

/// What came of an attempt: what the delivery does next.
public enum WebhookOutcome: String, Codable, Sendable, CaseIterable, BinaryCodable {
    /// The receiver answered 2xx.
    case delivered
    /// Retried at `nextAttemptAt`.
    case retrying
    /// Not retried: the receiver refused it (4xx other than 408 and 429).
    case failed
    /// The attempts are used up.
    case deadLettered = "dead_lettered"
}

/// One HTTP attempt of one webhook message and its outcome, in one event: the message is
/// the subscription's delivery of the event at `position` as `webhookType`. Never itself
/// a deliverable type (``WebhookEventType/types(of:)``), so deliveries cannot loop.
public struct WebhookAttempted: DomainEventPayload {
    public static let eventType = "WebhookAttempted"
    public var subscriptionId: WebhookSubscriptionID
    public var position: UInt64
    public var webhookType: String
    /// From 1, over the whole life of the delivery (replays included).
    public var attempt: Int
    public var webhookId: String
    public var statusCode: Int?
    public var durationMs: Int
    public var error: String?
    public var outcome: WebhookOutcome
    public var nextAttemptAt: Instant?

    public init(subscriptionId: WebhookSubscriptionID, position: UInt64, webhookType: String, attempt: Int, webhookId: String,
                statusCode: Int?, durationMs: Int, error: String?, outcome: WebhookOutcome, nextAttemptAt: Instant? = nil) {
        self.subscriptionId = subscriptionId
        self.position = position
        self.webhookType = webhookType
        self.attempt = attempt
        self.webhookId = webhookId
        self.statusCode = statusCode
        self.durationMs = durationMs
        self.error = error
        self.outcome = outcome
        self.nextAttemptAt = nextAttemptAt
    }

    public var stream: String { Streams.webhook(subscriptionId) }
    public var event: DomainEvent { .webhookAttempted(self) }

    public func encode(to w: inout BinaryWriter) {
        w.write(subscriptionId); w.write(position); w.write(webhookType); w.write(attempt); w.write(webhookId)
        w.write(statusCode); w.write(durationMs); w.write(error); w.write(outcome); w.write(nextAttemptAt)
    }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        subscriptionId = try r.read(); position = try r.read(); webhookType = try r.read(); attempt = try r.read()
        webhookId = try r.read(); statusCode = try r.read(); durationMs = try r.read(); error = try r.read()
        outcome = try r.read(); nextAttemptAt = try r.read()
    }
}
