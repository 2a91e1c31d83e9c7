public import SmartContentDomain

/// A connected channel. Its JSON form says whether it has a secret, never the secret,
/// which the store holds sealed under the channel's key.
public struct ChannelRecord: Hashable, Sendable, Encodable, BinaryCodable {
    public enum Status: String, Codable, Sendable, BinaryCodable { case connected, disconnected }

    public var channelId: ChannelID
    public var workspaceId: WorkspaceID
    public var name: String
    public var kind: ChannelKind
    public var url: String
    public var secret: String?
    public var status: Status
    public var connectedAt: Instant

    private enum CodingKeys: String, CodingKey { case channelId, workspaceId, name, kind, url, hasSecret, status, connectedAt }

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
    }

    public func encode(to w: inout BinaryWriter) {
        w.write(channelId); w.write(workspaceId); w.write(name); w.write(kind); w.write(url); w.write(secret)
        w.write(status); w.write(connectedAt)
    }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        channelId = try r.read(); workspaceId = try r.read(); name = try r.read(); kind = try r.read(); url = try r.read()
        secret = try r.read(); status = try r.read(); connectedAt = try r.read()
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
}

public struct Delivery: Hashable, Sendable, Codable, BinaryCodable {
    public var channelId: ChannelID
    public var status: DeliveryStatus
    public var attempts: Int
    public var lastError: String?
    public var externalId: String?

    public func encode(to w: inout BinaryWriter) {
        w.write(channelId); w.write(status); w.write(attempts); w.write(lastError); w.write(externalId)
    }
    public init(channelId: ChannelID) {
        self.channelId = channelId
        status = .queued
        attempts = 0
    }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        channelId = try r.read(); status = try r.read(); attempts = try r.read(); lastError = try r.read()
        externalId = try r.read()
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

    public func encode(to w: inout BinaryWriter) {
        w.write(jobId); w.write(contentId); w.write(workspaceId); w.write(scheduleId); w.write(status); w.write(attempts)
        w.write(deliveries); w.write(requestedAt)
    }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        jobId = try r.read(); contentId = try r.read(); workspaceId = try r.read(); scheduleId = try r.read()
        status = try r.read(); attempts = try r.read(); deliveries = try r.read(); requestedAt = try r.read()
    }
    init(_ e: DistributionRequested, at time: Instant) {
        jobId = e.jobId
        contentId = e.contentId
        workspaceId = e.workspaceId
        scheduleId = e.scheduleId
        status = .queued
        attempts = 0
        deliveries = e.channels.map(Delivery.init(channelId:))
        requestedAt = time
    }

    /// The job's status follows its deliveries: delivered when all are, dead-lettered or
    /// failed when none is still going and one gave up, delivering otherwise.
    mutating func settle() {
        attempts = deliveries.reduce(0) { $0 + $1.attempts }
        let statuses = deliveries.map(\.status)
        if statuses.allSatisfy({ $0 == .delivered }) {
            status = .delivered
        } else if statuses.contains(where: { $0 == .queued || $0 == .delivering }) {
            status = statuses.allSatisfy({ $0 == .queued }) ? .queued : .delivering
        } else if statuses.contains(.deadLettered) {
            status = .deadLettered
        } else {
            status = .failed
        }
    }
}

/// Channels of each workspace and the status of distribution jobs.
///
/// Tables:
/// - `channels`: channelId → ``ChannelRecord``
/// - `by-workspace`: workspaceId, channelId
/// - `jobs`: jobId → ``DistributionJob``
public struct DistributionProjection: Projection {
    public static let name = "distribution"
    /// Milliseconds of its fold of the 1 M-event benchmark workload (2 cores).
    public static let foldCost = 20
    public static let foldsEngagement = false
    public static let tables = ["channels", "by-workspace", "jobs"]

    public init() {}

    public func apply(_ events: ArraySlice<ProjectedEvent>, to store: ProjectionWriter) throws {
        for projected in events {
            switch projected.event {
            case .channelConnected(let e):
                try store.put("channels", OrderedKey(e.channelId.rawValue), ChannelRecord(e, at: projected.recordedAt))
                try store.put("by-workspace", OrderedKey(e.workspaceId.rawValue, e.channelId.rawValue))
            case .channelDisconnected(let e):
                let key = OrderedKey(e.channelId.rawValue)
                guard var channel = try store.value("channels", key, as: ChannelRecord.self) else { continue }
                channel.status = .disconnected
                try store.put("channels", key, channel)
            case .distributionRequested(let e):
                try store.put("jobs", OrderedKey(e.jobId.rawValue), DistributionJob(e, at: projected.recordedAt))
            case .distributionAttemptFailed(let e):
                try modifyDelivery(e.jobId, e.channelId, store) {
                    $0.attempts = max($0.attempts, e.attempt)
                    $0.lastError = e.error
                    $0.status = e.nextAttemptAt == nil ? .failed : .delivering
                }
            case .distributionDeadLettered(let e):
                try modifyDelivery(e.jobId, e.channelId, store) {
                    $0.attempts = max($0.attempts, e.attempts)
                    $0.lastError = e.lastError
                    $0.status = .deadLettered
                }
            case .contentPublished(let e):
                try modifyDelivery(e.jobId, e.channelId, store) {
                    $0.attempts += 1
                    $0.status = .delivered
                    $0.externalId = e.externalId
                }
            default:
                continue
            }
        }
    }

    private func modifyDelivery(_ job: JobID, _ channel: ChannelID, _ store: ProjectionWriter, _ change: (inout Delivery) -> Void) throws {
        let key = OrderedKey(job.rawValue)
        guard var record = try store.value("jobs", key, as: DistributionJob.self),
              let index = record.deliveries.firstIndex(where: { $0.channelId == channel })
        else { return }
        change(&record.deliveries[index])
        record.settle()
        try store.put("jobs", key, record)
    }
}

extension DistributionProjection {
    public struct Queries {
        let reader: ProjectionReader
        public init(_ reader: ProjectionReader) { self.reader = reader }

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
                   includeDisconnected || channel.status == .connected {
                    channels.append(channel)
                }
                return true
            }
            return channels
        }

        public func job(_ id: JobID) throws -> DistributionJob? {
            try reader.value("jobs", OrderedKey(id.rawValue), as: DistributionJob.self)
        }
    }
}
