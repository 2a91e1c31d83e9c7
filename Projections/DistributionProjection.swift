public import SmartContentDomain

/// A connected channel. Its JSON form says whether it has a secret, never the secret (or
/// a Mastodon channel's access token), which the store holds sealed under the channel's key.
public struct ChannelRecord: Hashable, Sendable, Encodable, BinaryCodable {
    public enum Status: String, Codable, Sendable, BinaryCodable {
        case connected, disconnected
        /// Its deliveries wait: it failed for too long (``ChannelPaused``).
        case paused

        /// Whether it belongs to the workspace's channels (publications may name it).
        public var isLive: Bool { self != .disconnected }
    }

    public var channelId: ChannelID
    public var workspaceId: WorkspaceID
    public var name: String
    public var kind: ChannelKind
    /// A webhook's endpoint; a Mastodon channel's instance.
    public var url: String
    /// The sealed credential: a webhook's signing secret, a Mastodon access token.
    public var secret: String?
    public var status: Status
    public var connectedAt: Instant
    /// The secret before the last rotation, which still signs until `previousSecretExpiresAt`.
    public var previousSecret: String?
    public var previousSecretExpiresAt: Instant?
    /// The first failed attempt after its last success, while it keeps failing.
    public var failingSince: Instant?
    public var pausedReason: String?
    /// The most characters a post may have, for networks that post text.
    public var characterLimit: Int?
    public var characterLimitSource: CharacterLimitSource?

    private enum CodingKeys: String, CodingKey {
        case channelId, workspaceId, name, kind, url, hasSecret, status, connectedAt, failingSince, pausedReason,
             characterLimit, characterLimitSource
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(channelId, forKey: .channelId)
        try container.encode(workspaceId, forKey: .workspaceId)
        try container.encode(name, forKey: .name)
        try container.encode(kind, forKey: .kind)
        try container.encode(url, forKey: .url)
        try container.encode(secret != nil, forKey: .hasSecret)
        try container.encode(status, forKey: .status)
        try container.encode(connectedAt, forKey: .connectedAt)
        try container.encodeIfPresent(failingSince, forKey: .failingSince)
        try container.encodeIfPresent(pausedReason, forKey: .pausedReason)
        try container.encodeIfPresent(characterLimit, forKey: .characterLimit)
        try container.encodeIfPresent(characterLimitSource, forKey: .characterLimitSource)
    }

    public func encode(to w: inout BinaryWriter) {
        w.write(channelId); w.write(workspaceId); w.write(name); w.write(kind); w.write(url); w.write(secret)
        w.write(status); w.write(connectedAt); w.write(previousSecret); w.write(previousSecretExpiresAt)
        w.write(failingSince); w.write(pausedReason); w.write(characterLimit); w.write(characterLimitSource)
    }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        channelId = try r.read(); workspaceId = try r.read(); name = try r.read(); kind = try r.read(); url = try r.read()
        secret = try r.read(); status = try r.read(); connectedAt = try r.read(); previousSecret = try r.read()
        previousSecretExpiresAt = try r.read(); failingSince = try r.read(); pausedReason = try r.read()
        characterLimit = try r.read(); characterLimitSource = try r.read()
    }
    init(_ e: ChannelConnected, at time: Instant) {
        channelId = e.channelId
        workspaceId = e.workspaceId
        name = e.name
        kind = e.kind
        url = e.url
        secret = e.secret
        status = .connected
        connectedAt = time
    }
}

public enum DeliveryStatus: String, Codable, Sendable, BinaryCodable {
    case queued, delivering, delivered, failed, deadLettered = "dead_lettered"

    /// Whether the delivery is still waiting for an attempt.
    public var isPending: Bool { self == .queued || self == .delivering }
}

public struct Delivery: Hashable, Sendable, Codable, BinaryCodable {
    public var channelId: ChannelID
    public var status: DeliveryStatus
    /// Every attempt so far, retries requested included.
    public var attempts: Int
    public var lastError: String?
    public var externalId: String?
    /// The `webhook-id` its attempts carry.
    public var webhookId: String
    public var lastStatusCode: Int?
    public var lastAttemptAt: Instant?
    /// When the next attempt is due, while the delivery is pending.
    public var nextAttemptAt: Instant?
    /// `attempts` when the last retry was requested: the attempts left are counted from here.
    public var attemptsBeforeRetry: Int

    private enum CodingKeys: String, CodingKey {
        case channelId, status, attempts, lastError, externalId, webhookId, lastStatusCode, lastAttemptAt, nextAttemptAt
    }

    public init(channelId: ChannelID, jobId: JobID, dueAt: Instant) {
        self.channelId = channelId
        status = .queued
        attempts = 0
        webhookId = WebhookID.of(job: jobId, channel: channelId)
        nextAttemptAt = dueAt
        attemptsBeforeRetry = 0
    }

    /// Attempts made since the delivery was last (re)started.
    public var attemptsInRound: Int { attempts - attemptsBeforeRetry }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        channelId = try container.decode(ChannelID.self, forKey: .channelId)
        status = try container.decode(DeliveryStatus.self, forKey: .status)
        attempts = try container.decode(Int.self, forKey: .attempts)
        lastError = try container.decodeIfPresent(String.self, forKey: .lastError)
        externalId = try container.decodeIfPresent(String.self, forKey: .externalId)
        webhookId = try container.decode(String.self, forKey: .webhookId)
        lastStatusCode = try container.decodeIfPresent(Int.self, forKey: .lastStatusCode)
        lastAttemptAt = try container.decodeIfPresent(Instant.self, forKey: .lastAttemptAt)
        nextAttemptAt = try container.decodeIfPresent(Instant.self, forKey: .nextAttemptAt)
        attemptsBeforeRetry = 0
    }

    public func encode(to w: inout BinaryWriter) {
        w.write(channelId); w.write(status); w.write(attempts); w.write(lastError); w.write(externalId); w.write(webhookId)
        w.write(lastStatusCode); w.write(lastAttemptAt); w.write(nextAttemptAt); w.write(attemptsBeforeRetry)
    }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        channelId = try r.read(); status = try r.read(); attempts = try r.read(); lastError = try r.read()
        externalId = try r.read(); webhookId = try r.read(); lastStatusCode = try r.read(); lastAttemptAt = try r.read()
        nextAttemptAt = try r.read(); attemptsBeforeRetry = try r.read()
    }
}

/// A publication job and where each of its deliveries stands (DESIGN section 7).
public struct DistributionJob: Hashable, Sendable, Codable, BinaryCodable {
    public var jobId: JobID
    public var contentId: ContentID
    public var workspaceId: WorkspaceID
    public var scheduleId: ScheduleID?
    public var status: DeliveryStatus
    public var attempts: Int
    public var deliveries: [Delivery]
    public var requestedAt: Instant
    public var requestedBy: String

    public func encode(to w: inout BinaryWriter) {
        w.write(jobId); w.write(contentId); w.write(workspaceId); w.write(scheduleId); w.write(status); w.write(attempts)
        w.write(deliveries); w.write(requestedAt); w.write(requestedBy)
    }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        jobId = try r.read(); contentId = try r.read(); workspaceId = try r.read(); scheduleId = try r.read()
        status = try r.read(); attempts = try r.read(); deliveries = try r.read(); requestedAt = try r.read()
        requestedBy = try r.read()
    }
    init(_ e: DistributionRequested, at time: Instant) {
        jobId = e.jobId
        contentId = e.contentId
        workspaceId = e.workspaceId
        scheduleId = e.scheduleId
        status = .queued
        attempts = 0
        deliveries = e.channels.map { Delivery(channelId: $0, jobId: e.jobId, dueAt: time) }
        requestedAt = time
        requestedBy = e.requestedBy
    }

    public func delivery(to channel: ChannelID) -> Delivery? { deliveries.first { $0.channelId == channel } }

    /// The job's status follows its deliveries: delivered when all are, dead-lettered or
    /// failed when none is still going and one gave up, delivering otherwise.
    mutating func settle() {
        attempts = deliveries.reduce(0) { $0 + $1.attempts }
        let statuses = deliveries.map(\.status)
        if statuses.allSatisfy({ $0 == .delivered }) {
            status = .delivered
        } else if statuses.contains(where: \.isPending) {
            status = statuses.allSatisfy({ $0 == .queued }) ? .queued : .delivering
        } else if statuses.contains(.deadLettered) {
            status = .deadLettered
        } else {
            status = .failed
        }
    }
}

/// Channels of each workspace, distribution jobs, and the deliveries waiting for an
/// attempt (what the distributor works from).
///
/// Tables:
/// - `channels`: channelId → ``ChannelRecord``
/// - `by-workspace`: workspaceId, channelId
/// - `jobs`: jobId → ``DistributionJob``
/// - `due`: next attempt time, jobId, channelId (pending deliveries only)
public struct DistributionProjection: Projection {
    public static let name = "distribution"
    /// Milliseconds of its fold of the 1 M-event benchmark workload (2 cores).
    public static let foldCost = 20
    public static let foldsEngagement = false
    /// 2: deliveries' attempt times and `webhook-id`, the `due` table, channel rotation and pauses.
    /// 3: channels' character limits.
    public static let formatVersion: UInt32 = 3
    public static let tables = ["channels", "by-workspace", "jobs", "due"]

    public init() {}

    public func apply(_ events: ArraySlice<ProjectedEvent>, to store: ProjectionWriter) throws {
        for projected in events {
            let time = projected.recordedAt
            switch projected.event {
            case .channelConnected(let e):
                try store.put("channels", OrderedKey(e.channelId.rawValue), ChannelRecord(e, at: time))
                try store.put("by-workspace", OrderedKey(e.workspaceId.rawValue, e.channelId.rawValue))
            case .channelDisconnected(let e):
                try modifyChannel(e.channelId, store) { $0.status = .disconnected }
            case .channelSecretRotated(let e):
                try modifyChannel(e.channelId, store) {
                    $0.previousSecret = $0.secret
                    $0.previousSecretExpiresAt = e.previousSecretExpiresAt
                    $0.secret = e.secret
                }
            case .channelCharacterLimitSet(let e):
                try modifyChannel(e.channelId, store) {
                    $0.characterLimit = e.characterLimit
                    $0.characterLimitSource = e.source
                }
            case .channelPaused(let e):
                try modifyChannel(e.channelId, store) {
                    if $0.status == .connected { $0.status = .paused }
                    $0.pausedReason = e.reason
                }
            case .channelResumed(let e):
                try modifyChannel(e.channelId, store) {
                    if $0.status == .paused { $0.status = .connected }
                    $0.pausedReason = nil
                    $0.failingSince = nil
                }
            case .distributionRequested(let e):
                let job = DistributionJob(e, at: time)
                try store.put("jobs", OrderedKey(e.jobId.rawValue), job)
                for delivery in job.deliveries { try store.put("due", Self.dueKey(time, e.jobId, delivery.channelId)) }
            case .distributionAttempted(let e):
                let succeeded = e.error == nil && (200..<300).contains(e.statusCode ?? 0)
                try modifyChannel(e.channelId, store) {
                    if succeeded {
                        $0.failingSince = nil
                    } else if $0.failingSince == nil {
                        $0.failingSince = time
                    }
                }
                try modifyDelivery(e.jobId, e.channelId, store) {
                    $0.attempts = max($0.attempts, e.attempt)
                    $0.lastStatusCode = e.statusCode
                    $0.lastAttemptAt = time
                    $0.lastError = succeeded ? nil : e.error ?? e.statusCode.map { "HTTP \($0)" }
                    if $0.status == .queued { $0.status = .delivering }
                }
            case .distributionAttemptFailed(let e):
                try modifyDelivery(e.jobId, e.channelId, store) {
                    $0.attempts = max($0.attempts, e.attempt)
                    $0.lastError = e.error
                    $0.status = e.nextAttemptAt == nil ? .failed : .delivering
                    $0.nextAttemptAt = e.nextAttemptAt
                }
            case .distributionDeadLettered(let e):
                try modifyDelivery(e.jobId, e.channelId, store) {
                    $0.attempts = max($0.attempts, e.attempts)
                    $0.lastError = e.lastError
                    $0.status = .deadLettered
                    $0.nextAttemptAt = nil
                }
            case .distributionRetryRequested(let e):
                for channel in e.channels {
                    try modifyDelivery(e.jobId, channel, store) {
                        guard !$0.status.isPending, $0.status != .delivered else { return }
                        $0.status = .queued
                        $0.attemptsBeforeRetry = $0.attempts
                        $0.nextAttemptAt = time
                    }
                }
            case .contentPublished(let e):
                try modifyDelivery(e.jobId, e.channelId, store) {
                    // Stores from before `DistributionAttempted` count the attempt here.
                    if $0.lastAttemptAt == nil { $0.attempts += 1 }
                    $0.status = .delivered
                    $0.lastError = nil
                    $0.externalId = e.externalId
                    $0.nextAttemptAt = nil
                }
            default:
                continue
            }
        }
    }

    static func dueKey(_ time: Instant, _ job: JobID, _ channel: ChannelID) -> OrderedKey {
        var key = OrderedKey()
        key.append(time.millisecondsSince1970)
        key.append(job.rawValue)
        key.append(channel.rawValue)
        return key
    }

    private func modifyChannel(_ id: ChannelID, _ store: ProjectionWriter, _ change: (inout ChannelRecord) -> Void) throws {
        let key = OrderedKey(id.rawValue)
        guard var channel = try store.value("channels", key, as: ChannelRecord.self) else { return }
        let before = channel
        change(&channel)
        if channel != before { try store.put("channels", key, channel) }
    }

    /// Changes a delivery and keeps its `due` entry in step: at its next attempt time while
    /// it is pending, absent otherwise.
    private func modifyDelivery(_ job: JobID, _ channel: ChannelID, _ store: ProjectionWriter, _ change: (inout Delivery) -> Void) throws {
        let key = OrderedKey(job.rawValue)
        guard var record = try store.value("jobs", key, as: DistributionJob.self),
              let index = record.deliveries.firstIndex(where: { $0.channelId == channel })
        else { return }
        let before = record.deliveries[index]
        change(&record.deliveries[index])
        let after = record.deliveries[index]
        let wasDue = before.status.isPending ? before.nextAttemptAt : nil
        let isDue = after.status.isPending ? after.nextAttemptAt : nil
        if wasDue != isDue {
            if let wasDue { _ = try store.delete("due", Self.dueKey(wasDue, job, channel)) }
            if let isDue { try store.put("due", Self.dueKey(isDue, job, channel)) }
        }
        record.settle()
        try store.put("jobs", key, record)
    }
}

extension DistributionProjection {
    public struct Queries {
        let reader: ProjectionReader
        public init(_ reader: ProjectionReader) { self.reader = reader }

        /// The log position this snapshot has folded through.
        public func checkpoint() throws -> UInt64 { try reader.checkpoint() }

        public func channel(_ id: ChannelID) throws -> ChannelRecord? {
            try reader.value("channels", OrderedKey(id.rawValue), as: ChannelRecord.self)
        }

        /// Channels of `workspace`, connected ones unless `includeDisconnected`.
        public func channels(in workspace: WorkspaceID, includeDisconnected: Bool = false) throws -> [ChannelRecord] {
            var channels: [ChannelRecord] = []
            let prefix = OrderedKey(workspace.rawValue)
            try reader.scan("by-workspace", prefix: prefix) { key, _ in
                var parts = OrderedKeyReader(UnsafeRawBufferPointer(rebasing: key[prefix.bytes.count...]))
                if let channel = try channel(ChannelID(unchecked: parts.string())),
                   includeDisconnected || channel.status.isLive {
                    channels.append(channel)
                }
                return true
            }
            return channels
        }

        public func job(_ id: JobID) throws -> DistributionJob? {
            try reader.value("jobs", OrderedKey(id.rawValue), as: DistributionJob.self)
        }

        /// A delivery waiting for an attempt.
        public struct DueDelivery: Hashable, Sendable {
            public var jobId: JobID
            public var channelId: ChannelID
            public var dueAt: Instant
        }

        /// Walks the pending deliveries due at `time`, earliest first, handing each to
        /// `visit` (which returns `false` to stop), looking at no more than `window` of
        /// them. Returns when the first delivery not yet due is due, if one was reached.
        public func walkDue(at time: Instant, window: Int, _ visit: (DueDelivery) throws -> Bool) throws -> Instant? {
            var seen = 0
            var next: Instant?
            try reader.scan("due", prefix: OrderedKey()) { key, _ in
                var parts = OrderedKeyReader(key)
                let at = parts.int64()
                if at > time.millisecondsSince1970 {
                    next = Instant(millisecondsSince1970: at)
                    return false
                }
                seen += 1
                guard seen <= window else { return false }
                let due = DueDelivery(jobId: JobID(unchecked: parts.string()), channelId: ChannelID(unchecked: parts.string()),
                                      dueAt: Instant(millisecondsSince1970: at))
                return try visit(due)
            }
            return next
        }
    }
}
