import Hummingbird
import SmartContent
import SmartContentDomain
import SmartContentProjections

extension SmartContentAPI {
    struct WebhookBody: Decodable {
        var url: String
        var eventTypes: [String]
        var secret: String?
        var description: String?
    }

    struct ReplayBody: Decodable {
        var fromPosition: Int64
    }

    /// A subscription as clients see it: its signing secret only in the answer that created it.
    struct WebhookView: Encodable, Sendable {
        var webhookId: WebhookSubscriptionID
        var url: String
        var eventTypes: [String]
        var description: String?
        var status: String
        var createdAt: Instant
        var createdBy: UserID
        /// It receives the events after this log position.
        var position: UInt64
        var secret: String?

        init(_ record: WebhookSubscriptionRecord, secret: String? = nil) {
            webhookId = record.subscriptionId
            url = record.url
            eventTypes = record.eventTypes
            description = record.description
            status = record.status.rawValue
            createdAt = record.createdAt
            createdBy = record.createdBy
            position = record.position
            self.secret = secret
        }
    }

    struct Replay: Encodable {
        var webhookId: WebhookSubscriptionID
        var fromPosition: UInt64
        /// The subscription's messages from `fromPosition` on now waiting for an attempt.
        var queued: Int
    }

    /// Integrators' webhooks (issue 14, item 4): subscriptions of URLs to event types.
    func addWebhookRoutes(to v1: RouterGroup<APIContext>) {
        let webhooks = v1.group("webhooks")
        webhooks.post { request, context -> Response in
            let actor = try context.requireActor()
            let body = try await request.decode(as: WebhookBody.self, context: context)
            let created = try await engine.subscribeWebhook(url: body.url, eventTypes: body.eventTypes, secret: body.secret,
                                                            description: body.description, by: actor)
            let id = created.value.subscriptionId
            let record = try await engine.readNow(WebhookProjection.self, atLeast: created.position) { try $0.subscription(id) }
            guard let record else { throw APIError.notFound("Webhook", id.rawValue) }
            return try context.respond(WebhookView(record, secret: created.value.secret), status: .created,
                                       position: created.position)
        }
        webhooks.get { request, context -> Response in
            let actor = try context.requireActor()
            let items = try await read(WebhookProjection.self, request, context) {
                try $0.subscriptions(in: actor.workspaceId).map { WebhookView($0) }
            }
            return try context.respond(Page(items: items, nextCursor: nil))
        }
        webhooks.get(":webhookId/deliveries") { request, context -> Response in
            let actor = try context.requireActor()
            try actor.requireAdmin("see webhook deliveries")
            let id = try context.id("webhookId", as: WebhookSubscriptionID.self, what: "Webhook")
            let limit = try request.pageLimit()
            let cursor = try request.pageCursor()
            let from: UInt64 = try request.query("fromPosition").map { text in
                guard let position = UInt64(text) else {
                    throw APIError.invalid("fromPosition", "fromPosition must be a log position (an integer ≥ 0)")
                }
                return position
            } ?? 0
            let status: DeliveryStatus? = try request.query("status").map { text in
                guard let status = DeliveryStatus(rawValue: text) else {
                    throw APIError.invalid("status", "status must be queued, delivering, delivered, failed or dead_lettered")
                }
                return status
            }
            let page = try await read(WebhookProjection.self, request, context) { queries -> Page<WebhookDelivery>? in
                guard let subscription = try queries.subscription(id), subscription.workspaceId == actor.workspaceId,
                      subscription.status == .active
                else { throw APIError.notFound("Webhook", id.rawValue) }
                return try queries.deliveries(of: id, from: from, after: cursor, status: status, limit: limit)
            }
            guard let page else {
                throw APIError.invalid("cursor", "cursor is not one this API gave (omit it for the first page)")
            }
            return try context.respond(page)
        }
        webhooks.delete(":webhookId") { _, context -> Response in
            let actor = try context.requireActor()
            let id = try context.id("webhookId", as: WebhookSubscriptionID.self, what: "Webhook")
            return context.noContent(position: try await engine.unsubscribeWebhook(id, by: actor).position)
        }
        webhooks.post(":webhookId/replay") { request, context -> Response in
            let actor = try context.requireActor()
            let id = try context.id("webhookId", as: WebhookSubscriptionID.self, what: "Webhook")
            let body = try await request.decode(as: ReplayBody.self, context: context)
            guard body.fromPosition >= 0 else { throw APIError.invalid("fromPosition", "fromPosition must be 0 or more") }
            let from = UInt64(body.fromPosition)
            let replayed = try await engine.replayWebhook(id, from: from, by: actor)
            let queued = try await engine.read(WebhookProjection.self, atLeast: replayed.position) { queries in
                try queries.pendingCount(of: id, from: from)
            }
            return try context.respond(Replay(webhookId: id, fromPosition: from, queued: queued), status: .accepted,
                                       position: replayed.position)
        }
    }
}
