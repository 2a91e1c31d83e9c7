import EventLog
import Foundation
public import SmartContentDomain
import SmartContentProjections

extension DomainEvent {
    /// Whether the event may give a ``WebhookDispatcher`` something to do.
    var queuesWebhooks: Bool {
        switch self {
        case .webhookSubscribed, .webhookReplayRequested: true
        default: !WebhookEventType.types(of: self).isEmpty
        }
    }
}

extension SmartContentEngine {
    /// A subscription just made, with its signing secret in clear: the only time it is shown.
    public struct CreatedWebhook: Sendable {
        public var subscriptionId: WebhookSubscriptionID
        public var secret: String
    }

    /// At most this many active subscriptions per workspace: each costs a look-up in the
    /// fold of every deliverable event.
    public static let maxWebhooksPerWorkspace = 20

    /// Subscribes `url` to the workspace's events of `eventTypes` (types, `category.*` or
    /// `*`, see ``WebhookEventType``) appended from now on. Without a `secret`, one is
    /// generated (`whsec_…`); it is stored sealed under the subscription's own key.
    ///
    /// - Throws: ``DomainError`` forbidden for a non-admin; invalid parameters for a bad
    ///   URL, an unknown type, a malformed secret, or a workspace with too many subscriptions.
    @discardableResult
    public func subscribeWebhook(url: String, eventTypes: [String], secret: String? = nil, description: String? = nil,
                                 by actor: Actor) async throws -> Written<CreatedWebhook> {
        try actor.requireAdmin("manage webhooks")
        try Validation.url(url)
        let types = try WebhookEventType.validate(eventTypes)
        let secret = try secret.map(WebhookChannel.validSecret) ?? WebhookSecret.generate()
        let description = description?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let description, description.count > 500 {
            throw DomainError.invalid("description", "description must be at most 500 characters")
        }
        let existing = try await read(WebhookProjection.self, atLeast: log.head.head) { try $0.subscriptions(in: actor.workspaceId) }
        guard existing.count < Self.maxWebhooksPerWorkspace else {
            // A full workspace is a state to change, not a bad request: 409.
            throw DomainError(.invalidState, "a workspace has at most \(Self.maxWebhooksPerWorkspace) webhooks: delete one first",
                              details: ["limit": "\(Self.maxWebhooksPerWorkspace)"])
        }
        let event = WebhookSubscribed(subscriptionId: .generate(), workspaceId: actor.workspaceId, url: url, eventTypes: types,
                                      description: description?.isEmpty == true ? nil : description, secret: secret,
                                      subscribedBy: actor.userId)
        let position = try await append([event.event], by: actor.userId.rawValue, workspace: actor.workspaceId,
                                        expected: [event.stream: .noStream])
        return Written(value: CreatedWebhook(subscriptionId: event.subscriptionId, secret: secret), position: position)
    }

    /// The subscription if it is the actor's workspace's and active.
    func liveWebhook(_ id: WebhookSubscriptionID, of actor: Actor) async throws -> WebhookSubscriptionRecord {
        guard let subscription = try await read(WebhookProjection.self, atLeast: log.head.head, { try $0.subscription(id) }),
              subscription.workspaceId == actor.workspaceId, subscription.status == .active
        else { throw DomainError.notFound("Webhook", id.rawValue) }
        return subscription
    }

    /// Stops deliveries to the subscription, pending ones included, and destroys its secret.
    @discardableResult
    public func unsubscribeWebhook(_ id: WebhookSubscriptionID, by actor: Actor) async throws -> Written<WebhookUnsubscribed> {
        try actor.requireAdmin("manage webhooks")
        _ = try await liveWebhook(id, of: actor)
        let event = WebhookUnsubscribed(subscriptionId: id, unsubscribedBy: actor.userId)
        let position = try await append([event.event], by: actor.userId.rawValue, workspace: actor.workspaceId)
        return Written(value: event, position: position)
    }

    /// Delivers again every message of the subscription from log position `fromPosition`
    /// on (those still pending go on as they are), with their `webhook-id`s kept. Events
    /// from before the subscription was made were never its messages: a replay from
    /// further back starts at its creation.
    ///
    /// - Throws: ``DomainError`` invalid parameters for a position beyond the log.
    @discardableResult
    public func replayWebhook(_ id: WebhookSubscriptionID, from fromPosition: UInt64, by actor: Actor) async throws
        -> Written<WebhookReplayRequested> {
        try actor.requireAdmin("replay webhooks")
        _ = try await liveWebhook(id, of: actor)
        let last = try log.lastPosition()
        guard fromPosition <= last else {
            throw DomainError(.invalidParameters, "fromPosition \(fromPosition) is beyond the end of the log (\(last))",
                              details: ["field": "fromPosition", "lastPosition": "\(last)"])
        }
        let event = WebhookReplayRequested(subscriptionId: id, fromPosition: fromPosition, requestedBy: actor.userId)
        let position = try await append([event.event], by: actor.userId.rawValue, workspace: actor.workspaceId)
        return Written(value: event, position: position)
    }

    /// A stored event as a webhook message carries it.
    struct WebhookSource: Sendable {
        var id: EventID
        var recordedAt: Instant
        var event: DomainEvent
    }

    /// The events at `positions`, as stored (nothing personal is delivered, so nothing is
    /// opened); positions that hold no catalog event are left out.
    func webhookSources(at positions: Set<UInt64>) async throws -> [UInt64: WebhookSource] {
        try await log.offload {
            try self.log.withSnapshot { snapshot in
                var found: [UInt64: WebhookSource] = [:]
                for position in positions.sorted() {
                    try snapshot.forEach(from: position) { view in
                        if view.position == position, let event = try? EventCatalog.decode(view) {
                            found[position] = WebhookSource(id: view.id, recordedAt: Instant(millisecondsSince1970: view.recordedAt),
                                                            event: event)
                        }
                        return false
                    }
                }
                return found
            }
        }
    }
}
