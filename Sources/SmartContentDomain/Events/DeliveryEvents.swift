/// One HTTP attempt of a delivery, whatever came of it: what the receiver answered
/// (`statusCode`) or what went wrong before it could (`error`), and how long it took.
/// Appended in one atomic step with the attempt's outcome: ``ContentPublished`` when the
/// receiver took it, ``DistributionAttemptFailed`` when it will be retried or must not be,
/// ``DistributionDeadLettered`` when the attempts are used up.
public struct DistributionAttempted: DomainEventPayload {
    public static let eventType = "DistributionAttempted"
    public var jobId: JobID
    public var channelId: ChannelID
    /// From 1, counted over the whole life of the delivery (retries requested included).
    public var attempt: Int
    /// The `webhook-id` sent: the same for every attempt of one delivery.
    public var webhookId: String
    public var statusCode: Int?
    public var durationMs: Int
    public var error: String?

    public init(jobId: JobID, channelId: ChannelID, attempt: Int, webhookId: String, statusCode: Int?, durationMs: Int,
                error: String?) {
        self.jobId = jobId
        self.channelId = channelId
        self.attempt = attempt
        self.webhookId = webhookId
        self.statusCode = statusCode
        self.durationMs = durationMs
        self.error = error
    }

    public var stream: String { Streams.distribution(jobId) }
    public var event: DomainEvent { .distributionAttempted(self) }

    public func encode(to w: inout BinaryWriter) {
        w.write(jobId); w.write(channelId); w.write(attempt); w.write(webhookId); w.write(statusCode); w.write(durationMs)
        w.write(error)
    }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        jobId = try r.read(); channelId = try r.read(); attempt = try r.read(); webhookId = try r.read()
        statusCode = try r.read(); durationMs = try r.read(); error = try r.read()
    }
}

/// Dead-lettered or failed deliveries of a job sent again (`POST
/// /v1/distribution/status/{jobId}/retry`, `smartcontent distribution retry`): each gets
/// a fresh budget of attempts and keeps its `webhook-id`.
public struct DistributionRetryRequested: DomainEventPayload {
    public static let eventType = "DistributionRetryRequested"
    public var jobId: JobID
    public var channels: [ChannelID]
    /// A user, or `system` for the CLI.
    public var requestedBy: String

    public init(jobId: JobID, channels: [ChannelID], requestedBy: String) {
        self.jobId = jobId
        self.channels = channels
        self.requestedBy = requestedBy
    }

    public var stream: String { Streams.distribution(jobId) }
    public var event: DomainEvent { .distributionRetryRequested(self) }

    public func encode(to w: inout BinaryWriter) { w.write(jobId); w.write(channels); w.write(requestedBy) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        jobId = try r.read(); channels = try r.read(); requestedBy = try r.read()
    }
}

/// A channel's signing secret replaced. Until `previousSecretExpiresAt` deliveries carry
/// a signature by each secret, so a receiver can switch at its own pace.
public struct ChannelSecretRotated: DomainEventPayload {
    public static let eventType = "ChannelSecretRotated"
    public var channelId: ChannelID
    /// Sealed under the channel's key, like ``ChannelConnected/secret``.
    public var secret: String
    public var previousSecretExpiresAt: Instant
    public var rotatedBy: UserID

    public init(channelId: ChannelID, secret: String, previousSecretExpiresAt: Instant, rotatedBy: UserID) {
        self.channelId = channelId
        self.secret = secret
        self.previousSecretExpiresAt = previousSecretExpiresAt
        self.rotatedBy = rotatedBy
    }

    public var stream: String { Streams.channel(channelId) }
    public var event: DomainEvent { .channelSecretRotated(self) }

    public func encode(to w: inout BinaryWriter) {
        w.write(channelId); w.write(secret); w.write(previousSecretExpiresAt); w.write(rotatedBy)
    }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        channelId = try r.read(); secret = try r.read(); previousSecretExpiresAt = try r.read(); rotatedBy = try r.read()
    }
}

/// The most characters a post to a channel may have, for networks that post text: read
/// from the network when the channel is connected (Mastodon: the instance's
/// `configuration.statuses.max_characters`), else the network's default. An event of its
/// own, appended with ``ChannelConnected``, so connections recorded before limits existed
/// read as they always did, and a limit can be read again later.
public struct ChannelCharacterLimitSet: DomainEventPayload {
    public static let eventType = "ChannelCharacterLimitSet"
    public var channelId: ChannelID
    public var characterLimit: Int
    public var source: CharacterLimitSource
    /// Why the default was kept (`the instance answered HTTP 503`).
    public var note: String?

    public init(channelId: ChannelID, characterLimit: Int, source: CharacterLimitSource, note: String? = nil) {
        self.channelId = channelId
        self.characterLimit = characterLimit
        self.source = source
        self.note = note
    }

    public var stream: String { Streams.channel(channelId) }
    public var event: DomainEvent { .channelCharacterLimitSet(self) }

    public func encode(to w: inout BinaryWriter) { w.write(channelId); w.write(characterLimit); w.write(source); w.write(note) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        channelId = try r.read(); characterLimit = try r.read(); source = try r.read(); note = try r.read()
    }
}

/// A channel whose deliveries all failed for a whole day (``since`` is its first failure
/// after its last success): its deliveries wait until it is resumed, instead of burning
/// their attempts on a receiver that is gone.
public struct ChannelPaused: DomainEventPayload {
    public static let eventType = "ChannelPaused"
    public var channelId: ChannelID
    public var workspaceId: WorkspaceID
    public var failingSince: Instant
    public var reason: String

    public init(channelId: ChannelID, workspaceId: WorkspaceID, failingSince: Instant, reason: String) {
        self.channelId = channelId
        self.workspaceId = workspaceId
        self.failingSince = failingSince
        self.reason = reason
    }

    public var stream: String { Streams.channel(channelId) }
    public var event: DomainEvent { .channelPaused(self) }

    public func encode(to w: inout BinaryWriter) { w.write(channelId); w.write(workspaceId); w.write(failingSince); w.write(reason) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        channelId = try r.read(); workspaceId = try r.read(); failingSince = try r.read(); reason = try r.read()
    }
}

public struct ChannelResumed: DomainEventPayload {
    public static let eventType = "ChannelResumed"
    public var channelId: ChannelID
    public var resumedBy: UserID

    public init(channelId: ChannelID, resumedBy: UserID) {
        self.channelId = channelId
        self.resumedBy = resumedBy
    }

    public var stream: String { Streams.channel(channelId) }
    public var event: DomainEvent { .channelResumed(self) }

    public func encode(to w: inout BinaryWriter) { w.write(channelId); w.write(resumedBy) }
    public init(from r: inout BinaryReader) throws(BinaryDecodingError) {
        channelId = try r.read(); resumedBy = try r.read()
    }
}

/// The `webhook-id` of a delivery (Standard Webhooks): derived from the job and the
/// channel, so every attempt, a restart and a requested retry all send the same one, and
/// a receiver that deduplicates on it takes the delivery once.
public enum WebhookID {
    public static func of(job: JobID, channel: ChannelID) -> String {
        "msg_\(job.rawValue.dropFirst(4))_\(channel.rawValue.dropFirst(4))"
    }
}
