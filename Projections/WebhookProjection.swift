public import SmartContentDomain

/// Webhook subscriptions and their messages: every event of a subscription's workspace
/// appended after it that it asked for (``WebhookEventType``) becomes a message, due at
/// once; the dispatcher works from the `due` table and its attempts
/// (``WebhookAttempted``) move each message on. Since messages are made by this fold,
/// they survive restarts with the checkpoint, and a rebuild makes the same ones.
///
/// Most events do not name their workspace; the `owners` table remembers, for each
/// content, schedule, job and channel, its workspace and the person notifications about
/// it are for (the author, the schedule's or channel's creator).
///
/// Tables:
/// - `subscriptions`: subscriptionId → ``WebhookSubscriptionRecord``
/// - `by-workspace`: workspaceId, subscriptionId
/// - `owners`: entity id → workspace and user
/// - `deliveries`: subscriptionId, position, type → ``WebhookDelivery``
/// - `due`: subscriptionId, next attempt time, position, type (pending messages only), so
///   each subscription's work is read apart and a dead receiver holds up only its own
public struct WebhookProjection: Projection {
    public static let name = "webhooks"
    public static let foldsEngagement = false
    public static let tables = ["subscriptions", "by-workspace", "owners", "deliveries", "due"]

    public init() {}

    struct Owner: BinaryCodable {
        var workspaceId: WorkspaceID
        var userId: UserID?

        func encode(to w: inout BinaryWriter) { w.write(workspaceId); w.write(userId) }
        init(from r: inout BinaryReader) throws(BinaryDecodingError) { workspaceId = try r.read(); userId = try r.read() }
        init(_ workspaceId: WorkspaceID, _ userId: UserID?) {
            self.workspaceId = workspaceId
            self.userId = userId
        }
    }

    public func apply(_ events: ArraySlice<ProjectedEvent>, to store: ProjectionWriter) throws {
        for projected in events {
            let time = projected.recordedAt
            switch projected.event {
            case .webhookSubscribed(let e):
                try store.put("subscriptions", OrderedKey(e.subscriptionId.rawValue),
                              WebhookSubscriptionRecord(e, at: time, position: projected.position))
                try store.put("by-workspace", OrderedKey(e.workspaceId.rawValue, e.subscriptionId.rawValue))
            case .webhookUnsubscribed(let e):
                let key = OrderedKey(e.subscriptionId.rawValue)
                guard var subscription = try store.value("subscriptions", key, as: WebhookSubscriptionRecord.self) else { continue }
                subscription.status = .unsubscribed
                try store.put("subscriptions", key, subscription)
                try store.deleteAll("due", prefix: key)
            case .webhookReplayRequested(let e):
                try replay(e, at: time, store)
            case .webhookAttempted(let e):
                try modifyDelivery(e.subscriptionId, e.position, e.webhookType, store) {
                    $0.attempts = max($0.attempts, e.attempt)
                    $0.webhookId = e.webhookId
                    $0.lastStatusCode = e.statusCode
                    $0.lastError = e.error
                    $0.lastAttemptAt = time
                    switch e.outcome {
                    case .delivered: $0.status = .delivered
                    case .retrying: $0.status = .delivering
                    case .failed: $0.status = .failed
                    case .deadLettered: $0.status = .deadLettered
                    }
                    $0.nextAttemptAt = e.outcome == .retrying ? e.nextAttemptAt ?? time : nil
                }
            default:
                try remember(owner: projected.event, store)
                try enqueue(projected, store)
            }
        }
    }

    /// Remembers whose the entities an event creates are.
    private func remember(owner event: DomainEvent, _ store: ProjectionWriter) throws {
        switch event {
        case .contentCreated(let e):
            try store.put("owners", OrderedKey(e.contentId.rawValue), Owner(e.workspaceId, e.authorId))
        case .contentScheduled(let e):
            try store.put("owners", OrderedKey(e.scheduleId.rawValue), Owner(e.workspaceId, e.scheduledBy))
        case .distributionRequested(let e):
            // Notifications about a job are for the author of its content.
            let author = try store.value("owners", OrderedKey(e.contentId.rawValue), as: Owner.self)?.userId
            try store.put("owners", OrderedKey(e.jobId.rawValue), Owner(e.workspaceId, author))
        case .channelConnected(let e):
            try store.put("owners", OrderedKey(e.channelId.rawValue), Owner(e.workspaceId, e.connectedBy))
        default:
            break
        }
    }

    /// The workspace the event happened in, and the entity whose owner its notification is for.
    private func origin(of event: DomainEvent, _ store: ProjectionWriter) throws -> (WorkspaceID, Owner?)? {
        func owner(_ id: String) throws -> Owner? { try store.value("owners", OrderedKey(id), as: Owner.self) }
        let found: Owner?
        switch event {
        case .contentCreated(let e): return (e.workspaceId, nil)
        case .contentUpdated(let e): found = try owner(e.contentId.rawValue)
        case .contentRefined(let e): found = try owner(e.contentId.rawValue)
        case .contentDeleted(let e): found = try owner(e.contentId.rawValue)
        case .contentPublished(let e): found = try owner(e.contentId.rawValue)
        case .contentScheduled(let e): return (e.workspaceId, nil)
        case .scheduleUpdated(let e): found = try owner(e.scheduleId.rawValue)
        case .scheduleCancelled(let e): found = try owner(e.scheduleId.rawValue)
        case .scheduleFired(let e): found = try owner(e.scheduleId.rawValue) ?? Owner(e.workspaceId, nil)
        case .scheduleMissed(let e): found = try owner(e.scheduleId.rawValue) ?? Owner(e.workspaceId, nil)
        case .distributionRequested(let e): return (e.workspaceId, nil)
        case .distributionAttemptFailed(let e): found = try owner(e.jobId.rawValue)
        case .distributionDeadLettered(let e): found = try owner(e.jobId.rawValue)
        case .channelConnected(let e): return (e.workspaceId, nil)
        case .channelDisconnected(let e): found = try owner(e.channelId.rawValue)
        case .channelPaused(let e): found = try owner(e.channelId.rawValue) ?? Owner(e.workspaceId, nil)
        case .channelResumed(let e): found = try owner(e.channelId.rawValue)
        default: return nil
        }
        return found.map { ($0.workspaceId, $0) }
    }

    /// A message for each active subscription of the event's workspace that asked for it.
    private func enqueue(_ projected: ProjectedEvent, _ store: ProjectionWriter) throws {
        let types = WebhookEventType.types(of: projected.event)
        guard !types.isEmpty, let found = try origin(of: projected.event, store) else { return }
        let (workspace, owner) = found
        for subscription in try Queries(store.reader).subscriptions(in: workspace) {
            for type in types where subscription.wants(type) {
                let recipient = WebhookEventType.isNotification(type) ? owner?.userId : nil
                let delivery = WebhookDelivery(subscriptionId: subscription.subscriptionId, position: projected.position,
                                               type: type, recipient: recipient, dueAt: projected.recordedAt)
                try store.put("deliveries", Self.deliveryKey(subscription.subscriptionId, projected.position, type), delivery)
                try store.put("due", Self.dueKey(subscription.subscriptionId, projected.recordedAt, projected.position, type))
            }
        }
    }

    /// Queues again the subscription's messages from `fromPosition` on that are not pending.
    private func replay(_ e: WebhookReplayRequested, at time: Instant, _ store: ProjectionWriter) throws {
        let prefix = OrderedKey(e.subscriptionId.rawValue)
        guard let subscription = try store.value("subscriptions", prefix, as: WebhookSubscriptionRecord.self),
              subscription.status == .active
        else { return }
        var start = prefix
        start.append(e.fromPosition)
        var replayed: [WebhookDelivery] = []
        try store.reader.scan("deliveries", prefix: prefix, after: start.bytes) { _, value in
            var reader = BinaryReader(value)
            let delivery = try WebhookDelivery(from: &reader)
            if !delivery.status.isPending { replayed.append(delivery) }
            return true
        }
        for var delivery in replayed {
            delivery.status = .queued
            delivery.attemptsBeforeReplay = delivery.attempts
            delivery.nextAttemptAt = time
            try store.put("deliveries", Self.deliveryKey(delivery.subscriptionId, delivery.position, delivery.type), delivery)
            try store.put("due", Self.dueKey(delivery.subscriptionId, time, delivery.position, delivery.type))
        }
    }

    /// Changes a message and keeps its `due` entry in step.
    private func modifyDelivery(_ id: WebhookSubscriptionID, _ position: UInt64, _ type: String, _ store: ProjectionWriter,
                                _ change: (inout WebhookDelivery) -> Void) throws {
        let key = Self.deliveryKey(id, position, type)
        guard var delivery = try store.value("deliveries", key, as: WebhookDelivery.self) else { return }
        let before = delivery
        change(&delivery)
        let wasDue = before.status.isPending ? before.nextAttemptAt : nil
        let isDue = delivery.status.isPending ? delivery.nextAttemptAt : nil
        if wasDue != isDue {
            if let wasDue { _ = try store.delete("due", Self.dueKey(id, wasDue, position, type)) }
            // An unsubscribed subscription's messages stay out of the work list.
            if let isDue, try store.value("subscriptions", OrderedKey(id.rawValue), as: WebhookSubscriptionRecord.self)?.status == .active {
                try store.put("due", Self.dueKey(id, isDue, position, type))
            }
        }
        try store.put("deliveries", key, delivery)
    }

    static func deliveryKey(_ id: WebhookSubscriptionID, _ position: UInt64, _ type: String) -> OrderedKey {
        var key = OrderedKey(id.rawValue)
        key.append(position)
        key.append(type)
        return key
    }

    static func dueKey(_ id: WebhookSubscriptionID, _ time: Instant, _ position: UInt64, _ type: String) -> OrderedKey {
        var key = OrderedKey(id.rawValue)
        key.append(time.millisecondsSince1970)
        key.append(position)
        key.append(type)
        return key
    }
}

extension WebhookProjection {
    public struct Queries {
        let reader: ProjectionReader
        public init(_ reader: ProjectionReader) { self.reader = reader }

        public func subscription(_ id: WebhookSubscriptionID) throws -> WebhookSubscriptionRecord? {
            try reader.value("subscriptions", OrderedKey(id.rawValue), as: WebhookSubscriptionRecord.self)
        }

        /// The workspace's active subscriptions, oldest id first.
        public func subscriptions(in workspace: WorkspaceID) throws -> [WebhookSubscriptionRecord] {
            var found: [WebhookSubscriptionRecord] = []
            let prefix = OrderedKey(workspace.rawValue)
            try reader.scan("by-workspace", prefix: prefix) { key, _ in
                var parts = OrderedKeyReader(UnsafeRawBufferPointer(rebasing: key[prefix.bytes.count...]))
                if let subscription = try subscription(WebhookSubscriptionID(unchecked: parts.string())),
                   subscription.status == .active {
                    found.append(subscription)
                }
                return true
            }
            return found
        }

        /// Every active subscription with messages waiting, of every workspace.
        public func subscriptionsWithWork() throws -> [WebhookSubscriptionRecord] {
            var found: [WebhookSubscriptionRecord] = []
            var after: [UInt8]?
            while true {
                var next: WebhookSubscriptionID?
                try reader.scan("due", prefix: OrderedKey(), after: after) { key, _ in
                    var parts = OrderedKeyReader(key)
                    next = WebhookSubscriptionID(unchecked: parts.string())
                    return false
                }
                guard let id = next else { return found }
                if let subscription = try subscription(id), subscription.status == .active { found.append(subscription) }
                // Past every key of this subscription: its id, then a byte above the 0 that ends it.
                var skip = Array(id.rawValue.utf8)
                skip.append(1)
                after = skip
            }
        }

        public func delivery(_ id: WebhookSubscriptionID, position: UInt64, type: String) throws -> WebhookDelivery? {
            try reader.value("deliveries", WebhookProjection.deliveryKey(id, position, type), as: WebhookDelivery.self)
        }

        /// The subscription's messages from `position` on, by position, at most `limit`.
        public func deliveries(of id: WebhookSubscriptionID, from position: UInt64 = 0, limit: Int = 100) throws -> [WebhookDelivery] {
            try deliveries(of: id, from: position, after: nil, status: nil, limit: limit)?.items ?? []
        }

        /// A page of the subscription's messages from `position` on (or after `cursor`, a
        /// page's `nextCursor`), by position, those of `status` only when given. A page
        /// looks at no more than 10,000 messages, so a rare status answers promptly; its
        /// cursor resumes from there. Nil for a cursor that is not one of this subscription.
        public func deliveries(of id: WebhookSubscriptionID, from position: UInt64, after cursor: [UInt8]?,
                               status: DeliveryStatus?, limit: Int) throws -> Page<WebhookDelivery>? {
            let prefix = OrderedKey(id.rawValue)
            if let cursor, !cursor.starts(with: prefix.bytes) { return nil }
            var start = prefix
            start.append(position)
            var found: [WebhookDelivery] = []
            var scanned = 0
            var last: [UInt8]?
            var more = false
            try reader.scan("deliveries", prefix: prefix, after: cursor ?? start.bytes) { key, value in
                guard found.count < limit, scanned < 10_000 else {
                    more = true
                    return false
                }
                scanned += 1
                last = Array(key)
                var reader = BinaryReader(value)
                let delivery = try WebhookDelivery(from: &reader)
                if status == nil || delivery.status == status { found.append(delivery) }
                return true
            }
            return Page(items: found, nextCursor: more ? last.map(PageCursor.encode) : nil)
        }

        /// How many of the subscription's messages from `position` on wait for an attempt.
        public func pendingCount(of id: WebhookSubscriptionID, from position: UInt64) throws -> Int {
            var count = 0
            let prefix = OrderedKey(id.rawValue)
            var start = prefix
            start.append(position)
            try reader.scan("deliveries", prefix: prefix, after: start.bytes) { _, value in
                var reader = BinaryReader(value)
                if try WebhookDelivery(from: &reader).status.isPending { count += 1 }
                return true
            }
            return count
        }

        /// A message waiting for an attempt.
        public struct DueMessage: Hashable, Sendable {
            public var subscriptionId: WebhookSubscriptionID
            public var position: UInt64
            public var type: String
            public var dueAt: Instant
        }

        /// The subscription's messages due at `time`, earliest first, handed to `visit`
        /// (`false` stops); returns when the first one not yet due is due.
        public func walkDue(of id: WebhookSubscriptionID, at time: Instant, _ visit: (DueMessage) throws -> Bool) throws -> Instant? {
            var next: Instant?
            let prefix = OrderedKey(id.rawValue)
            try reader.scan("due", prefix: prefix) { key, _ in
                var parts = OrderedKeyReader(UnsafeRawBufferPointer(rebasing: key[prefix.bytes.count...]))
                let at = parts.int64()
                if at > time.millisecondsSince1970 {
                    next = Instant(millisecondsSince1970: at)
                    return false
                }
                return try visit(DueMessage(subscriptionId: id, position: parts.uint64(), type: parts.string(),
                                            dueAt: Instant(millisecondsSince1970: at)))
            }
            return next
        }
    }
}
